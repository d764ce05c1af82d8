import Datasets
import Diffusion
import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing
import TestSupport
@testable import Training

/// `train --resume` for every kind of training run: a DDPM killed with `kill -9` at seeded random moments, and
/// DDPM variants, generative RF, RF on datasets and RF in Gram form stopped by SIGTERM, each resumed into exactly the run an
/// uninterrupted process writes (record for record, the `resumed` event aside). Tiny models, so each run takes
/// a second or two in a debug build.
@Suite(.serialized) struct ResumeEveryModelTests {
    /// A tiny DDPM with EMA and dense evaluations.
    static let ddpm = ["train", "--headless", "--model", "ddpm", "--data", "gaussian", "--data-dim", "2", "--n", "16",
                       "--width", "16", "--depth", "1", "--time-embedding", "8", "--batch", "8", "--steps", "8000",
                       "--eval-samples", "32", "--sample-steps", "10", "--test-n", "32", "--evals-per-decade", "20",
                       "--ema", "0.99", "--checkpoint-every", "0.05"]
    static let ddpmTrials = 4

    /// The records as compared: times and end extras zeroed, `resumed` events dropped.
    static func records(_ path: String) throws -> (header: RunHeader, records: [RunRecord]) {
        let log = try RunReader.read(path: path)
        let records = log.records.filter { r in
            if case .event(let e) = r { return e.kind != "resumed" }
            return true
        }
        return (log.header, records.map(comparable))
    }

    /// Starts `arguments` writing `path` and returns once its first state checkpoint exists (training has
    /// started) or the process has ended.
    static func start(_ arguments: [String], path: String) throws -> Process {
        let process = Process()
        process.executableURL = genwindowBinary()
        process.arguments = arguments + ["--out", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning && !FileManager.default.fileExists(atPath: TrainingRunner.statePath(forRun: path)) {
            usleep(2_000)
        }
        return process
    }

    @Test func ddpmKilledAtRandomMomentsResumesIntoTheUninterruptedRun() throws {
        let folder = try temporaryFolder("ddpm-kill9")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reference = folder + "/reference.jsonl"
        let done = try runGenwindow(Self.ddpm + ["--out", reference])
        #expect(done.status == 0, "\(done.stderr)")
        let expected = try Self.records(reference)
        let duration = expected.records.compactMap { r -> Double? in
            if case .metrics(let m) = r { m.timeSeconds } else { nil }
        }.last ?? 1
        var rng = Xoshiro256(seed: 2027)
        var resumed = 0
        for trial in 0..<Self.ddpmTrials {
            let path = folder + "/trial\(trial).jsonl"
            let process = try Self.start(Self.ddpm, path: path)
            usleep(UInt32(duration * (0.05 + 0.8 * rng.nextUniform()) * 1e6))
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let killed = try Self.records(path)
            #expect(Array(expected.records.prefix(killed.records.count)) == killed.records, "trial \(trial)")
            guard wasRunning, try RunReader.read(path: path).end == nil else { continue }
            let again = try runGenwindow(["train", "--headless", "--resume", path])
            #expect(again.status == 0, "trial \(trial): \(again.stderr)")
            let continued = try Self.records(path)
            #expect(continued.header.config == expected.header.config)
            #expect(continued.records == expected.records, "trial \(trial): resumed run differs from the reference")
            resumed += 1
        }
        print("ddpm kill -9 trials: \(Self.ddpmTrials), resumed \(resumed)")
        #expect(resumed >= Self.ddpmTrials / 2)
    }

    /// Stops a run with SIGTERM once it has saved state, resumes it, and compares with an uninterrupted run. The
    /// signal goes `seconds` after the start, or earlier when the uninterrupted run took less than twice that (a
    /// fast or idle machine); a run that still ends before the signal is started again with half the delay.
    func interruptAndResume(_ arguments: [String], name: String, after seconds: Double) throws {
        let folder = try temporaryFolder("resume-\(name)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reference = folder + "/reference.jsonl"
        let path = try interrupted(arguments, name: name, after: seconds, reference: reference) { folder + "/run\($0).jsonl" }
        let again = try runGenwindow(["train", "--headless", "--resume", path])
        #expect(again.status == 0, "\(name): \(again.stderr)")
        let expected = try Self.records(reference), continued = try Self.records(path)
        #expect(continued.header.config == expected.header.config)
        #expect(continued.records == expected.records, "\(name): resumed run differs from the reference")
    }

    /// Runs `arguments` to `reference` uninterrupted, then again (at `path(attempt)`, `--force`d) stopped by
    /// SIGTERM, and returns the interrupted run's path. The signal goes `seconds` after the start, or earlier when
    /// the uninterrupted run took less than twice that (a fast or idle machine); a run that still ends before the
    /// signal is started again with half the delay.
    func interrupted(_ arguments: [String], name: String, after seconds: Double, reference: String,
                     path: (Int) -> String) throws -> String {
        let started = Date()
        let done = try runGenwindow(arguments + ["--out", reference])
        #expect(done.status == 0, "\(name): \(done.stderr)")
        var delay = min(seconds, Date().timeIntervalSince(started) / 2)
        var run = ""
        var status: Int32 = 0
        for attempt in 0..<5 where status != 143 {
            run = path(attempt)
            let process = try Self.start(arguments + ["--force"], path: run)
            usleep(UInt32(delay * 1e6))
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            status = process.terminationStatus
            delay /= 2
        }
        #expect(status == 143, "\(name): the run ended before the signal in 5 tries")
        #expect(try RunReader.read(path: run).end?.reason == .interrupted)
        return run
    }

    /// `emm` continues a probe that was interrupted (here: a probe's own command stopped by SIGTERM) from its saved
    /// state instead of training it again, and the probe's run file is the one an uninterrupted probe writes.
    @Test func emmContinuesAnInterruptedProbe() throws {
        let folder = try temporaryFolder("emm-resume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shared = ["--data", "gaussian", "--data-dim", "2", "--width", "16", "--depth", "1", "--time-embedding", "8",
                      "--batch", "8", "--fixed-batch", "--steps", "15000", "--eval-samples", "32", "--sample-steps", "10",
                      "--test-n", "32", "--evals-per-decade", "20", "--checkpoint-every", "0.05"]
        let probe = ["train", "--headless", "--model", "ddpm", "--n", "4", "--seed", "0"] + shared
        let reference = folder + "/reference.jsonl"
        let path = try interrupted(probe, name: "emm-probe", after: 0.5, reference: reference) { _ in folder + "/emm/emm-n4.jsonl" }
        let emm = try runGenwindow(["emm", "--model", "ddpm", "--epsilon", "0.1", "--n-start", "4", "--n-min", "4",
                                    "--n-max", "4", "--out", folder + "/emm"] + shared)
        #expect(emm.status == 0, "\(emm.stdout)\(emm.stderr)")
        #expect(emm.stdout.contains("n 4  continuing the interrupted probe from its saved state"), "\(emm.stdout)")
        #expect(!emm.stdout.contains("starting it again") && emm.stdout.contains("EMM_0.1"), "\(emm.stdout)")
        let expected = try Self.records(reference), continued = try Self.records(path)
        #expect(continued.records == expected.records, "the continued probe differs from an uninterrupted one")
        #expect(try RunReader.read(path: path).records.contains { r in
            if case .event(let e) = r { return e.kind == EventKind.resumed }
            return false
        })
    }

