import RunFormat
import TerminalUI

/// Everything that reaches a dashboard session: news from its record sources, keys, the terminal's size, the
/// clock, and the results of effects it asked for. Time is an event too, so a session runs on a manual clock in
/// tests.
public enum SessionEvent: Sendable {
    /// News from source number `source` (the index among the sources the session was made with).
    case updates(source: Int, [SourceUpdate])
    case key(Key)
    case resize(width: Int, height: Int)
    /// The time now, in seconds of a monotonic clock: polls and re-reads that are due are asked for.
    case tick(Double)
    /// The sweep folder, read again (nil: it could not be read; the previous reading stays).
    case sweepRead(SweepSnapshot?)
    /// A mark change at `step` could not be appended to its run's file: it is undone on screen.
    case markNotSaved(step: Int, message: String)
    /// A problem outside any run (e.g. the terminal's fallback notice), for the status line.
    case problem(String?)
}

/// A request to the live training job.
public enum TrainingRequest: Equatable, Sendable {
    /// Stop at the next step (the run then ends "interrupted").
    case stop
    case setPaused(Bool)
    /// Mark the current step with this label and save a checkpoint beside the run file.
    case mark(label: String)
    /// Record that the mark at this step was deleted.
    case deleteMark(step: Int)
}

/// What a session asks its host to do; the session itself performs no I/O.
public enum SessionEffect: Equatable, Sendable {
    /// Ask source number `source` for news (`RecordSource.poll`) and hand them back as `.updates`.
    case poll(source: Int)
    /// Read the sweep folder at this path and hand it back as `.sweepRead`.
    case readSweep(directory: String)
    /// Append a mark change to the file of `run` (`RecordSource.markFile(for:)` of source number `source`);
    /// when that fails, hand back `.markNotSaved`.
    case append(RunRecord, run: RunKey, source: Int)
    case training(TrainingRequest)
    /// An event of a run became final while the session watched: ring the bell, run the `--on-event` hook.
    case notify(FinalEvent)
    /// Repaint the whole screen (Ctrl-L).
    case redraw
    /// Give the terminal back and stop the process until it is continued (Ctrl-Z).
    case suspend
    case quit
}

/// An event that became final while a session watched a run: what `--on-event` hooks are told.
public struct FinalEvent: Equatable, Sendable {
    /// The kinds announced: detected times, the RF test loss's 10% rise, the suggested early stop, a diverged
    /// run, a run gone silent.
    public static let kinds = [EventKind.tauGen, EventKind.tauMem, EventKind.testLossRise, EventKind.earlyStop, "diverged", "stalled"]

    /// One of `kinds`.
    public var kind: String
    public var step: Int
    public var run: RunKey
    /// The event's value: tau for the times (the step when the event has none), the FID at an early stop, the
    /// last train loss of a diverged run, the seconds without news of a stalled one.
    public var value: Double?

    public init(kind: String, step: Int, run: RunKey, value: Double?) {
        self.kind = kind
        self.step = step
        self.run = run
        self.value = value
    }
}
