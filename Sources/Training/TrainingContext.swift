import RunFormat
import RunFiles
#if canImport(Glibc)
import Glibc
#endif

/// The job's side of a running training: where records go, and whether to stop or pause.
///
/// Used only from the training thread.
public final class TrainingContext {
    private let requests: TrainingRequests
    private let writer: RunWriter?
    private let publish: (TrainingUpdate) -> Void
    private let startTime: Double
    private let totalSteps: Int?
    private var lastProgressTime: Double
    private var lastProgressStep = 0
    /// Minimum seconds between progress updates.
    private let progressInterval: Double
    /// Seconds between periodic state checkpoints (nil: only when the job stops).
    private let checkpointInterval: Double?
    private var lastCheckpointTime: Double

    /// `elapsedOffset`: the `time_s` the run had reached before (when resuming), so time keeps counting on.
    init(requests: TrainingRequests = .unattended, writer: RunWriter?, totalSteps: Int?, progressInterval: Double = 0.1,
         checkpointInterval: Double? = nil, elapsedOffset: Double = 0, publish: @escaping (TrainingUpdate) -> Void) {
        self.requests = requests
        self.writer = writer
        self.publish = publish
        self.totalSteps = totalSteps
        self.progressInterval = progressInterval
        self.checkpointInterval = checkpointInterval
        let now = RunWriter.monotonicSeconds()
        startTime = now - elapsedOffset
        lastProgressTime = now
        lastCheckpointTime = now
    }

    /// A context that writes no file and publishes nothing, never stops or pauses (timing whole runs).
    public static func discarding(totalSteps: Int?) -> TrainingContext {
        TrainingContext(writer: nil, totalSteps: totalSteps) { _ in }
    }

    /// The run file's path, if the run is being written.
    public var runPath: String? { writer?.path }

    /// Seconds since the run started (for `time_s`).
    public var elapsedSeconds: Double { RunWriter.monotonicSeconds() - startTime }

    /// Writes a record to the run file and publishes it.
    public func emit(_ record: RunRecord) throws {
        try writer?.append(record)
        publish(.record(record))
    }

    /// Reports the current step; cheap enough to call every step (rate-limited, flushes the run file when due).
    public func progress(step: Int) throws {
        let now = RunWriter.monotonicSeconds()
        guard now - lastProgressTime >= progressInterval else { return }
        let rate = Double(step - lastProgressStep) / (now - lastProgressTime)
        lastProgressTime = now
        lastProgressStep = step
        try writer?.flushIfDue()
        publish(.progress(TrainingProgress(step: step, totalSteps: totalSteps, elapsedSeconds: now - startTime, stepsPerSecond: rate)))
    }

    /// True when a periodic state checkpoint is due (never without a run file).
    public var checkpointIsDue: Bool {
        guard writer != nil, let checkpointInterval else { return false }
        return RunWriter.monotonicSeconds() - lastCheckpointTime >= checkpointInterval
    }

    /// Saves a resumable job's state beside the run file (`TrainingRunner.statePath`), with the run file's
    /// length now (flushed and fsynced first) and the elapsed time, so a resume cuts the file back to exactly
    /// the records written up to this step. Does nothing without a run file.
    public func saveState(_ state: TrainingState) throws {
        guard let writer else { return }
        var state = state
        state.meta["run_bytes"] = .number(Double(try writer.flushedLength()))
        state.meta["elapsed_s"] = .number(elapsedSeconds)
        try state.save(to: TrainingRunner.statePath(forRun: writer.path))
        lastCheckpointTime = RunWriter.monotonicSeconds()
    }

    /// True once a stop was requested (key, signal): finish the step and return an "interrupted" end.
    public var shouldStop: Bool { requests.shouldStop() }

    /// Blocks while the user has paused training (or until a stop is requested). Mark requests are handed to
    /// `mark` before, during and at the end of the pause, so a mark set on a paused run appears at once, and one
    /// asked for together with a stop is not lost. Polls at 20 Hz, so a paused run costs nothing measurable.
    public func waitWhilePaused(mark: (String) throws -> Void) throws {
        try takeMarkRequests(mark: mark)
        guard requests.paused() else { return }
        while requests.paused() && !requests.shouldStop() {
            if try takeMarkRequests(mark: mark) { try writer?.flush() }
            try writer?.flushIfDue()
            usleep(50_000)
        }
        try takeMarkRequests(mark: mark)
    }

    /// Carries out the pending mark requests: `mark` adds one at the job's current step, deletions are written
    /// here as `mark_deleted` events. Returns whether there were any.
    @discardableResult
    public func takeMarkRequests(mark: (String) throws -> Void) throws -> Bool {
        let taken = requests.takeMarkRequests()
        for request in taken {
            switch request {
            case .add(let label): try mark(label)
            case .delete(let step): try emit(.event(EventRecord(kind: EventKind.markDeleted, step: step)))
            }
        }
        return !taken.isEmpty
    }
}
