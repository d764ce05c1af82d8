import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Requests from the outside world (keys, signals) to a running job; safe to use from any thread.
public final class TrainingControl: Sendable {
    private struct State {
        var stopRequested = false
        var paused = false
        var markRequests: [MarkRequest] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Asks the job to stop at the next step boundary (the run then ends as "interrupted").
    public func requestStop() { state.withLock { $0.stopRequested = true } }
    public var stopRequested: Bool { state.withLock { $0.stopRequested } }

    public var paused: Bool {
        get { state.withLock { $0.paused } }
        set { state.withLock { $0.paused = newValue } }
    }

    /// Asks the job to write a mark (with a checkpoint) at its current step.
    public func requestMark(label: String) { state.withLock { $0.markRequests.append(.add(label: label)) } }

    /// Asks the job to record that the mark at `step` was deleted (the run file is only ever appended to).
    public func requestMarkDeletion(step: Int) { state.withLock { $0.markRequests.append(.delete(step: step)) } }

    /// Takes the pending mark requests, in the order they were made.
    public func takeMarkRequests() -> [MarkRequest] {
        state.withLock { s in
            defer { s.markRequests.removeAll() }
            return s.markRequests
        }
    }
}

/// A change to the run's marks asked for while the job owns the run file.
public enum MarkRequest: Equatable, Sendable {
    /// Mark the job's current step with this label (and save a checkpoint there).
    case add(label: String)
    /// Record a `mark_deleted` event for the mark at this step.
    case delete(step: Int)
}
