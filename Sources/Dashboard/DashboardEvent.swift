import RunFormat
import TerminalUI

/// Everything that can change the dashboard: run records (live, followed or read from a file — the same
/// values), training progress, keys, terminal size and problems to show.
public enum DashboardEvent: Sendable {
    case records([RunRecord])
    case progress(step: Int, totalSteps: Int?, elapsedSeconds: Double, stepsPerSecond: Double)
    case key(Key)
    case resize(width: Int, height: Int)
    /// A malformed line or an I/O error: shown in the status line, the dashboard goes on; nil clears it.
    case problem(String?)
    /// The followed file was truncated or replaced: forget its records.
    case restarted
    /// The live training job failed.
    case trainingFailed(String)
    /// Live training: a run begins, written to `file`; `label` names it among several trained in turn.
    case runStarted(file: String, label: String?)
    /// The host could not append the mark change at `step` to the run file: the change is undone on screen.
    case markNotSaved(step: Int, message: String)
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
    /// Replay, watch and a finished live run: append this mark to the run file.
    case appendMark(MarkRecord)
    /// Replay, watch and a finished live run: append a `mark_deleted` event for this step to the run file.
    case appendMarkDeletion(step: Int)
    /// Repaint the whole screen (Ctrl-L).
    case redraw
    /// Give the terminal back and stop the process until it is continued (Ctrl-Z).
    case suspend
    /// Watching a folder: show the run this many places after (negative: before) the current one.
    case switchRun(by: Int)
    /// Live training: marks set once the run has ended are appended to this file.
    case setMarkFile(String)
}
