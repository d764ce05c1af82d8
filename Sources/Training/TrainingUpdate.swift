import RunFormat

/// What a running job tells its observers (the dashboard, or the headless progress printer).
public enum TrainingUpdate: Sendable {
    /// A run begins, written to `path`; `label` names it among several runs trained in turn (nil for a single run).
    case started(path: String, label: String?)
    /// A record, exactly as written to the run file (the header comes first).
    case record(RunRecord)
    /// The current step, sent a few times a second.
    case progress(TrainingProgress)
    /// The job failed with an error (the run file then ends without an `end` record).
    case failed(String)
}
