import ArgumentParser
import DashboardDriver
import Foundation
import Workspace

/// `genwindow watch PATH`: follow a run file, or every run of a folder, that other processes (e.g.
/// `genwindow train --headless`) write.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow runs that other processes are writing (the SSH case: train headless, detach, watch later).",
        discussion: "PATH is a run file (it may not exist yet) or a directory (it may hold no runs yet): then every .jsonl run in it is followed, new ones too; the newest is shown first and ] / [ switch runs. The phase diagram and the tau_mem forecast use every run in the directory, re-read as runs are added and grow. PATH may also be a run genwindow did not train: a TensorBoard event file or log directory, a CSV file with a step column (Lightning's metrics.csv) or JSON lines with a step key; with --samples or --samples-tag and --train, memorization is measured on its samples as they appear, and what genwindow measures and the marks you set go to RUN.genwindow.jsonl beside the run (docs/sources.md)."
    )

    @Argument(help: "A run file (.jsonl), a directory of runs, or a run genwindow did not train (TensorBoard event file or log directory, CSV, JSON lines).")
    var path: String

    @OptionGroup var options: ViewerOptions

    @OptionGroup(title: "Runs genwindow did not train") var external: ExternalRunOptions

    @Option(parsing: .unconditional, help: "Seconds without news after which a run with no end record is stalled (runs pane, --on-event).")
    var stallAfter: Double = RunStatus.defaultStallAfter

    @Option(help: ArgumentHelp("A shell command run (through /bin/sh -c, never blocking the dashboard) when an event becomes final while watching: tau_gen, tau_mem, early_stop, diverged, stalled.",
                               discussion: "Its environment has GENWINDOW_EVENT, GENWINDOW_STEP, GENWINDOW_RUN (the run file) and GENWINDOW_VALUE (tau, the FID at an early stop, the last train loss of a diverged run, the seconds a run has been silent); its output goes to RUN.on-event.log beside the run. The terminal bell rings and the status line names the event. Events already in a run when watching starts are not announced."))
    var onEvent: String?

    func validate() throws {
        guard stallAfter > 0 && stallAfter.isFinite else { throw ValidationError("--stall-after must be a positive number of seconds, got \(stallAfter)") }
        if let onEvent, onEvent.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--on-event needs a command") }
    }

    func run() async throws {
        let settings = try options.display.settings()
        let watching = DashboardSession.WatchSettings(stallAfter: stallAfter, onEvent: onEvent.map { EventHook(command: $0) })
        if let source = try external.source(path: path, live: true) {
            try DashboardSession.requireTerminal()
            return try await DashboardSession.external(source, mode: .watch, sweep: try options.sweepFolder(), watching: watching,
                                                       display: settings)
        }
        try DashboardSession.requireTerminal()
        try await DashboardSession.watch(path: path, sweep: try options.sweepFolder(), watching: watching, display: settings)
    }
}
