import ArgumentParser
import Foundation
import RunFiles

/// `genwindow replay PATH`: step through a saved run, or every run of a folder, in the dashboard; marks are
/// appended to the run's file.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Step through a saved run in the dashboard (←/→ move, m marks, d deletes a mark, q quits).",
        discussion: "Marks are appended to the run file as mark records; deleting one appends a mark_deleted event. Nothing is rewritten."
    )

    @Argument(help: "The run file (.jsonl) to replay, a folder of them (r opens the runs pane), or a run genwindow did not train (TensorBoard event file or log directory, CSV, JSON lines).")
    var path: String

    @OptionGroup var options: ViewerOptions

    @OptionGroup(title: "Runs genwindow did not train") var external: ExternalRunOptions

    func run() async throws {
        let settings = try options.display.settings()
        if let source = try external.source(path: path, live: false) {
            try DashboardSession.requireTerminal()
            return try await DashboardSession.external(source, mode: .replay, sweep: try options.sweepFolder(), display: settings)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            guard !RunFileSources.runFiles(in: path).isEmpty else { throw RuntimeError("no run files (.jsonl) in \(path)") }
            let sweep = try options.sweepFolder()
            try DashboardSession.requireTerminal()
            return try await DashboardSession.replay(directory: path, sweep: sweep, display: settings)
        }
        // The files first: a missing or unreadable run, or a sweep of another experiment, is the error to report,
        // with or without a terminal.
        let log: RunLog
        do {
            log = try RunReader.read(path: path, malformed: .skip)
        } catch {
            throw RuntimeError("\(error)")
        }
        let sweep = try options.sweepFolder()
        try sweep?.checkComparable(with: log.header, sweepPath: options.sweep ?? "")
        try DashboardSession.requireTerminal()
        try await DashboardSession.replay(log, sweep: sweep, display: settings)
    }
}
