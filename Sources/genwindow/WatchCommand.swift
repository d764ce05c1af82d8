import ArgumentParser
import Foundation

/// `genwindow watch PATH`: follow a run file that another process (e.g. `genwindow train --headless`) writes.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a run that another process is writing (the SSH case: train headless, detach, watch later).",
        discussion: "PATH is a run file (it may not exist yet) or a directory: then its newest .jsonl run is followed and the phase diagram shows every run in the directory, re-read as runs are added and grow."
    )

    @Argument(help: "A run file (.jsonl), or a directory of runs.")
    var path: String

    @Option(help: "A sweep folder of runs (from `genwindow sweep`) to fill the n × p phase diagram.")
    var sweep: String?

    @OptionGroup var display: DisplayOptions

    func run() async throws {
        let settings = try display.settings()
        try DashboardSession.requireTerminal()
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        try await DashboardSession.watch(path: try WatchCommand.runFile(for: path), sweep: try sweep.map(DashboardSession.sweepCells) ?? [],
                                         sweepDirectory: sweep == nil && folder ? path : nil, display: settings)
    }

    /// `path` itself, or for a directory its most recently modified `.jsonl` file.
    static func runFile(for path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return path }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let runs = names.filter { $0.hasSuffix(".jsonl") }.map { (path as NSString).appendingPathComponent($0) }
        let dated = runs.map { p in
            (p, (try? FileManager.default.attributesOfItem(atPath: p)[.modificationDate] as? Date) ?? .distantPast)
        }
        guard let newest = dated.max(by: { $0.1 < $1.1 }) else {
            throw RuntimeError("\(path): no .jsonl run files in this directory")
        }
        return newest.0
    }
}