    @Test func ddpmWithSGDLabelsWarmupAndClippingResumes() throws {
        try interruptAndResume([
            "train", "--headless", "--model", "ddpm", "--data", "gmm", "--data-dim", "2", "--n", "16", "--width", "16",
            "--depth", "1", "--time-embedding", "8", "--batch", "8", "--steps", "15000", "--eval-samples", "32",
            "--sample-steps", "10", "--test-n", "32", "--evals-per-decade", "20", "--optimizer", "sgd",
            "--labels", "random", "--classes", "3", "--label-dropout", "0.1", "--warmup", "100", "--clip", "1",
            "--weight-decay", "0.01", "--checkpoint-every", "0.05",
        ], name: "ddpm-sgd", after: 0.5)
    }

    @Test func generativeRFResumes() throws {
        try interruptAndResume([
            "train", "--headless", "--d", "4", "--p", "32", "--n", "8", "--steps", "60000", "--eval-per-decade", "40",
            "--seed", "3", "--generative", "--gen-times", "4", "--gen-samples", "16", "--gen-reference", "32",
            "--gen-per-decade", "10", "--checkpoint-every", "0.05",
        ], name: "rf-generative", after: 0.1)
    }

    @Test func rfOnADatasetResumes() throws {
        try interruptAndResume([
            "train", "--headless", "--data", "gmm", "--d", "4", "--p", "48", "--n", "8", "--steps", "100000",
            "--eval-per-decade", "40", "--seed", "3", "--checkpoint-every", "0.05",
        ], name: "rf-gmm", after: 0.25)
    }

    /// The Gram-form solver resumes from A (the eigenbasis solver, the default above, from B = A Q).
    @Test func rfWithTheGramSolverResumes() throws {
        try interruptAndResume([
            "train", "--headless", "--d", "4", "--p", "48", "--n", "8", "--steps", "100000", "--eval-per-decade", "40",
            "--seed", "3", "--solver", "gram", "--checkpoint-every", "0.05",
        ], name: "rf-gram", after: 0.25)
    }

