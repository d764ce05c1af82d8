import Dashboard
import Foundation
import Phases
import RunFiles
import RunFormat
import Sweeps
import TerminalUI

/// Reading a folder of runs into what the dashboard takes from it (the phase-diagram cells and the forecast's
/// inputs).
enum SweepFolder {
    /// Reads every `.jsonl` run of `directory` (unreadable ones are skipped); an error when none is readable.
    static func read(directory: String) throws -> SweepSnapshot {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }.sorted()
        } catch {
            throw RuntimeError("\(directory): cannot list the sweep folder")
        }
        var summaries: [CellSummary] = []
        var folder = SweepSnapshot()
        for name in names {
            guard let log = try? RunReader.read(path: (directory as NSString).appendingPathComponent(name), malformed: .skip),
                  let summary = try? CellSummary(log: log, name: name) else { continue }
            summaries.append(summary)
            folder.problems.insert(SweepSnapshot.problemKey(log.header))
            folder.runs.append(SweepSnapshot.Run(name: name, settings: SweepSnapshot.settingsKey(log.header), n: summary.n,
                                   tauMem: summary.tauMemReached && summary.tauMem?.provisional == false ? summary.tauMem?.tau : nil,
                                   unit: summary.timeUnit))
        }
        guard !summaries.isEmpty else { throw RuntimeError("\(directory): no readable run files for the phase diagram") }
        folder.cells = PhaseDiagram(summaries: summaries, thresholds: PhaseThresholds()).cells.map { cell in
            Dashboard.PhaseCell(n: cell.summary.n, p: cell.summary.p, region: cell.region)
        }
        return folder
    }
}

extension SweepSnapshot {
    /// Refuses a sweep none of whose runs has `header`'s model and problem: its cells would be another
    /// experiment's diagram.
    func checkComparable(with header: RunHeader, sweepPath: String) throws {
        let key = SweepSnapshot.problemKey(header)
        guard problems.contains(key) else {
            let theirs = Sanitize.text(problems.sorted().joined(separator: "; "))
            throw RuntimeError("--sweep \(Sanitize.text(sweepPath)): its runs are \(theirs), this run is \(Sanitize.text(key)): not the same model and problem")
        }
    }

}
