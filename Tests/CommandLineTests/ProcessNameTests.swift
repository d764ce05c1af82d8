import Foundation
import Testing
import TestSupport

/// genwindow re-executes itself at start (to set OpenBLAS variables); the running process must still be named
/// after its binary, so that ps, top and pkill find it.
@Suite struct ProcessNameTests {
    @Test func theReexecutedProcessKeepsItsName() throws {
        let folder = NSTemporaryDirectory() + "genwindow-name-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = genwindowBinary()
        process.arguments = ["train", "--headless", "--out", "run.jsonl", "--d", "4", "--p", "16", "--n", "8",
                             "--steps", "100000000"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "OPENBLAS_THREAD_TIMEOUT" }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // Wait until the re-executed process has started training (it writes the run file).
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: folder + "/run.jsonl") && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(process.isRunning)
        let comm = try String(contentsOfFile: "/proc/\(process.processIdentifier)/comm", encoding: .utf8)
        #expect(comm.trimmingCharacters(in: .whitespacesAndNewlines) == "genwindow")
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(process.processIdentifier)/environ"))
        #expect(environ.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "OPENBLAS_THREAD_TIMEOUT=20" })
    }
}
