import ArgumentParser
import RunFiles

/// `genwindow replay PATH`: step through a saved run in the dashboard; marks are appended to the file.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Step through a saved run in the dashboard (←/→ move, m marks, d deletes a mark, q quits).",
        discussion: "Marks are appended to the run file as mark records; deleting one appends a mark_deleted event. Nothing is rewritten."
    )

    @Argument(help: "The run file (.jsonl) to replay.")
    var path: String

    @OptionGroup var options: ViewerOptions

    func run() async throws {
        let settings = try options.display.settings()
        // The file first: a missing or unreadable run is the error to report, with or without a terminal.
        let log: RunLog
        do {
            log = try RunReader.read(path: path, malformed: .skip)
        } catch {
            throw RuntimeError("\(error)")
        }
        try DashboardSession.requireTerminal()
        try await DashboardSession.replay(log, sweep: try options.sweepFolder(), display: settings)
    }
}
