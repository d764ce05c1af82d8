import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing
import TestSupport
import Training

/// `kill -9` of `genwindow train --headless` at seeded random moments: the run file stays readable with its
/// header, loses at most the last second of records (the rest are exactly the reference run's), and
/// `--resume` completes it into the reference run, record for record.
@Suite(.serialized) struct CrashSafetyTests {
    /// A tiny RF problem that trains for about a second in a debug build, with dense evaluations.
    static let arguments = ["train", "--headless", "--d", "4", "--p", "32", "--n", "8", "--steps", "30000",
                            "--eval-per-decade", "200", "--seed", "7", "--checkpoint-every", "0.05"]
    static let trials = 20

    @Test func killNineAtRandomMomentsLosesAtMostTheLastSecondAndResumes() throws {
        let folder = try temporaryFolder("kill9")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reference = folder + "/reference.jsonl"
        let done = try runGenwindow(Self.arguments + ["--out", reference])
        #expect(done.status == 0, "\(done.stderr)")
        let expected = try RunReader.read(path: reference)
        let expectedRecords = expected.records.map(comparable)
        #expect(expected.end?.reason == .completed)
        // The largest gap between consecutive metrics records: how far apart evaluations can be.
        let times = expected.records.compactMap { r -> Double? in if case .metrics(let m) = r { m.timeSeconds } else { nil } }
        let gap = zip(times.dropFirst(), times).map { $0 - $1 }.max() ?? 0

        // Kill moments are spread over the first 60% of the reference run's own duration, so they land mid-run on
        // fast and slow machines alike, and still do when a trial runs up to 1.6× faster than the reference did
        // (the suite runs beside other tests: with moments up to 90%, 11 of 20 trials once finished first).
        let duration = times.last ?? 1
        var rng = Xoshiro256(seed: 2026)
        var resumed = 0, interruptedBeforeState = 0, finishedBeforeKill = 0
        for trial in 0..<Self.trials {
            let path = folder + "/trial\(trial).jsonl"
            let delay = duration * (0.05 + 0.55 * rng.nextUniform())
            let process = Process()
            process.executableURL = genwindowBinary()
            process.arguments = Self.arguments + ["--out", path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The full header replaces the preliminary one once setup is done; time_s counts from about then.
            while process.isRunning && !Self.setupDone(path) { usleep(2_000) }
            let start = Date()
            usleep(UInt32(delay * 1e6))
            let killedAfter = Date().timeIntervalSince(start)
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let log = try RunReader.read(path: path)  // malformed lines inside the file would throw
            #expect(log.header.model == expected.header.model && log.header.config == expected.header.config)
            let records = log.records.map(comparable)
            #expect(records.count <= expectedRecords.count)
            #expect(Array(expectedRecords.prefix(records.count)) == records, "trial \(trial): records differ from the reference")
            if !wasRunning || log.end != nil {
                finishedBeforeKill += 1
                continue
            }
            let lastTime = log.records.compactMap { r -> Double? in if case .metrics(let m) = r { m.timeSeconds } else { nil } }.last ?? 0
            // Buffered metrics are written at least once a second; allow one evaluation gap and scheduling slack.
            #expect(lastTime >= killedAfter - 1.0 - gap - 0.5,
                    "trial \(trial): killed after \(killedAfter) s, last record at \(lastTime) s")

            let statePath = TrainingRunner.statePath(forRun: path)
            let again = try runGenwindow(["train", "--headless", "--resume", path])
            if !FileManager.default.fileExists(atPath: statePath) {
                #expect(again.status == 1 && again.stderr.contains("no usable checkpoint state"))
                interruptedBeforeState += 1
                continue
            }
            #expect(again.status == 0, "trial \(trial): \(again.stderr)")
            let continued = try RunReader.read(path: path)
            let withoutResume = continued.records.filter { r in
                if case .event(let e) = r { return e.kind != "resumed" }
                return true
            }
            #expect(withoutResume.map(comparable) == expectedRecords, "trial \(trial): resumed run differs from the reference")
            #expect(continued.records.contains { if case .event(let e) = $0 { e.kind == "resumed" } else { false } })
            resumed += 1
        }
        print("kill -9 trials: \(Self.trials), resumed \(resumed), killed before the first state \(interruptedBeforeState), finished before the kill \(finishedBeforeKill)")
        #expect(resumed >= Self.trials / 2)
    }

    /// True once `path` holds the run's full header (not the preliminary one train writes during its setup).
    static func setupDone(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let header = text.split(separator: "\n").first else { return false }
        return !header.contains("\"setup\":\"in progress\"")
    }

    @Test func resumingACompletedRunIsRefused() throws {
        let folder = try temporaryFolder("resume-done")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.jsonl"
        _ = try runGenwindow(["train", "--headless", "--d", "4", "--p", "16", "--n", "4", "--steps", "50", "--out", path])
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let again = try runGenwindow(["train", "--headless", "--resume", path])
        #expect(again.status == 1 && again.stderr.contains("already ended (completed"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
    }

    @Test func aStateFromAnotherRunIsRefused() throws {
        let folder = try temporaryFolder("resume-other")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let a = folder + "/a.jsonl", b = folder + "/b.jsonl"
        let common = ["train", "--headless", "--n", "4", "--steps", "1000000", "--checkpoint-every", "0.01"]
        for (path, p) in [(a, "16"), (b, "24")] {
            let process = Process()
            process.executableURL = genwindowBinary()
            process.arguments = common + ["--d", "4", "--p", p, "--out", path]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // Its first state checkpoint shows training (and the signal handlers) started.
            while process.isRunning && !FileManager.default.fileExists(atPath: TrainingRunner.statePath(forRun: path)) {
                usleep(5_000)
            }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 143)
        }
        try FileManager.default.removeItem(atPath: TrainingRunner.statePath(forRun: a))
        try FileManager.default.copyItem(atPath: TrainingRunner.statePath(forRun: b), toPath: TrainingRunner.statePath(forRun: a))
        let before = try String(contentsOfFile: a, encoding: .utf8)
        let again = try runGenwindow(["train", "--headless", "--resume", a])
        #expect(again.status == 1 && again.stderr.contains("not of this run"), "\(again.stderr)")
        #expect(try String(contentsOfFile: a, encoding: .utf8) == before)
    }

    @Test func stateRoundTripsAndRejectsDamage() throws {
        let state = TrainingState(meta: ["step": 3, "tau": 0.5], arrays: [
            ("a", NpyArray(shape: [2, 2], values: .float32([1, 2, 3, .nan]))),
            ("s", NpyArray(shape: [1], values: .int64([9]))),
        ])
        let bytes = state.encode()
        let back = try TrainingState.decode(bytes)
        #expect(back.meta == state.meta && back.arrays.map(\.name) == ["a", "s"])
        for cut in [0, 5, bytes.count / 2, bytes.count - 1] {
            #expect(throws: TrainingStateError.self) { try TrainingState.decode(Array(bytes.prefix(cut))) }
        }
        #expect(throws: TrainingStateError.self) { try TrainingState.decode(bytes + [0]) }
    }
}
