import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Requests from the outside world (keys, signals) to a running job; safe to use from any thread.
public final class TrainingControl: Sendable {
    private struct State {
        var stopRequested = false
        var paused = false
        var markRequests: [String] = []
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
    public func requestMark(label: String) { state.withLock { $0.markRequests.append(label) } }

    /// Takes the pending mark requests.
    public func takeMarkRequests() -> [String] {
        state.withLock { s in
            defer { s.markRequests.removeAll() }
            return s.markRequests
        }
    }
}
