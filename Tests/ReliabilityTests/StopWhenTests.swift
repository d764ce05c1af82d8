import Diffusion
import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing
import TestSupport
@testable import Training

/// `genwindow train --stop-when`: each rule ends a small run by itself at the step its records say, with an `end`
/// record of reason early_stop, a checkpoint that loads, exit status 0 and a closing line naming the rule; `window`
/// leaves the checkpoint of the early-stop step (byte for byte the model a run trained to that step saves) and
/// no other; bad combinations are refused in one line.
@Suite struct StopWhenTests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "genwindow-stopwhen-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A DDPM on 8-dimensional Gaussian data with two training points: it memorizes within a few hundred steps.
    static func ddpm(seed: Int, steps: Int, out: String) -> [String] {
        ["train", "--headless", "--model", "ddpm", "--data", "gaussian", "--data-dim", "8", "--n", "2", "--test-n", "64",
         "--width", "32", "--depth", "1", "--time-embedding", "8", "--batch", "8", "--eval-samples", "64",
         "--sample-steps", "20", "--evals-per-decade", "8", "--lr", "0.01", "--seed", "\(seed)", "--steps", "\(steps)",
         "--out", out]
    }

    /// `window` needs tau_gen before tau_mem, and this run memorizes before its FID has settled for three
    /// evaluations: its window tests take tau_gen as one evaluation within 25% of the lowest FID (no smoothing, no
    /// fall condition).
    static let oneEvaluationTauGen = ["--persistence", "1", "--fid-smoothing", "1", "--fid-fall", "0"]

    static func metrics(_ log: RunLog) -> [MetricsRecord] {
        log.records.compactMap { if case .metrics(let m) = $0 { m } else { nil } }
    }

    static func events(_ log: RunLog, _ kind: String) -> [EventRecord] {
        log.records.compactMap { if case .event(let e) = $0, e.kind == kind { e } else { nil } }
    }

    /// The step of the evaluation that confirms tau_mem: the second of two consecutive evaluations whose
    /// interval's lower end is above 0 or whose f_mem is at least `floor` (the DDPM's rule).
    static func tauMemConfirmation(_ metrics: [MetricsRecord], floor: Double = 0.01) -> Int? {
        let evaluations = metrics.filter { $0["mem_frac"] != nil }
        var previous = false
        for m in evaluations {
            let now = (m["mem_frac_ci_low"] ?? 0) > 0 || (m["mem_frac"] ?? 0) >= floor
            if now && previous { return m.step }
            previous = now
        }
        return nil
    }

    static func checkpointFiles(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".ckpt") }.sorted()
    }

    @Test func tauMemStopsAtTheEvaluationThatConfirmsIt() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        let out = try runGenwindow(Self.ddpm(seed: 1, steps: 20000, out: path) + ["--stop-when", "tau_mem"])
        #expect(out.status == 0, "\(out.stderr)")
        let log = try RunReader.read(path: path)
        let end = try #require(log.end)
        let expected = try #require(Self.tauMemConfirmation(Self.metrics(log)))
        #expect(end.reason == .earlyStop && end.step == expected && end.step < 20000)
        #expect(end.extra["stop_when"]?.string == "tau_mem" && end.extra["rule"]?.string?.isEmpty == false)
        #expect(log.header.config["stop_when"]?.string == "tau_mem" && log.header.config["patience"] == nil)
        #expect(Self.events(log, "tau_mem").last?.fields["provisional"]?.bool == false)
        #expect(out.stdout.contains("run stopped early at step \(expected) by --stop-when tau_mem"), "\(out.stdout)")
        let name = try #require(end.extra["checkpoint"]?.string)
        let checkpoint = try Checkpoint.decode(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))), path: name)
        #expect(checkpoint.step == expected && name == "run.step\(expected).ckpt")
        #expect(try Self.checkpointFiles(dir) == [name])
        // An early-stopped run is finished: not resumable.
        let again = try runGenwindow(["train", "--headless", "--resume", path])
        #expect(again.status != 0 && again.stderr.contains("already ended (early_stop at step \(expected))"), "\(again.stderr)")
    }

    @Test func fidMinStopsAfterPatienceEvaluationsWithoutImprovement() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        let out = try runGenwindow(Self.ddpm(seed: 1, steps: 20000, out: path)
                                   + ["--stop-when", "fid-min", "--patience", "2", "--min-delta", "5"])
        #expect(out.status == 0, "\(out.stderr)")
        let log = try RunReader.read(path: path)
        let end = try #require(log.end)
        // Lightning's rule on the recorded FIDs: improvement when below best − 5; stop at the second evaluation
        // in a row without one.
        var best: (step: Int, fid: Double)?, wait = 0, stop: Int?
        for m in Self.metrics(log) {
            guard let fid = m["fid"] else { continue }
            if best.map({ fid < $0.fid - 5 }) ?? true {
                best = (m.step, fid)
                wait = 0
            } else {
                wait += 1
                if wait == 2 { stop = m.step; break }
            }
        }
        #expect(end.reason == .earlyStop && end.step == stop)
        #expect(end.extra["best_step"]?.int == best?.step && end.extra["best_fid"]?.double == best?.fid)
        #expect(log.header.config["patience"]?.int == 2 && log.header.config["min_delta"]?.double == 5)
        #expect(out.stdout.contains("by --stop-when fid-min"))
        let name = try #require(end.extra["checkpoint"]?.string)
        #expect(try Checkpoint.decode(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))), path: name).step == end.step)
    }

    @Test func windowRestoresTheCheckpointOfTheEarlyStopStep() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        let out = try runGenwindow(Self.ddpm(seed: 1, steps: 20000, out: path) + Self.oneEvaluationTauGen + ["--stop-when", "window"])
        #expect(out.status == 0, "\(out.stderr)")
        let log = try RunReader.read(path: path)
        let end = try #require(log.end)
        let metrics = Self.metrics(log)
        #expect(end.reason == .earlyStop && end.step == Self.tauMemConfirmation(metrics))
        // The lowest FID in [tau_gen, tau_mem), from the run's final events and its metrics.
        let tauGen = try #require(Self.events(log, "tau_gen").last { $0.fields["provisional"]?.bool == false }?.step)
        let tauMem = try #require(Self.events(log, "tau_mem").last?.step)
        let inside = metrics.filter { $0.step >= tauGen && $0.step < tauMem && $0["fid"] != nil }
        let restored = try #require(inside.min { $0["fid"]! < $1["fid"]! }?.step)
        #expect(end.extra["restored_step"]?.int == restored && restored < end.step)
        #expect(Self.events(log, "early_stop").last?.step == restored)
        #expect(out.stdout.contains("by --stop-when window, checkpoint of step \(restored) restored"), "\(out.stdout)")
        // Only the restored checkpoint is left, and it is the model a run trained to that step saves.
        #expect(try Self.checkpointFiles(dir) == ["run.step\(restored).ckpt"])
        #expect(end.extra["checkpoint"]?.string == "run.step\(restored).ckpt")
        let reference = dir + "/reference.jsonl"
        #expect(try runGenwindow(Self.ddpm(seed: 1, steps: restored, out: reference) + Self.oneEvaluationTauGen).status == 0)
        let kept = try Data(contentsOf: URL(fileURLWithPath: dir + "/run.step\(restored).ckpt"))
        #expect(kept == (try Data(contentsOf: URL(fileURLWithPath: dir + "/reference.step\(restored).ckpt"))))
        #expect(try Checkpoint.decode(Array(kept), path: "kept").step == restored)
        let sampled = try runGenwindow(["sample", "--checkpoint", dir + "/run.step\(restored).ckpt", "--count", "4",
                                        "--out", dir + "/samples.npy"])
        #expect(sampled.status == 0, "\(sampled.stderr)")
    }

    /// A `window` run interrupted inside the window (in process, after a chosen number of steps) leaves its
    /// candidate checkpoints; `--resume` takes them back and ends exactly as the uninterrupted run, restoring the
    /// same checkpoint.
    @Test func anInterruptedWindowRunResumesIntoTheUninterruptedOne() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reference = dir + "/reference.jsonl", path = dir + "/run.jsonl"
        #expect(try runGenwindow(Self.ddpm(seed: 1, steps: 20000, out: reference) + Self.oneEvaluationTauGen + ["--stop-when", "window"]).status == 0)
        let expected = try RunReader.read(path: reference)
        let restored = try #require(expected.end?.extra["restored_step"]?.int)
        let stopStep = try #require(expected.end?.step)
        let job = try DDPMJob(settings: try DDPMSettings(header: expected.header), created: expected.header.created)
        let writer = try RunWriter(creating: path, header: job.header)
        // One stop check per step: stop between the restored step and the end.
        let stopAfter = (restored + stopStep) / 2
        var checks = 0
        let requests = TrainingRequests(shouldStop: { checks += 1; return checks > stopAfter }, paused: { false },
                                        takeMarkRequests: { [] })
        let context = TrainingContext(requests: requests, writer: writer, totalSteps: nil) { _ in }
        let end = try job.run(context)
        try writer.append(.end(end))
        try writer.close()
        #expect(end.reason == .interrupted && end.step == stopAfter)
        #expect(FileManager.default.fileExists(atPath: dir + "/run.window-step\(restored).ckpt"))
        let again = try runGenwindow(["train", "--headless", "--resume", path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try ResumeEveryModelTests.records(path).records == (try ResumeEveryModelTests.records(reference).records))
        let files = try Self.checkpointFiles(dir)
        #expect(files == ["reference.step\(restored).ckpt", "run.step\(restored).ckpt"], "\(files)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + files[0]))
                == (try Data(contentsOf: URL(fileURLWithPath: dir + "/" + files[1]))))
    }

    /// The RF model: tau_mem by its loss-based detection, once it would be final.
    @Test func rfStopsAtItsLossBasedTauMem() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rf.jsonl"
        let out = try runGenwindow(["train", "--headless", "--d", "4", "--p", "32", "--n", "8", "--steps", "60000",
                                    "--eval-per-decade", "40", "--seed", "3", "--stop-when", "tau_mem", "--out", path])
        #expect(out.status == 0, "\(out.stderr)")
        let log = try RunReader.read(path: path)
        let end = try #require(log.end)
        let tauMem = try #require(Self.events(log, "tau_mem").last)
        #expect(end.reason == .earlyStop && end.step < 60000)
        #expect(tauMem.fields["provisional"]?.bool == false && tauMem.fields["basis"]?.string == "loss")
        // Final once the run has reached 3× its τ: the stop is the first evaluation that has.
        let tau = try #require(tauMem.fields["tau"]?.double)
        let first = Self.metrics(log).first { ($0["tau"] ?? 0) >= 3 * tau }
        #expect(first?.step == end.step)
        let name = try #require(end.extra["checkpoint"]?.string)
        let a = try NpyArray.read(path: dir + "/" + name)
        #expect(a.shape == [4, 32])
    }

    /// The RF model's window: stopped at the confirmed sample-based tau_mem, with the early stop restored where
    /// its final events name one.
    @Test func rfWindowStopsAtTheSampleBasedTauMem() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rf.jsonl"
        let out = try runGenwindow(["train", "--headless", "--d", "4", "--p", "32", "--n", "8", "--steps", "60000",
                                    "--eval-per-decade", "40", "--seed", "2", "--generative", "--gen-times", "4",
                                    "--gen-samples", "16", "--gen-reference", "32", "--gen-per-decade", "10",
                                    "--stop-when", "window", "--out", path])
        #expect(out.status == 0, "\(out.stderr)")
        let log = try RunReader.read(path: path)
        let end = try #require(log.end)
        let sampled = Self.metrics(log).filter { $0["mem_frac"] != nil }
        #expect(end.reason == .earlyStop && end.step == Self.tauMemConfirmation(sampled))
        let earlyStop = Self.events(log, "early_stop").last { $0.fields["basis"]?.string == "samples" }
        #expect(end.extra["restored_step"]?.int == earlyStop?.step)
        #expect(try Self.checkpointFiles(dir) == [try #require(end.extra["checkpoint"]?.string)])
    }

    @Test func badCombinationsAreRefusedInOneLine() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bad.jsonl"
        let base = Self.ddpm(seed: 0, steps: 10, out: path)
        let cases: [([String], String)] = [
            (base + ["--stop-when", "soon"], "--stop-when must be one of tau_mem, fid-min, window"),
            (base + ["--stop-when", "fid-min", "--patience", "0"], "--patience must be at least 1"),
            (base + ["--stop-when", "fid-min", "--min-delta", "-1"], "--min-delta must be a number ≥ 0"),
            (base + ["--stop-when", "tau_mem", "--patience", "2"], "--patience and --min-delta apply only with --stop-when fid-min"),
            (base + ["--min-delta", "0.1"], "--patience and --min-delta apply only with --stop-when fid-min"),
            (["train", "--headless", "--model", "optimal", "--stop-when", "tau_mem", "--out", path], "does not apply to --model optimal"),
            (["train", "--headless", "--d", "4", "--p", "8", "--n", "4", "--stop-when", "fid-min", "--out", path],
             "--stop-when fid-min needs --generative"),
            (["train", "--headless", "--d", "4", "--p", "8", "--n", "4", "--stop-when", "window", "--out", path],
             "--stop-when window needs --generative"),
            (["train", "--headless", "--model", "ddpm", "--stop-when", "window", "--fid-features", "inception", "--out", path],
             "--stop-when window needs each FID at its own evaluation"),
        ]
        for (arguments, message) in cases {
            let out = try runGenwindow(arguments)
            let lines = out.stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage") && !$0.hasPrefix("  See") && !$0.isEmpty }
            #expect(out.status != 0 && out.stderr.contains(message) && lines.count == 1, "\(arguments): \(out.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
