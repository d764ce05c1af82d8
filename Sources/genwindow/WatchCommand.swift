import ArgumentParser
import Foundation

/// `genwindow watch PATH`: follow a run file, or every run of a folder, that other processes (e.g.
/// `genwindow train --headless`) write.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow runs that other processes are writing (the SSH case: train headless, detach, watch later).",
        discussion: "PATH is a run file (it may not exist yet) or a directory (it may hold no runs yet): then every .jsonl run in it is followed, new ones too; the newest is shown first and ] / [ switch runs. The phase diagram and the tau_mem forecast use every run in the directory, re-read as runs are added and grow."
    )

    @Argument(help: "A run file (.jsonl), or a directory of runs.")
    var path: String

    @OptionGroup var options: ViewerOptions

    func run() async throws {
        let settings = try options.display.settings()
        try DashboardSession.requireTerminal()
        try await DashboardSession.watch(path: path, sweep: try options.sweepFolder(), display: settings)
    }
}
