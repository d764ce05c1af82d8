import Foundation
import RunFiles
import RunFormat
import Testing
import TestSupport

/// SIGTERM or SIGHUP while `train` is still setting up (issue #18, item 9): the run file exists from the start
/// with a preliminary header, and the signal ends it as interrupted at step 0 with a one-line message and exit
/// status 128 + the signal. Readers and `--resume` cope with such a file.
@Suite(.serialized) struct SetupSignalTests {
    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalDuringTheSetupEndsTheRunInterruptedAtStepZero(signal: Int32) throws {
        let folder = try temporaryFolder("setup-signal")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.jsonl", errors = folder + "/stderr.txt"
        #expect(FileManager.default.createFile(atPath: errors, contents: nil))
        let process = Process()
        process.executableURL = genwindowBinary()
        // n = 800 at the default d = 25, p = 1600: seconds of setup (U, V, the eigendecomposition of U).
        process.arguments = ["train", "--model", "rf", "--n", "800", "--headless", "--out", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Wait for the preliminary header (bounded, so a broken build fails instead of hanging).
        let deadline = Date().addingTimeInterval(120)
        var preliminary = false
        while process.isRunning && Date() < deadline && !preliminary {
            preliminary = (try? String(contentsOfFile: path, encoding: .utf8))?.contains("\"in progress\"") ?? false
            if !preliminary { usleep(10_000) }
        }
        #expect(preliminary, "no preliminary header appeared in \(path)")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let message = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(process.terminationStatus == 128 + signal, "\(message)")
        let lines = message.split(separator: "\n")
        let name = signal == SIGTERM ? "SIGTERM" : "SIGHUP"
        #expect(lines.count == 1 && lines[0].hasPrefix("genwindow: \(name) during the setup") && lines[0].contains(path),
                "\(message)")
        let log = try RunReader.read(path: path)
        #expect(log.header.model == "rf")
        #expect(log.header.config["setup"]?.string == "in progress" && log.header.config["n"]?.int == 800)
        #expect(log.records.count == 1)  // the end record: nothing was trained
        #expect(log.end?.step == 0 && log.end?.reason == .interrupted && log.end?.extra["during"]?.string == "setup")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["run.jsonl", "stderr.txt"])
    }

    /// SIGTERM the moment the run file appears (a tiny setup: it may land during the setup, between setup and
    /// training, or in the first steps) is never lost: the traps are in place before the file exists.
    @Test func aSignalTheMomentTheRunFileAppearsIsNeverLost() throws {
        let folder = try temporaryFolder("setup-race")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for trial in 0..<10 {
            let path = folder + "/run\(trial).jsonl"
            let process = Process()
            process.executableURL = genwindowBinary()
            process.arguments = ["train", "--headless", "--d", "4", "--p", "16", "--n", "8", "--steps", "100000000",
                                 "--out", path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            while process.isRunning && !FileManager.default.fileExists(atPath: path) { usleep(200) }
            kill(process.processIdentifier, SIGTERM)
            // Bounded wait: a lost signal would otherwise train for 10⁸ steps.
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            #expect(process.terminationStatus == 128 + SIGTERM, "trial \(trial): status \(process.terminationStatus)")
            #expect(try RunReader.read(path: path).end?.reason == .interrupted, "trial \(trial)")
        }
    }

    @Test func aFinishedSetupReplacesThePreliminaryHeader() throws {
        let folder = try temporaryFolder("setup-done")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.jsonl"
        let r = try runGenwindow(["train", "--headless", "--d", "4", "--p", "16", "--n", "4", "--steps", "5", "--out", path])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try RunReader.read(path: path)
        #expect(log.header.config["setup"] == nil && log.header.config["lr"]?.double != nil)
        #expect(log.end?.reason == .completed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func aRunStoppedDuringItsSetupCanBeReadButNotResumed() throws {
        let folder = try temporaryFolder("setup-readers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.jsonl"
        let writer = try RunWriter(creating: path, header: RunHeader(
            created: "2026-12-04T00:00:00Z", model: "rf",
            config: ["data": "gaussian", "d": 25, "p": 1600, "n": 800, "seed": 0, "setup": "in progress"]))
        try writer.append(.end(EndRecord(step: 0, reason: .interrupted, extra: ["during": "setup"])))
        try writer.close()
        let resume = try runGenwindow(["train", "--headless", "--resume", path])
        let lines = resume.stderr.split(separator: "\n")
        #expect(resume.status == 1 && lines.count == 1 && lines[0].contains("nothing to resume"), "\(resume.stderr)")
        let snapshot = try runGenwindow(["export", path, "--snapshot", "--csv", folder + "/run.csv"])
        #expect(snapshot.status == 0 && snapshot.stdout.contains("REPLAY"), "\(snapshot.stderr)")
        let phase = try runGenwindow(["phase", folder, "--json"])
        #expect(phase.status == 0 && phase.stdout.contains("\"unfinished\""), "\(phase.stdout)\(phase.stderr)")
    }
}
