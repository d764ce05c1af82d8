import Foundation
import Inception
import RunFiles
import RunFormat
import Testing
import TestSupport
import Training

/// `train --model ddpm --fid-features inception`: the options, the header, FID records written off the training
/// thread at their samples' step, the reference statistics cache, resume, and the cadence rule.
@Suite("train --fid-features inception")
struct LiveFIDTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-live-fid-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A tiny digits DDPM: 16 samples per evaluation, 16 held-out images, 10 sampler steps; the network may take
    /// all of the wall time (the default 20% admits no FID in a run this short).
    static func tinyRun(steps: Int) -> [String] {
        ["train", "--headless", "--model", "ddpm", "--data", "digits", "--n", "32", "--steps", "\(steps)", "--width", "32",
         "--depth", "1", "--batch", "16", "--eval-samples", "16", "--test-n", "16", "--sample-steps", "10",
         "--evals-per-decade", "2", "--fid-features", "inception", "--fid-time-share", "1"]
    }

    /// The weights as the tests find them, and a statistics cache of the test's own under `folder`.
    static func environment(_ folder: String) throws -> [String: String] {
        let weights = try InceptionWeights.locate(explicit: nil, environment: ProcessInfo.processInfo.environment,
                                                  executableDirectory: nil)
        return ["XDG_CACHE_HOME": folder + "/cache", InceptionWeights.environmentVariable: weights]
    }

    static func metrics(_ path: String) throws -> [(index: Int, record: MetricsRecord)] {
        try RunReader.read(path: path).records.enumerated().compactMap { i, r in
            if case .metrics(let m) = r { (i, m) } else { nil }
        }
    }

    @Test("option errors: unknown space, --fid-samples/--fid-weights without inception, too many samples, optimal (exit 64)")
    func optionErrors() throws {
        let base = ["train", "--headless", "--model", "ddpm", "--steps", "10"]
        let cases: [([String], String)] = [
            (["--fid-features", "pixels"], "--fid-features must be data or inception, got 'pixels'"),
            (["--fid-samples", "8"], "--fid-samples applies only to --fid-features inception"),
            (["--fid-weights", "/tmp"], "--fid-weights applies only to --fid-features inception"),
            (["--fid-time-share", "0.5"], "--fid-time-share applies only to --fid-features inception"),
            (["--fid-features", "inception", "--fid-time-share", "0"], "--fid-time-share must be in (0, 1], got 0.0"),
            (["--fid-features", "inception", "--fid-time-share", "1.5"], "--fid-time-share must be in (0, 1], got 1.5"),
            (["--fid-features", "inception", "--fid-samples", "300"], "--fid-samples must be in 2…256 (--eval-samples), got 300"),
            (["--fid-features", "inception", "--fid-samples", "1"], "--fid-samples must be in 2…256 (--eval-samples), got 1"),
        ]
        for (extra, message) in cases {
            let out = try runGenwindow(base + extra)
            #expect(out.status == 64, "\(extra): \(out.stderr)")
            #expect(out.stderr.contains(message), "\(extra): \(out.stderr)")
        }
        let optimal = try runGenwindow(["train", "--headless", "--model", "optimal", "--fid-features", "inception"])
        #expect(optimal.status == 64 && optimal.stderr.contains("--fid-features inception applies only to --model ddpm"),
                "\(optimal.stderr)")
    }

    @Test("non-image data and missing weights: one line, exit 1, no run file")
    func failsBeforeTraining() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gaussian = try runGenwindow(["train", "--headless", "--model", "ddpm", "--data", "gaussian", "--fid-features",
                                         "inception", "--out", dir + "/g.jsonl"], environment: try Self.environment(dir))
        #expect(gaussian.status == 1, "\(gaussian.stderr)")
        #expect(gaussian.stderr.contains("--fid-features inception needs image data") && gaussian.stderr.contains("gaussian"),
                "\(gaussian.stderr)")
        #expect(gaussian.stderr.split(separator: "\n").count == 1, "\(gaussian.stderr)")
        let env = ["XDG_CACHE_HOME": dir + "/empty", InceptionWeights.environmentVariable: ""]
        for extra in [[], ["--fid-weights", dir]] {
            let out = try runGenwindow(Self.tinyRun(steps: 10) + extra + ["--out", dir + "/w.jsonl"], environment: env)
            #expect(out.status == 1, "\(extra): \(out.stderr)")
            #expect(out.stderr.contains("make fid-weights") && out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/g.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/w.jsonl"))
    }

    @Test("a tiny run: the header names inception and the samples per FID; FIDs arrive after later evaluations, at their samples' step; the reference comes from the cache the second time")
    func tinyRunRecordsFIDsOffThread() throws {
        guard SharedInception.network() != nil else { return }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = try Self.environment(dir)
        for (attempt, path) in [dir + "/a.jsonl", dir + "/b.jsonl"].enumerated() {
            let out = try runGenwindow(Self.tinyRun(steps: 200) + ["--out", path], environment: env)
            #expect(out.status == 0, "\(out.stderr)")
            let header = try RunReader.read(path: path).header.config
            #expect(header["fid_features"]?.string == "inception")
            #expect(header["fid_samples"]?.int == 16 && header["fid_time_share"]?.double == 1)
            #expect(header["fid_reference"]?.string == "16 held-out images")
            let records = try Self.metrics(path)
            let evaluations = records.filter { $0.record["mem_frac"] != nil }
            let fids = records.filter { $0.record.extra["fid_features"]?.string == "inception" }
            let queued = evaluations.filter { $0.record.extra["fid_queued"]?.bool == true }.map(\.record.step)
            // With the whole wall time, the first evaluation is queued; every queued one is recorded once.
            #expect(queued.first == 0)
            #expect(fids.map(\.record.step) == queued, "FID steps \(fids.map(\.record.step)), queued \(queued)")
            #expect(evaluations.allSatisfy { $0.record["fid"] == nil }, "evaluation records carry no FID of their own")
            for f in fids {
                #expect(f.record["fid"].map { $0.isFinite && $0 > 0 } == true, "\(f.record)")
                #expect(f.record["samples"] == 16)
                #expect(f.record.extra["reference_cached"]?.bool == (attempt == 1))
                #expect((f.record["inception_busy_s"] ?? 0) > 0)
            }
            // Training went on while the network ran: the step-0 FID is written after the last evaluation.
            let first = try #require(fids.first), lastEvaluation = try #require(evaluations.last)
            #expect(first.index > lastEvaluation.index, "the step-0 FID came before training ended")
            // The network is deterministic: the same samples give the same FID in both runs.
            if attempt == 1 {
                let earlier = try Self.metrics(dir + "/a.jsonl").first { $0.record.extra["fid_features"] != nil }
                #expect(earlier?.record["fid"] == first.record["fid"])
            }
        }
        // Without --fid-time-share and --fid-samples: 20%, and 64 samples or all of a smaller evaluation's.
        let defaults = try runGenwindow(["train", "--headless", "--model", "ddpm", "--steps", "1", "--width", "16", "--depth", "1",
                                         "--eval-samples", "16", "--test-n", "16", "--sample-steps", "2", "--fid-features",
                                         "inception", "--out", dir + "/c.jsonl"], environment: env)
        #expect(defaults.status == 0, "\(defaults.stderr)")
        let header = try RunReader.read(path: dir + "/c.jsonl").header.config
        #expect(header["fid_time_share"]?.double == 0.2 && header["fid_samples"]?.int == 16)
    }

    @Test("a run stopped with a FID pending records it once after --resume")
    func resumeRecordsPendingFID() throws {
        guard SharedInception.network() != nil else { return }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        let process = Process()
        process.executableURL = genwindowBinary()
        process.arguments = Self.tinyRun(steps: 20000) + ["--out", path]
        process.environment = ProcessInfo.processInfo.environment.merging(try Self.environment(dir)) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The step-0 evaluation queues its FID at once; the reference statistics alone take seconds.
        while process.isRunning,
              !((try? String(contentsOfFile: path, encoding: .utf8))?.contains("\"fid_queued\":true") ?? false) {
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143, "the run ended before the signal")
        let again = try runGenwindow(["train", "--headless", "--resume", path], environment: try Self.environment(dir))
        #expect(again.status == 0, "\(again.stderr)")
        let log = try RunReader.read(path: path)
        #expect(log.end?.reason == .completed)
        let fidSteps = try Self.metrics(path).filter { $0.record.extra["fid_features"] != nil }.map(\.record.step)
        #expect(fidSteps.first == 0 && fidSteps.filter { $0 == 0 }.count == 1, "FID steps \(fidSteps)")
        #expect(Set(fidSteps).count == fidSteps.count, "a FID recorded twice: \(fidSteps)")
    }

    @Test("the cadence: a FID starts only if, with its estimated duration, busy time stays within 20% of wall time")
    func cadence() {
        // 0.2 s per image measured before training: 64 images, 12.8 s, fit from elapsed 51.2 on.
        var c = InceptionCadence(secondsPerImage: 0.2)
        #expect(c.share == 0.2 && c.busySeconds == 0)
        #expect(!c.admits(images: 64, elapsed: 0) && !c.admits(images: 64, elapsed: 51.1) && c.admits(images: 64, elapsed: 51.3))
        c.record(seconds: 12, images: 64)         // 0.1875 s per image
        #expect(c.busySeconds == 12 && c.secondsPerImage == 0.1875)
        // busy 12 + estimate 12 ≤ 0.2 · (elapsed + 12) from elapsed 108 on.
        #expect(!c.admits(images: 64, elapsed: 107.9) && c.admits(images: 64, elapsed: 108.1))
        // Fewer samples, an earlier FID: 12 + 3 ≤ 0.2 · (elapsed + 3) from elapsed 72 on.
        #expect(!c.admits(images: 16, elapsed: 71.9) && c.admits(images: 16, elapsed: 72.1))
        // Without an estimate, or with all of the wall time, a FID starts at once.
        #expect(InceptionCadence().admits(images: 64, elapsed: 0))
        #expect(InceptionCadence(share: 1, secondsPerImage: 0.2).admits(images: 64, elapsed: 0))
    }
}
