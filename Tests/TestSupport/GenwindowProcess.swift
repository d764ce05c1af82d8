import Foundation

/// The built `genwindow` binary, beside the test bundle in the build folder.
public func genwindowBinary() -> URL {
    var dir = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("genwindow")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/genwindow")
}

/// How a finished `genwindow` process exited and what it printed.
public struct GenwindowOutcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `genwindow` to completion with stdin from /dev/null, adding `environment` to this process's own.
public func runGenwindow(_ arguments: [String], environment: [String: String] = [:],
                         currentDirectory: String? = nil) throws -> GenwindowOutcome {
    let process = Process()
    process.executableURL = genwindowBinary()
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return GenwindowOutcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self))
}
