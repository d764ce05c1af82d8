import Dashboard
import Foundation
import Metrics
import Phases
import RunFiles
import RunFormat
import Sweeps
import TerminalUI

/// What the dashboard takes from a folder of runs: the phase-diagram cells, and per run what the tau_mem ∝ n
/// forecast needs (its settings, n and detected tau_mem in the run's time unit).
struct SweepFolder: Sendable {
    /// One readable run of the folder.
    struct Run: Sendable {
        var name: String
        /// The model and the settings that define model and problem (`comparedSettings`).
        var settings: String
        var n: Int
        /// tau_mem (final, reached) in `unit`: τ for RF (its step size depends on n), steps otherwise.
        var tauMem: Double?
        var unit: String
    }

    /// The header settings two runs must share for one to forecast the other (the ∝ n law holds at fixed model
    /// size and problem; learning rates and budgets derived from n may differ).
    static let comparedSettings = ["data", "d", "dimension", "p", "width", "depth", "t", "labels"]

    /// The header settings a run must share with a sweep to be placed among its cells: `comparedSettings` but
    /// the model size (n, p or width and the seed are what a sweep varies).
    static let problemSettings = comparedSettings.filter { $0 != "p" && $0 != "width" }

    var cells: [Dashboard.PhaseCell] = []
    var runs: [Run] = []
    /// Each run's model and `problemSettings` (`problemKey`).
    var problems: Set<String> = []

    /// Reads every `.jsonl` run of `directory` (unreadable ones are skipped); an error when none is readable.
    static func read(directory: String) throws -> SweepFolder {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }.sorted()
        } catch {
            throw RuntimeError("\(directory): cannot list the sweep folder")
        }
        var summaries: [CellSummary] = []
        var folder = SweepFolder()
        for name in names {
            guard let log = try? RunReader.read(path: (directory as NSString).appendingPathComponent(name), malformed: .skip),
                  let summary = try? CellSummary(log: log, name: name) else { continue }
            summaries.append(summary)
            folder.problems.insert(problemKey(log.header))
            folder.runs.append(Run(name: name, settings: settingsKey(log.header), n: summary.n,
                                   tauMem: summary.tauMemReached && summary.tauMem?.provisional == false ? summary.tauMem?.tau : nil,
                                   unit: summary.timeUnit))
        }
        guard !summaries.isEmpty else { throw RuntimeError("\(directory): no readable run files for the phase diagram") }
        folder.cells = PhaseDiagram(summaries: summaries, thresholds: PhaseThresholds()).cells.map { cell in
            Dashboard.PhaseCell(n: cell.summary.n, p: cell.summary.p, region: cell.region)
        }
        return folder
    }

    /// A run's model and `problemSettings`, as "rf data=\"gaussian\" d=25 t=0.1".
    static func problemKey(_ header: RunHeader) -> String { key(header, problemSettings) }

    /// Refuses a sweep none of whose runs has `header`'s model and problem: its cells would be another
    /// experiment's diagram.
    func checkComparable(with header: RunHeader, sweepPath: String) throws {
        let key = SweepFolder.problemKey(header)
        guard problems.contains(key) else {
            let theirs = Sanitize.text(problems.sorted().joined(separator: "; "))
            throw RuntimeError("--sweep \(Sanitize.text(sweepPath)): its runs are \(theirs), this run is \(Sanitize.text(key)): not the same model and problem")
        }
    }

    /// The comparison key of a run: its model and its `comparedSettings`.
    static func settingsKey(_ header: RunHeader) -> String { key(header, comparedSettings) }

    /// The model, then `name=value` for each of `settings` the header has.
    private static func key(_ header: RunHeader, _ settings: [String]) -> String {
        ([header.model] + settings.compactMap { name in header.config[name].map { "\(name)=" + JSONWriter.string($0) } })
            .joined(separator: " ")
    }

    /// tau_mem ≈ c·n for the run with `header`, c fitted on the other runs (not named `excluding`) with the same
    /// settings that reached tau_mem; nil when there are none or the header has no n.
    func forecast(for header: RunHeader, excluding name: String?) -> MemorizationEstimate? {
        guard let n = header.config["n"]?.int else { return nil }
        let key = SweepFolder.settingsKey(header)
        let comparable = runs.filter { $0.name != name && $0.settings == key && $0.tauMem != nil }
        guard let unit = comparable.first?.unit else { return nil }
        let earlier = comparable.filter { $0.unit == unit }.map { (n: $0.n, time: $0.tauMem!) }
        guard let f = MemorizationForecast.proportionalToTrainingSize(earlier: earlier, n: n, unit: unit) else { return nil }
        return MemorizationEstimate(time: f.step, unit: unit, basis: "∝ n, \(earlier.count) run\(earlier.count == 1 ? "" : "s")")
    }
}
