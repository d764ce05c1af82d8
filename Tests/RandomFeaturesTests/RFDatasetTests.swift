import Foundation
import RunFiles
import RunFormat
import Testing
import TestSupport

/// The RF model on real data: the rows replace the Gaussian draws, the closed-form trajectory still matches
/// gradient descent, and the Gaussian-only theory is marked as not applicable.
@Suite struct RFDatasetTests {
    @Test(arguments: ["digits", "gmm"])
    func trainsOnADataset(data: String) throws {
        let path = TrainCommandTests.temporaryPath("rf-\(data).jsonl")
        let result = try runGenwindow(["train", "--model", "rf", "--data", data, "--d", "6", "--p", "128", "--n", "16",
                                                "--steps", "200", "--seed", "2", "--headless", "--force", "--out", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let log = try RunReader.read(path: path)
        let config = log.header.config
        #expect(config["data"] == .string(data))
        #expect(config["scaling"] == "mean-centred")
        #expect(config["d"]?.int == (data == "digits" ? 64 : 6))
        #expect(config["theory"]?.string?.hasPrefix("not applicable") == true)
        #expect(config["sigma_x"] == nil)
        var spectrum: JSONObject?
        var metrics: [MetricsRecord] = []
        for record in log.records {
            if case .other(type: "spectrum", let fields) = record { spectrum = fields }
            if case .metrics(let m) = record { metrics.append(m) }
        }
        #expect(spectrum?["theory_applies"] == .bool(false))
        #expect(spectrum?["eigenvalues"]?.array?.count == 128)
        #expect(spectrum?["rho1_edges"] == nil)
        #expect(metrics.last?.step == 200)
        for m in metrics {
            #expect(m["score_error"] == nil)
            let train = try #require(m["train_loss"]), theory = try #require(m["train_loss_theory"])
            let test = try #require(m["test_loss"]), testTheory = try #require(m["test_loss_theory"])
            #expect(abs(train - theory) / theory < 1e-4 && abs(test - testTheory) / testTheory < 1e-4)
        }
        let first = try #require(metrics.first?["train_loss"]), last = try #require(metrics.last?["train_loss"])
        #expect(last < first)
        #expect(log.end?.reason == .completed)
    }

    @Test func unknownDataIsAUsageError() throws {
        let result = try runGenwindow(["train", "--model", "rf", "--data", "mnist", "--headless", "--out", "/tmp/never.jsonl"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown dataset 'mnist'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.jsonl"))
    }
}
