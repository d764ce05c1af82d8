import Dashboard
import Foundation
import Metrics
import RunFiles
import RunFormat
import Sweeps

/// What the dashboard takes from a folder of runs: the phase-diagram cells, and per run what the tau_mem ∝ n
/// forecast needs (its settings, n and detected tau_mem).
struct SweepFolder: Sendable {
    /// One readable run of the folder.
    struct Run: Sendable {
        var name: String
        /// The model and every header setting except those that vary within a sweep of n (n, seed, steps).
        var settings: String
        var n: Int
        var tauMem: Int?
    }

    /// Header settings left out when deciding whether two runs are comparable for the forecast.
    static let varyingSettings: Set<String> = ["n", "seed", "steps", "total_steps", "parameters", "threads"]

    var cells: [Dashboard.PhaseCell] = []
    var runs: [Run] = []

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
            folder.runs.append(Run(name: name, settings: settingsKey(log.header), n: summary.n,
                                   tauMem: summary.tauMemReached && summary.tauMem?.provisional == false ? summary.tauMem?.step : nil))
        }
        guard !summaries.isEmpty else { throw RuntimeError("\(directory): no readable run files for the phase diagram") }
        folder.cells = PhaseDiagram(summaries: summaries, thresholds: PhaseThresholds()).cells.map { cell in
            let region: Dashboard.PhaseRegion? = switch cell.region {
            case .memorization: .memorization
            case .generalization: .generalization
            case .architectural: .architecturalRegularization
            case .undetermined, .unfinished: nil
            }
            return Dashboard.PhaseCell(n: cell.summary.n, p: cell.summary.p, region: region)
        }
        return folder
    }

    /// The comparison key of a run: its model and its settings other than `varyingSettings`, in file order.
    static func settingsKey(_ header: RunHeader) -> String {
        var key = header.model
        for (name, value) in header.config where !varyingSettings.contains(name) {
            key += "|" + name + "=" + JSONWriter.string(value)
        }
        return key
    }

    /// tau_mem ≈ c·n for the run with `header`, c fitted on the other runs (not named `excluding`) with the same
    /// settings that reached tau_mem; nil when there are none or the header has no n.
    func forecast(for header: RunHeader, excluding name: String?) -> MemorizationEstimate? {
        guard let n = header.config["n"]?.int else { return nil }
        let key = SweepFolder.settingsKey(header)
        let earlier = runs.compactMap { run -> (n: Int, tauMem: Int)? in
            guard run.name != name, run.settings == key, let tau = run.tauMem else { return nil }
            return (run.n, tau)
        }
        guard let f = MemorizationForecast.proportionalToTrainingSize(earlier: earlier, n: n) else { return nil }
        return MemorizationEstimate(step: f.step, basis: "∝ n, \(earlier.count) run\(earlier.count == 1 ? "" : "s")")
    }
}
