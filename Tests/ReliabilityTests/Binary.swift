import Foundation
import RunFiles
import RunFormat

/// The built `genwindow` binary, beside the test bundle in the build folder.
func genwindowBinary() -> URL {
    var dir = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("genwindow")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/genwindow")
}

struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs genwindow to completion.
func genwindow(_ arguments: [String], in directory: String? = nil) throws -> Outcome {
    let process = Process()
    process.executableURL = genwindowBinary()
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary folder.
func temporaryFolder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "genwindow-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A record with what varies between identical runs removed: wall-clock times and the creation date.
func comparable(_ record: RunRecord) -> RunRecord {
    switch record {
    case .metrics(var m):
        m.timeSeconds = 0
        return .metrics(m)
    case .end(let e):
        return .end(EndRecord(step: e.step, reason: e.reason))
    default:
        return record
    }
}
