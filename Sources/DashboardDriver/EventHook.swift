import Dashboard
import Foundation
import RunFormat

/// `--on-event CMD`: runs CMD through `/bin/sh -c` when an event becomes final, without waiting for it, with
/// GENWINDOW_EVENT, GENWINDOW_STEP, GENWINDOW_RUN (the run's path) and GENWINDOW_VALUE in its environment. Its
/// output is appended to a log beside the run (`RUN.on-event.log`), or to `logDirectory` for a run without a
/// file.
public struct EventHook: Sendable {
    public let command: String
    public let logDirectory: String

    public init(command: String, logDirectory: String = FileManager.default.currentDirectoryPath) {
        self.command = command
        self.logDirectory = logDirectory
    }

    /// The log a run's hook output goes to.
    public func logPath(for run: RunKey) -> String {
        run.path.isEmpty ? (logDirectory as NSString).appendingPathComponent("genwindow.on-event.log") : run.path + ".on-event.log"
    }

    /// The hook's environment additions for `event`.
    public static func environment(_ event: FinalEvent) -> [String: String] {
        ["GENWINDOW_EVENT": event.kind, "GENWINDOW_STEP": String(event.step), "GENWINDOW_RUN": event.run.path,
         "GENWINDOW_VALUE": event.value.map { $0.isFinite ? "\($0)" : "nan" } ?? ""]
    }

    /// Starts the command; returns a one-line problem when it could not be started.
    public func run(_ event: FinalEvent) -> String? {
        let log = logPath(for: event.run)
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        guard let output = FileHandle(forWritingAtPath: log) else { return "--on-event: cannot write \(log)" }
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ProcessInfo.processInfo.environment.merging(EventHook.environment(event)) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        process.terminationHandler = { _ in try? output.close() }
        do {
            try process.run()
        } catch {
            try? output.close()
            return "--on-event: cannot start /bin/sh: \(error)"
        }
        return nil
    }
}
