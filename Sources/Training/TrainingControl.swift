import Synchronization

/// The synchronous front of a `TrainingRunner`, for code that cannot await (signal handlers, the dashboard's
/// key handling): each call is forwarded to the actor's method of the same name, in the order the calls were
/// made. Safe to use from any thread.
public final class TrainingControl: Sendable {
    private enum Request: Sendable {
        case stop, pause(Bool), mark(String), deleteMark(Int)
    }

    private let requests: AsyncStream<Request>.Continuation
    private let stream: AsyncStream<Request>
    /// The pause last asked for.
    private let lastPaused = Mutex(false)

    init() {
        (stream, requests) = AsyncStream.makeStream(of: Request.self, bufferingPolicy: .unbounded)
    }

    deinit { requests.finish() }

    /// Starts forwarding to `runner` (which owns this control; the forwarding ends with it).
    func attach(to runner: TrainingRunner) {
        let stream = self.stream
        Task { [weak runner] in
            for await request in stream {
                guard let runner else { return }
                switch request {
                case .stop: await runner.stop()
                case .pause(let paused): await runner.setPaused(paused)
                case .mark(let label): await runner.requestMark(label: label)
                case .deleteMark(let step): await runner.requestMarkDeletion(step: step)
                }
            }
        }
    }

    /// `TrainingRunner.stop`.
    public func requestStop() { requests.yield(.stop) }

    /// The pause last asked for; setting it calls `TrainingRunner.setPaused`.
    public var paused: Bool {
        get { lastPaused.withLock { $0 } }
        set {
            lastPaused.withLock { $0 = newValue }
            requests.yield(.pause(newValue))
        }
    }

    /// `TrainingRunner.requestMark`.
    public func requestMark(label: String) { requests.yield(.mark(label)) }

    /// `TrainingRunner.requestMarkDeletion`.
    public func requestMarkDeletion(step: Int) { requests.yield(.deleteMark(step)) }
}

/// A change to the run's marks asked for while the job owns the run file.
public enum MarkRequest: Equatable, Sendable {
    /// Mark the job's current step with this label (and save a checkpoint there).
    case add(label: String)
    /// Record a `mark_deleted` event for the mark at this step.
    case delete(step: Int)
}

/// How a job's `TrainingContext` reads the runner's requests at a step boundary (after running the actor calls
/// queued meanwhile).
struct TrainingRequests {
    var shouldStop: () -> Bool
    var paused: () -> Bool
    var takeMarkRequests: () -> [MarkRequest]

    /// A job run outside a runner (tests): never stopped or paused, no marks.
    static var unattended: TrainingRequests {
        TrainingRequests(shouldStop: { false }, paused: { false }, takeMarkRequests: { [] })
    }
}
