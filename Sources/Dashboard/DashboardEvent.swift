import RunFormat
import TerminalUI

/// Everything that can change the dashboard's state: news about the run shown (records, progress — the same
/// values whether live, followed or read from a file), keys, terminal size and problems to show.
public enum DashboardEvent: Sendable {
    case run(RunChange)
    case key(Key)
    case resize(width: Int, height: Int)
    /// A problem outside the run's records (e.g. the terminal's): shown in the status line; nil clears it.
    case problem(String?)
    /// The host could not append the mark change at `step` to the run file: the change is undone on screen.
    case markNotSaved(step: Int, message: String)

    /// Records of the run shown.
    public static func records(_ records: [RunRecord]) -> DashboardEvent { .run(.records(records)) }
}

/// What the dashboard asks its host to do; `update` itself performs no I/O.
public enum DashboardEffect: Equatable, Sendable {
    case quit
    /// Live mode: stop training at the next step (the run then ends "interrupted").
    case stopTraining
    case setTrainingPaused(Bool)
    /// Live mode: the job marks its current step with this label and saves a checkpoint beside the run file.
    case requestTrainingMark(label: String)
    /// Live mode: the job records that the mark at this step was deleted.
    case requestTrainingMarkDeletion(step: Int)
    /// Replay, watch and a finished live run: append this mark to the run's file.
    case appendMark(MarkRecord)
    /// Replay, watch and a finished live run: append a `mark_deleted` event for this step to the run's file.
    case appendMarkDeletion(step: Int)
    /// Repaint the whole screen (Ctrl-L).
    case redraw
    /// Give the terminal back and stop the process until it is continued (Ctrl-Z).
    case suspend
    /// Several runs: show the run this many places after (negative: before) the current one.
    case switchRun(by: Int)
}
