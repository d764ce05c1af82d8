import Foundation
import NumericCore
import Testing
import TestSupport

/// `watch`, `replay` and `export` on runs genwindow did not train, through the binary: what works without a
/// terminal (export) and every refusal, which comes before the dashboard would open.
@Suite struct ExternalRunCommandTests {
    /// The repository's root (this file is Tests/CommandLineTests/ExternalRunCommandTests.swift).
    private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    private func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "genwindow-external-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private func write(_ text: String, _ path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("export --csv of a Lightning-style CSV: mapped tags named by their series, the others by their tags")
    func exportCSV() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("step,epoch,loss,val/loss,lr\n0,0,1.0,,0.1\n10,0,0.5,,0.1\n10,0,,0.75,\n", dir + "/metrics.csv")
        let r = try runGenwindow(["export", dir + "/metrics.csv", "--csv", dir + "/out.csv", "--smoothing", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: ",").map(String.init) == ["step", "epoch", "train_loss", "lr", "test_loss", "mark", "events"])
        #expect(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(5).joined(separator: ",") }
                == ["0,0.0,1.0,0.1,", "10,0.0,0.5,0.1,0.75"])
        let snapshot = try runGenwindow(["export", dir + "/metrics.csv", "--snapshot"])
        #expect(snapshot.stdout.split(separator: "\n").first?.contains("external │ train←loss test←val/loss │ step 10") == true,
                "the header says which tag feeds which series: \(snapshot.stdout.prefix(200))")
        let mapped = try runGenwindow(["export", dir + "/metrics.csv", "--csv", dir + "/m.csv", "--map", "test_loss=lr", "--smoothing", "0"])
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(try String(contentsOfFile: dir + "/m.csv", encoding: .utf8).hasPrefix("step,epoch,train_loss,test_loss,val/loss,"))
    }

    @Test("a log directory of several runs: export asks for --run and lists them")
    func exportChoosesRun() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = repositoryRoot + "/Tests/ExternalRunsTests/Fixtures/torch_add_scalars"
        let r = try runGenwindow(["export", fixture, "--csv", dir + "/a.csv"])
        #expect(r.status == 1 && r.stderr.contains("holds 3 runs; choose one with --run (., loss_train, loss_val)"), "\(r.stderr)")
        let one = try runGenwindow(["export", fixture, "--run", "loss_train", "--csv", dir + "/a.csv"])
        #expect(one.status == 0, "\(one.stderr)")
        let bad = try runGenwindow(["export", fixture, "--run", "nope", "--csv", dir + "/a.csv"])
        #expect(bad.status == 1 && bad.stderr.contains("no run 'nope'"))
    }

    @Test("refusals are one line and exit 1, before any terminal is needed")
    func refusals() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("hello\nworld\n", dir + "/notes.txt")
        try write("step,loss\n0,1\n", dir + "/metrics.csv")
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        try NpyArray(shape: [4, 10], values: .float32(Array(repeating: 0.5, count: 40))).write(path: dir + "/flat.npy")
        try NpyArray(shape: [4, 3, 3], values: .uint8(Array(repeating: 9, count: 36))).write(path: dir + "/images.npy")
        let measure = ["replay", dir + "/metrics.csv", "--samples", dir + "/empty"]
        let cases: [([String], String)] = [
            (["watch", dir + "/notes.txt"], "unknown format; looked for a TensorBoard event file"),
            (["replay", dir + "/empty", "--format", "tfevents"], "no TensorBoard event files"),
            (["watch", dir + "/metrics.csv", "--map", "train_loss=nope"], "no tag 'nope' for train_loss; the run's scalar tags: loss"),
            (["watch", dir + "/metrics.csv", "--samples", dir + "/empty"], "--samples and --samples-tag need --train"),
            (["replay", dir + "/metrics.csv", "--samples", dir + "/metrics.csv", "--train", "digits"], "is not a folder"),
            (["export", dir + "/metrics.csv", "--csv", dir + "/o.csv", "--format", "tfevents"], "metrics.csv"),
            (measure + ["--train", dir + "/flat.npy", "--fid-weights", dir], "--fid-weights applies only to --fid-features inception"),
            (["watch", dir + "/metrics.csv", "--fid-features", "classifier"], "apply to the samples measured with --samples"),
            (measure + ["--train", dir + "/flat.npy", "--fid-features", "classifier"], "needs --train digits, fashion-mnist or png:DIR"),
            (measure + ["--train", dir + "/flat.npy", "--fid-features", "inception"], "needs image training rows"),
            (measure + ["--train", dir + "/images.npy", "--reference", dir + "/flat.npy"], "do not match the training"),
            (measure + ["--train", dir + "/nope.npy"], "nope.npy"),
        ]
        for (args, message) in cases {
            let r = try runGenwindow(args)
            #expect(r.status != 0 && r.stderr.contains(message), "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count <= 3, "\(args): \(r.stderr)")  // a usage error adds the usage line and a hint
        }
    }
}
