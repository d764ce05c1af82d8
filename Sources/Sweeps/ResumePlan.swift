import RunFormat

/// What a cell's run file says about it, read before (re)starting a sweep.
public enum RunFileState: Equatable, Sendable {
    case missing
    /// Present but not a readable run (wrong format, empty, …).
    case unreadable(String)
    /// A header and no `end` record: a worker died or is still writing.
    case open
    case ended(EndReason)

    /// The manifest status this state implies once no worker is running the cell.
    public var status: CellStatus {
        switch self {
        case .missing: .pending
        case .unreadable, .open: .failed
        case .ended(.completed): .completed
        case .ended(.earlyStop): .earlyStop
        case .ended(.diverged): .diverged
        case .ended(.interrupted): .interrupted
        }
    }
}

/// The decision a rerun of a sweep makes: which cells to skip, which to (re)start.
public struct ResumePlan: Equatable, Sendable {
    /// The manifest to write before any worker starts, statuses refreshed from the run files.
    public var manifest: SweepManifest
    /// Cells to run, in grid order.
    public var toRun: [SweepCell]

    /// Plans a sweep in a folder that may already hold one.
    ///
    /// A finished cell (run file ending `completed`, `early_stop` or `diverged`) is skipped; every other cell is (re)started
    /// from scratch. A manifest for a different config is an error: the folder's run files belong to it.
    public static func make(config: SweepConfig, existing: SweepManifest?, manifestPath: String,
                            runFiles: (SweepCell) -> RunFileState) throws(SweepError) -> ResumePlan {
        if let existing, let difference = config.difference(from: existing.config) {
            throw SweepError("\(manifestPath) belongs to a different sweep (\(difference)); choose another --out or remove that folder")
        }
        var manifest = SweepManifest(config: config, cells: nil, slurmJob: existing?.slurmJob)
        var toRun: [SweepCell] = []
        for i in manifest.cells.indices {
            let cell = manifest.cells[i].cell
            let old = existing?.entry(named: cell.name)
            manifest.cells[i].attempts = old?.attempts ?? 0
            manifest.cells[i].seconds = old?.seconds
            let state = runFiles(cell)
            manifest.cells[i].status = state.status
            if state.status.isFinished {
                manifest.cells[i].failure = nil
            } else {
                manifest.cells[i].failure = old?.failure
                toRun.append(cell)
            }
        }
        return ResumePlan(manifest: manifest, toRun: toRun)
    }
}
