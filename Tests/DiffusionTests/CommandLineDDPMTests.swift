import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing
import TestSupport

@Suite("genwindow train --model ddpm|optimal, sample (built binary)")
struct CommandLineDDPMTests {
    /// A fresh folder per test (tests run in parallel).
    func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gw-ddpm-\(name)-\(getpid())").path
    }

    @Test("a tiny DDPM run writes header, log-spaced metrics, samples, end and a checkpoint that `sample` reads")
    func ddpmRun() throws {
        let dir = folder("run")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/run.jsonl"
        let r = try runGenwindow(["train", "--model", "ddpm", "--data", "digits", "--n", "20", "--width", "16", "--depth", "1",
                         "--steps", "12", "--eval-samples", "16", "--sample-steps", "5", "--labels", "random",
                         "--classes", "3", "--ema", "0.9", "--export-samples", dir + "/export", "--headless", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try RunReader.read(path: out)
        #expect(log.header.model == "ddpm")
        #expect(log.header.config["n"]?.int == 20 && log.header.config["labels"]?.string == "random")
        let metrics = log.records.compactMap { if case .metrics(let m) = $0 { m } else { nil } }
        #expect(metrics.map(\.step) == [0, 1, 2, 3, 4, 6, 7, 10, 12])
        for m in metrics {
            for key in ["train_loss", "test_loss", "mem_frac", "mem_frac_ci_low", "mem_frac_ci_high"] {
                #expect(m[key] != nil, "\(key) missing at step \(m.step)")
            }
        }
        let samples = log.records.filter { if case .other(let t, _) = $0 { t == "samples" } else { false } }
        #expect(samples.count == metrics.count)
        #expect(log.end?.reason == .completed && log.end?.step == 12)
        let train = try NpyArray.read(path: dir + "/export/train.npy")
        #expect(train.shape == [20, 64])
        #expect(try NpyArray.read(path: dir + "/export/samples_step12.npy").shape == [16, 64])
        let s = try runGenwindow(["sample", "--checkpoint", dir + "/run.step12.ckpt", "--count", "7", "--steps", "4",
                         "--out", dir + "/s.npy"])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(try NpyArray.read(path: dir + "/s.npy").shape == [7, 64])
    }

    @Test("the empirical optimum: one evaluation at step 0 with f_mem = 1 on digits")
    func optimalRun() throws {
        let dir = folder("optimal")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/opt.jsonl"
        let r = try runGenwindow(["train", "--model", "optimal", "--data", "digits", "--n", "64", "--eval-samples", "100",
                         "--sample-steps", "20", "--headless", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try RunReader.read(path: out)
        let metrics = log.records.compactMap { if case .metrics(let m) = $0 { m } else { nil } }
        #expect(log.header.model == "optimal" && metrics.count == 1 && metrics[0].step == 0)
        #expect((metrics.first?["mem_frac"] ?? 0) >= 0.99)
    }

    @Test("invalid numbers are one-line usage errors (exit 64)",
          arguments: [["--width", "0"], ["--batch", "-3"], ["--ema", "nan"], ["--ema", "1"], ["--sample-steps", "5000"],
                      ["--label-dropout", "1.5"], ["--clip", "0"], ["--guidance", "inf"], ["--labels", "maybe"],
                      ["--lr", "1e9"], ["--classes", "0"]])
    func invalid(_ extra: [String]) throws {
        let dir = folder("invalid")
        let r = try runGenwindow(["train", "--model", "ddpm", "--headless", "--out", dir + "/never.jsonl"] + extra)
        #expect(r.status == 64)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/never.jsonl"))
    }
}
