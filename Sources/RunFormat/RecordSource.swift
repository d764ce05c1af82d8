/// One run among those a dashboard session shows: where it lives (a run file, an event-file folder) and the name
/// shown for it. Two updates with equal keys are about the same run.
public struct RunKey: Hashable, Sendable, Comparable {
    public var path: String
    public var name: String

    public init(path: String, name: String) {
        self.path = path
        self.name = name
    }

    public static func < (a: RunKey, b: RunKey) -> Bool { a.path < b.path }
}

/// Training progress between records: the current step, sent a few times a second.
public struct TrainingProgress: Equatable, Sendable {
    public var step: Int
    public var totalSteps: Int?
    public var elapsedSeconds: Double
    /// Measured over the last interval.
    public var stepsPerSecond: Double

    public init(step: Int, totalSteps: Int?, elapsedSeconds: Double, stepsPerSecond: Double) {
        self.step = step
        self.totalSteps = totalSteps
        self.elapsedSeconds = elapsedSeconds
        self.stepsPerSecond = stepsPerSecond
    }
}

/// What changed in one run since its source last spoke.
public enum RunChange: Equatable, Sendable {
    /// The run is known but has no header yet (its file does not exist or is empty); the text says what is awaited.
    case waiting(String)
    /// A live run begins (after an earlier one, it replaces it); `label` names it among several trained in turn.
    case started(label: String?)
    /// The header, once; records follow.
    case header(RunHeader)
    case records([RunRecord])
    case progress(TrainingProgress)
    /// A line or record that could not be read (reading goes on), or an I/O error.
    case problem(String)
    /// The run's file was truncated or replaced: everything read so far is void; a new header follows.
    case restarted
    /// The training job failed (the run ends without an `end` record).
    case failed(String)
    /// The source has delivered everything it will (a replayed file, a live job that returned).
    case finished
}

/// A change to one run, as a source reports it.
public struct SourceUpdate: Equatable, Sendable {
    public var run: RunKey
    public var change: RunChange

    public init(run: RunKey, change: RunChange) {
        self.run = run
        self.change = change
    }
}

/// Where a session's runs come from: a saved run file, a run file another process is writing, a folder whose
/// run files appear over time, a live training job, or a format genwindow did not write. A new input format is
/// one new conforming type.
///
/// Polled sources are asked for news every `pollInterval` seconds and answer from `poll()`; every source is
/// polled once at the start. Pushing sources (a live training job) post their updates through `connect`.
public protocol RecordSource: AnyObject {
    /// The path the user named (a file or a folder), for messages.
    var path: String { get }
    /// Seconds between polls; nil for a source that pushes or has nothing more to say after its first poll.
    var pollInterval: Double? { get }
    /// Whether the runs can still grow (followed or trained now) rather than being read once.
    var isLive: Bool { get }
    /// The file a mark set on `run` is appended to (nil: marks on this run cannot be saved).
    func markFile(for run: RunKey) -> String?
    /// Reads what arrived since the last poll. Never throws: I/O errors come back as `.problem` changes.
    func poll() -> [SourceUpdate]
    /// Pushing sources: from now on, hand every update to `post` (from any thread). Polled sources ignore it.
    func connect(_ post: @escaping @Sendable ([SourceUpdate]) -> Void)
}

extension RecordSource {
    public func connect(_ post: @escaping @Sendable ([SourceUpdate]) -> Void) {}
}
