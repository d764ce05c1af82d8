import ArgumentParser
import Foundation
import RunFiles
import RunFormat
import TerminalUI
import Workspace

/// `genwindow ls DIR`: the runs of a folder as a table, without a terminal (Slurm output folders, CI logs).
struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the runs of a folder: status, step, the settings that differ, tau_gen, tau_mem and the latest values.",
        discussion: """
        Reads every run file (*.jsonl) under DIR, subfolders included (or the one run file DIR names). Status is \
        the end record's reason (completed, interrupted, diverged); a run without one is running, or stalled when \
        its file was last written more than --stall-after seconds ago. tau_gen and tau_mem are the steps of the \
        newest final events (provisional ones are not listed).

        --json writes a list with one object per run and exactly the keys path, model, status, step, settings \
        (the header's settings), tau_gen, tau_mem (steps, or null) and latest (the newest value of every series).

        --filter keeps the runs a query matches: space-separated terms that must all hold, `key=value`, \
        `key!=value`, `key<value` (also <=, >, >=) on header settings, `/regex/` on the path, or a word the path \
        contains (e.g. `n>=64 labels=random`).
        """
    )

    @Argument(help: "A folder of run files (searched recursively), or one run file.")
    var directory: String

    @Flag(help: "Write JSON instead of the table.")
    var json = false

    @Option(parsing: .unconditional, help: "Seconds without a new record after which a run with no end record is stalled.")
    var stallAfter: Double = RunStatus.defaultStallAfter

    @Option(help: "Keep only the runs this query matches (see below).")
    var filter: String?

    func validate() throws {
        guard stallAfter > 0 && stallAfter.isFinite else { throw ValidationError("--stall-after must be a positive number of seconds, got \(stallAfter)") }
        if let filter {
            do { _ = try RunQuery(filter) } catch { throw ValidationError("--filter: \(error)") }
        }
    }

    /// One run's row.
    struct Row {
        var path: String
        var tally: RunTally
        var status: RunStatus
    }

    func run() throws {
        let query = try filter.map { try RunQuery($0) }
        let paths = try Self.runFiles(directory)
        var rows: [Row] = []
        var skipped = 0
        let now = Date()
        for path in paths {
            guard let log = try? RunReader.read(path: path, malformed: .skip) else {
                skipped += 1
                continue
            }
            let tally = RunTally([.header(log.header)] + log.records)
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
            let status = RunStatus.of(end: tally.end, secondsSinceLastWrite: now.timeIntervalSince(modified), stallAfter: stallAfter)
            let name = Self.relative(path, to: directory)
            if let query, !query.matches(name: name, settings: log.header.config) { continue }
            rows.append(Row(path: name, tally: tally, status: status))
        }
        if skipped > 0 { writeStandardError("genwindow: skipped \(skipped) file(s) that are not readable genwindow runs\n") }
        guard !rows.isEmpty || query != nil else { throw RuntimeError("no genwindow runs in \(directory)") }
        print(json ? JSONWriter.string(.array(rows.map(Self.json))) : Self.table(rows), terminator: json ? "\n" : "")
    }

    /// The run files under `path` (recursively), sorted; `path` itself when it is a file.
    static func runFiles(_ path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw RuntimeError("\(path) does not exist") }
        guard isDirectory.boolValue else { return [path] }
        guard let walker = FileManager.default.enumerator(atPath: path) else { throw RuntimeError("\(path): cannot list the folder") }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".jsonl") }.sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    static func relative(_ path: String, to base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The step of a final time event, for the table and the JSON.
    static func finalStep(_ event: EventRecord?) -> Int? {
        guard let event, !RunTally.isProvisional(event) else { return nil }
        return event.step
    }

    static func json(_ row: Row) -> JSONValue {
        let latest = JSONObject(row.tally.latest.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) })
        return .object([
            "path": .string(row.path),
            "model": row.tally.header.map { .string($0.model) } ?? .null,
            "status": .string(row.status.rawValue),
            "step": row.tally.step.map { .number(Double($0)) } ?? .null,
            "settings": .object(row.tally.header?.config ?? JSONObject()),
            EventKind.tauGen: finalStep(row.tally.tauGen).map { .number(Double($0)) } ?? .null,
            EventKind.tauMem: finalStep(row.tally.tauMem).map { .number(Double($0)) } ?? .null,
            "latest": .object(latest),
        ])
    }

    /// The latest values the table shows, with their column names.
    static let latestColumns = [(MetricName.trainLoss, "train"), (MetricName.testLoss, "test"), (MetricName.memFrac, "f_mem"), (MetricName.fid, MetricName.fid)]

    /// A setting's cell, at most 24 characters.
    static func cell(_ text: String) -> String { text.count > 24 ? String(text.prefix(23)) + "…" : text }

    static func table(_ rows: [Row]) -> String {
        let settings = RunSettings.differing(rows.map { $0.tally.header?.config ?? JSONObject() })
        let header = ["path", "model", "status", "step"] + settings + [EventKind.tauGen, EventKind.tauMem] + latestColumns.map(\.1)
        let cells: [[String]] = rows.map { row in
            let config = row.tally.header?.config ?? JSONObject()
            return [row.path, row.tally.header?.model ?? "–", row.status.rawValue, row.tally.step.map(String.init) ?? "–"]
                + settings.map { Self.cell(config[$0]?.double.map(NumberFormat.value) ?? RunSettings.text(config[$0])) }
                + [finalStep(row.tally.tauGen).map(String.init) ?? "–", finalStep(row.tally.tauMem).map(String.init) ?? "–"]
                + latestColumns.map { row.tally.latest[$0.0].map(NumberFormat.value) ?? "–" }
        }.map { $0.map(Sanitize.text) }
        let widths = header.indices.map { i in ([header[i]] + cells.map { $0[i] }).map(\.count).max()! }
        return ([header] + cells).map { line in
            line.indices.map { i in line[i].padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
