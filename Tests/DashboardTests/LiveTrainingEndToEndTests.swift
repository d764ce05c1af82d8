import Foundation
import RunFiles
import RunFormat
import Testing

/// `genwindow train` with the live dashboard, driven in tmux: marks, quitting, and signals while training.
@Suite(.serialized)
struct LiveTrainingEndToEndTests {
    /// A tiny RF problem with a budget far too large to finish during the test.
    static func trainArguments(_ run: String) -> String {
        "train --model rf --d 4 --p 64 --n 4 --t 0.1 --steps 100000000 --out \(run)"
    }

    static func endRecord(_ path: String) -> EndRecord? { (try? RunReader.read(path: path))?.end }

    @Test func markThenQuitEndsTheRunInterruptedWithCheckpoints() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        let run = e.directory + "/live.jsonl"
        try e.start(Self.trainArguments(run))
        _ = try e.waitForScreen { $0.contains("LIVE") && $0.contains("steps/s") }
        e.keys("m")
        try e.waitUntil {
            (try? RunReader.read(path: run))?.records.contains { if case .mark = $0 { true } else { false } } ?? false
        }
        e.keys("q")
        _ = try e.waitForScreen { $0.contains("y") && $0.lowercased().contains("stop") }
        e.keys("y")
        #expect(try e.exitStatus() == 0)
        let log = try RunReader.read(path: run)
        #expect(log.end?.reason == .interrupted)
        let mark = log.records.compactMap { if case .mark(let m) = $0 { m } else { nil } }.first
        let markCheckpoint = try #require(mark?.checkpoint)
        #expect(FileManager.default.fileExists(atPath: e.directory + "/" + (markCheckpoint as NSString).lastPathComponent))
        let end = try #require(log.end)
        #expect(FileManager.default.fileExists(atPath: e.directory + "/live.step\(end.step).ckpt"))
        let stty = e.sttyAfterExit()
        #expect(stty.contains(" echo") && stty.contains(" icanon"), "terminal left in raw mode: \(stty)")
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func signalDuringLiveTraining(signal: Int32) throws {
        let e = try EndToEnd(width: 100, height: 30)
        defer { e.close() }
        let run = e.directory + "/live.jsonl"
        try e.start(Self.trainArguments(run))
        _ = try e.waitForScreen { $0.contains("LIVE") && $0.contains("steps/s") }
        try e.signalBinary(signal)
        #expect(try e.exitStatus() == 128 + signal)
        #expect(Self.endRecord(run)?.reason == .interrupted)
        let stty = e.sttyAfterExit()
        #expect(stty.contains(" echo") && stty.contains(" icanon"), "terminal left in raw mode: \(stty)")
    }
}
