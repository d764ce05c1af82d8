import Foundation
import RunFiles
import Testing
import TestSupport

/// `genwindow demo --headless` (what `make demo` runs without a terminal).
@Suite struct DemoCommandTests {
    @Test func aSignalStopsTheDemoInALaterCellAndAnEarlierDemosCellsAreReplaced() throws {
        let dir = NSTemporaryDirectory() + "gw-demo-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // A cell of an earlier demo that this one has not reached yet: it must not stay in the diagram.
        let stale = dir + "/n256-p1024.jsonl"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data("stale\n".utf8)))
        let process = Process()
        process.executableURL = genwindowBinary()
        process.arguments = ["demo", "--headless", "--out", dir]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The second cell's run file with its first records: the first cell is done, the second trains.
        let second = dir + "/n16-p512.jsonl"
        var waited = 0.0
        while process.isRunning && ((try? RunReader.read(path: second))?.records.count ?? 0) < 3 && waited < 300 {
            usleep(20_000)
            waited += 0.02
        }
        #expect(!FileManager.default.fileExists(atPath: stale), "an earlier demo's cell is still there")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(try RunReader.read(path: dir + "/n4-p512.jsonl").end?.reason == .completed)
        #expect(try RunReader.read(path: second).end?.reason == .interrupted)
        #expect(!FileManager.default.fileExists(atPath: dir + "/n64-p512.jsonl"), "the demo went on after the signal")
    }
}