    @Test func anOptimalRunSaysItHasNothingToResume() throws {
        let folder = try temporaryFolder("resume-optimal")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.jsonl"
        let done = try runGenwindow(["train", "--headless", "--model", "optimal", "--data", "gaussian", "--data-dim", "2",
                                     "--n", "16", "--test-n", "32", "--eval-samples", "32", "--sample-steps", "10",
                                     "--out", path])
        #expect(done.status == 0, "\(done.stderr)")
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let again = try runGenwindow(["train", "--headless", "--resume", path])
        #expect(again.status == 1 && again.stderr.contains("no training state"), "\(again.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
    }

    /// A tiny DDPM job, in process.
    static func job(_ settings: DDPMSettings) throws -> DDPMJob {
        try DDPMJob(settings: settings, created: "2026-01-01T00:00:00Z")
    }

    static let settings = DDPMSettings(data: .gaussian(dimension: 2), n: 8, testCount: 16, steps: 50, width: 8,
                                       depth: 1, timeEmbedding: 4, batch: 4, ema: 0.9, evalSamples: 8,
                                       evalsPerDecade: 4, bootstrapResamples: 10, lossDraws: 1)

    @Test func ddpmSettingsComeBackFromTheirHeader() throws {
        var variants = [Self.settings]
        var sgd = Self.settings
        sgd.optimizer = OptimizerSettings(kind: .sgd, learningRate: 0.02, momentum: 0.8, weightDecay: 0.1,
                                          decoupledWeightDecay: false, clipNorm: 2, warmupSteps: 7)
        sgd.labels = .random
        sgd.randomClasses = 3
        sgd.schedule = .cosine
        sgd.sampler = .ddpm
        sgd.fidPlateau = 0.1
        sgd.persistence = 3
        sgd.fidSmoothing = 5
        sgd.fidFall = 0.5
        sgd.memFloor = 0.05
        sgd.data = .gmm(dimension: 3, components: 4)
        sgd.stopWhen = StopRule(name: "fid-min", patience: 4, minDelta: 0.5)
        variants.append(sgd)
        var window = Self.settings
        window.stopWhen = .window
        variants.append(window)
        var fixed = Self.settings
        fixed.batch = 16
        fixed.fixedBatch = true
        variants.append(fixed)
        for settings in variants {
            let header = try Self.job(settings).header
            let back = try DDPMSettings(header: header)
            #expect(back.stopWhen == settings.stopWhen)
            #expect(try Self.job(back).header.config == header.config)
            #expect(back.generalization == settings.generalization)
        }
        // A header from before fid_smoothing and fid_fall: the rule it applied, and its recorded text.
        var config = try Self.job(Self.settings).header.config
        config["fid_smoothing"] = nil
        config["fid_fall"] = nil
        let old = try DDPMSettings(header: RunHeader(created: "", model: "ddpm", config: config))
        #expect(old.generalization.description == "tau_gen: value ≤ min + 0.25·|min| for 3 consecutive evaluations")
    }

    @Test func aFixedBatchIsTheSameWorkAtEveryN() throws {
        var fixed = Self.settings
        fixed.batch = 16
        fixed.fixedBatch = true
        let job = try Self.job(fixed)
        #expect(job.trainer.batch == 16)
        #expect(job.header.config["batch"]?.double == 16 && job.header.config["batch_rule"]?.string == "fixed")
        for _ in 0..<5 { #expect(job.trainer.step().isFinite) }
        let position = job.trainer.position
        #expect(position.order.sorted() == Array(0..<8) && position.cursor == 8 && position.completedSteps == 5)
        var larger = fixed
        larger.n = 64
        #expect(try Self.job(larger).trainer.multiplyAddsPerStep == job.trainer.multiplyAddsPerStep)
        fixed.fixedBatch = false
        let capped = try Self.job(fixed)
        #expect(capped.trainer.batch == 8 && capped.header.config["batch_rule"]?.string == "min(n, batch)")
    }

    @Test func aDDPMStateRoundTripsAndAForeignOneIsRefused() throws {
        let job = try Self.job(Self.settings)
        for _ in 0..<7 { job.trainer.step() }
        job.step = 7
        job.nextEval = job.evalSteps.firstIndex { $0 >= 7 }!
        let state = try TrainingState.decode(job.captureState().encode())
        let fresh = try Self.job(Self.settings)
        try fresh.restore(state)
        #expect(fresh.captureState() == job.captureState())
        #expect(fresh.trainer.step() == job.trainer.step())

        var wider = Self.settings
        wider.width = 12
        #expect(throws: TrainingStateError.self) { try Self.job(wider).restore(state) }
        var damaged = state
        damaged.meta["optimizer_updates"] = 3
        #expect(throws: TrainingStateError.self) { try Self.job(Self.settings).restore(damaged) }
    }
}
