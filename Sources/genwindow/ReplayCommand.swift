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

    @Option(help: "A sweep folder of runs (from `genwindow sweep`) to fill the n × p phase diagram.")
    var sweep: String?

    @OptionGroup var display: DisplayOptions

    func run() async throws {
        let settings = try display.settings()
        try DashboardSession.requireTerminal()
        let log: RunLog
        do {
            log = try RunReader.read(path: path, malformed: .skip)
        } catch {
            throw RuntimeError("\(error)")
        }
        try await DashboardSession.replay(log, sweep: try sweep.map(DashboardSession.sweepCells) ?? [], display: settings)
    }
}
