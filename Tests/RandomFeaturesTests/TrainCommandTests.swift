import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing
import TestSupport

/// Runs the built `genwindow` binary end to end.
@Suite struct TrainCommandTests {
    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("genwindow-rf-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    static func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = genwindowBinary()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @Test func trainsATinyProblemAndWritesARunFile() throws {
        let path = Self.temporaryPath("tiny.jsonl")
        let result = try runGenwindow(["train", "--model", "rf", "--d", "4", "--p", "64", "--n", "4", "--t", "0.1",
                                   "--seed", "3", "--headless", "--force", "--out", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let log = try RunReader.read(path: path)
        #expect(log.header.model == "rf")
        for key in ["d", "p", "n", "t", "seed", "noise", "optimizer", "lr", "tau_max", "warmup_start", "eval_per_decade"] {
            #expect(log.header.config[key] != nil, "config lacks \(key)")
        }
        #expect(log.header.config["p"]?.int == 64)
        #expect(log.header.config["solver"]?.string == "eigen")
        var spectrum: JSONObject?
        var metrics: [MetricsRecord] = []
        var events: [EventRecord] = []
        for record in log.records {
            switch record {
            case .other(type: "spectrum", let fields): spectrum = fields
            case .metrics(let m): metrics.append(m)
            case .event(let e): events.append(e)
            default: break
            }
        }
        let eigenvalues = try #require(spectrum?["eigenvalues"]?.array)
        #expect(eigenvalues.count == 64)
        #expect(spectrum?["rho1_edges"]?.array?.count == 2)
        #expect(metrics.count > 40)
        #expect(metrics.first?["tau"] == 0 && metrics.first?["train_loss"] == 1)
        for m in metrics {
            for key in ["tau", "train_loss", "test_loss", "gen_loss", "score_error", "train_loss_theory", "test_loss_theory"] {
                #expect(m[key] != nil, "step \(m.step) lacks \(key)")
            }
            let train = try #require(m["train_loss"]), theory = try #require(m["train_loss_theory"])
            #expect(abs(train - theory) / theory < 1e-4)
        }
        // The last event of each kind is the run's answer; this run reaches 3× tau_mem, so both are final.
        for kind in ["tau_gen", "tau_mem"] {
            let last = try #require(events.last { $0.kind == kind }, "no \(kind) event")
            #expect(last.fields["tau"]?.double != nil)
            #expect(last.fields["provisional"] == .bool(false))
        }
        let tauGen = try #require(events.last { $0.kind == "tau_gen" }?.fields["tau"]?.double)
        let tauMem = try #require(events.last { $0.kind == "tau_mem" }?.fields["tau"]?.double)
        #expect(tauGen < tauMem)
        // The warning: once, at the first evaluation whose test loss stands 10% above its running minimum.
        let rises = events.filter { $0.kind == "test_loss_rise" }
        let testLoss = metrics.compactMap { $0["test_loss"] }
        let first = try #require(testLoss.indices.first { i in testLoss[i] > 1.1 * testLoss[0...i].min()! })
        #expect(rises.count == 1 && rises.first?.step == metrics[first].step && rises.first?.fields["basis"] == "loss")
        #expect(rises.first?.fields["tau"]?.double == metrics[first]["tau"] && rises.first?.fields["rise"] == 0.1)
        #expect(log.end?.reason == .completed)
        #expect(log.end?.step == metrics.last?.step)
        // The closing line names both times and the window between them.
        let closing = try #require(result.stdout.split(separator: "\n").last)
        #expect(closing.hasPrefix("run completed at step") && closing.contains(": generalization window ["), "\(closing)")
    }

    /// Generative mode: sample-based metrics in the same records, a compact `samples` record, and sample-based
    /// events kept apart from the loss-based ones.
    @Test func generativeRunWritesSampleMetrics() throws {
        let path = Self.temporaryPath("generative.jsonl")
        let result = try runGenwindow(["train", "--d", "4", "--p", "64", "--n", "4", "--t", "0.1", "--generative",
                                   "--gen-times", "5", "--gen-samples", "40", "--gen-reference", "100",
                                   "--sampler", "sde", "--gen-features", "independent", "--tau-max", "1e4",
                                   "--headless", "--force", "--out", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let log = try RunReader.read(path: path)
        #expect(log.header.config["generative"] == .bool(true))
        #expect(log.header.config["gen_times"]?.array?.count == 5)
        #expect(log.header.config["gen_sampler"] == "sde" && log.header.config["gen_features"] == "independent")
        #expect(log.header.config["fid_features"] == "data" && log.header.config["fid_reference"]?.int == 100)
        let metrics = log.records.compactMap { if case .metrics(let m) = $0 { m } else { nil } }
        let sampled = metrics.filter { $0["mem_frac"] != nil }
        #expect(sampled.count >= 10 && sampled.count < metrics.count)
        #expect(sampled.first?.step == 0 && sampled.last?.step == metrics.last?.step)
        for m in sampled {
            let f = try #require(m["mem_frac"]), low = try #require(m["mem_frac_ci_low"])
            let high = try #require(m["mem_frac_ci_high"])
            #expect(low <= f && f <= high && (0...1).contains(low) && (0...1).contains(high))
            #expect(m["fid"] != nil && m["fid_samples"] == 40 && m.extra["fid_features"] == "data")
        }
        let samples = log.records.compactMap { r -> JSONObject? in if case .other("samples", let f) = r { f } else { nil } }
        #expect(samples.count == sampled.count)
        let first = try #require(samples.first)
        #expect(first["samples"]?.array?.count == 8 && first["nearest"]?.array?.count == 8)
        #expect(first["samples"]?.array?.first?.array?.count == 4 && first["projection"]?.array?.count == 2)
        let events = log.records.compactMap { if case .event(let e) = $0 { e } else { nil } }
        #expect(events.contains { $0.kind == "tau_gen" && $0.fields["basis"] == "loss" })
        #expect(events.filter { $0.kind == "tau_gen" || $0.kind == "tau_mem" }.allSatisfy { $0.fields["basis"] != nil })
        #expect(log.end?.extra["gen_setup_s"] != nil && log.end?.extra["gen_evaluations"]?.int == sampled.count)
    }

    /// Fixed noise draws and Adam: the run completes, the test side comes from fresh points, and Adam has no
    /// closed-form columns.
    @Test func drawsAndAdamRunsComplete() throws {
        let path = Self.temporaryPath("draws-adam.jsonl")
        let result = try runGenwindow(["train", "--d", "4", "--p", "64", "--n", "4", "--noise", "draws", "--noise-draws", "50",
                                   "--test-points", "200", "--optimizer", "adam", "--lr", "0.01", "--steps", "300",
                                   "--headless", "--force", "--out", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let log = try RunReader.read(path: path)
        #expect(log.header.config["noise"] == "draws" && log.header.config["noise_draws"]?.int == 50)
        #expect(log.header.config["optimizer"] == "adam")
        let metrics = log.records.compactMap { if case .metrics(let m) = $0 { m } else { nil } }
        #expect(metrics.last?.step == 300)
        #expect(metrics.allSatisfy { $0["train_loss_theory"] == nil })
        let last = try #require(metrics.last?["train_loss"])
        #expect(last < 0.95)
        #expect(log.end?.reason == .completed)
    }

    @Test func interruptEndsTheRunAndSavesACheckpoint() throws {
        let path = Self.temporaryPath("interrupted.jsonl")
        let (process, out, _) = try Self.start(["train", "--d", "4", "--p", "64", "--n", "4", "--steps", "100000000",
                                                "--headless", "--force", "--out", path])
        // Wait until training has written metrics, then interrupt.
        for _ in 0..<400 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("\"metrics\"") { break }
            usleep(50_000)
        }
        process.interrupt()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGINT)
        let log = try RunReader.read(path: path)
        let end = try #require(log.end)
        #expect(end.reason == .interrupted)
        let checkpoint = path.replacingOccurrences(of: ".jsonl", with: ".step\(end.step).ckpt")
        let a = try NpyArray.read(path: checkpoint)
        #expect(a.shape == [4, 64])
    }

    @Test(arguments: [
        ["--p", "0"], ["--p", "-5"], ["--d", "0"], ["--n", "0"], ["--t", "nan"], ["--t", "-1"], ["--t", "0"],
        ["--p", "1000000000"], ["--p", "200000"], ["--lr", "0"], ["--lr", "inf"], ["--tau-max", "0"],
        ["--tau-max", "inf"], ["--steps", "-3"], ["--sigma-x", "0"], ["--noise", "draws", "--noise-draws", "0"],
        ["--noise", "sometimes"], ["--optimizer", "sgd"], ["--eval-per-decade", "0"], ["--data", "mnist"],
        ["--d", "100000", "--n", "100000000"], ["--hermite-order", "0"], ["--noise", "draws", "--noise-draws", "1000000"],
        ["--generative", "--gen-times", "0"], ["--generative", "--gen-t-min", "0.5", "--gen-t-max", "0.1"],
        ["--generative", "--gen-samples", "1"], ["--generative", "--sampler", "euler"],
        ["--generative", "--gen-features", "some"], ["--generative", "--mem-k", "2"],
        ["--generative", "--gen-times", "200", "--p", "100000"], ["--solver", "qr"],
        ["--solver", "eigen", "--optimizer", "adam"],
    ])
    func badOptionsExitWithUsageError(_ extra: [String]) throws {
        let path = Self.temporaryPath("bad-\(extra.joined(separator: "_")).jsonl")
        let result = try runGenwindow(["train", "--model", "rf", "--headless", "--force", "--out", path] + extra)
        #expect(result.status == 64, "\(extra): status \(result.status), stderr \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(extra): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func spectrumJSONHasTheDocumentedKeys() throws {
        let result = try runGenwindow(["spectrum", "--d", "4", "--p", "64", "--n", "4", "--t", "0.1", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let value = try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let object = try #require(value.object)
        #expect(object["eigenvalues"]?.array?.count == 64)
        #expect(object["rho1_edges"]?.array?.count == 2)
        #expect(object["tau_mem"]?.double != nil && object["tau_gen"]?.double != nil)
        let c = try #require(object["coefficients"]?.object)
        #expect(c.keys.sorted() == ["a_t", "b_t", "mu1", "s_t2", "sigma_norm2", "v_t2"])
        let density = try #require(object["density"]?.object)
        #expect(density["lambda"]?.array?.count == density["rho"]?.array?.count)
        let bad = try runGenwindow(["spectrum", "--p", "1000000000"])
        #expect(bad.status == 64)
    }

    @Test func spectrumAccountsForTheWholeMassAndNamesItsLambda() throws {
        let json = try runGenwindow(["spectrum", "--d", "8", "--p", "256", "--n", "16", "--t", "0.1", "--json"])
        let object = try #require(try JSONParser.parse(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).object)
        let atom = try #require(object["atom"]?.object)
        let masses = [atom["mass"]?.double, object["rho1_mass"]?.double, object["rho2_mass"]?.double].compactMap { $0 }
        #expect(masses.count == 3 && abs(masses.reduce(0, +) - 1) < 1e-12, "\(masses)")
        let text = try runGenwindow(["spectrum", "--d", "8", "--p", "256", "--n", "16", "--t", "0.1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("with λ_min = ρ_1's left edge"))
        #expect(text.stdout.contains("not the smallest empirical eigenvalue"))
        #expect(text.stdout.contains("atom at s_t²"))
        // The density's pieces plus the atom add up to the whole spectrum.
        let total = try #require(text.stdout.split(separator: "\n").first { $0.contains("with the atom's") })
        let whole = try #require(Double(total.split(separator: " ").last!))
        #expect(abs(whole - 1) < 0.02, "\(total)")
    }
}
