import RunFormat
import Synchronization

/// The runs a training job of this process writes, as a record source: it pushes every `TrainingUpdate` to the
/// session as it comes. Each run the job starts is a run of its own (keyed by its file); updates before the
/// first `.started` (a job without a run file) belong to a run without a file.
public final class LiveTrainingSource: RecordSource {
    public let path: String
    public let pollInterval: Double? = nil
    public let isLive = true
    private let updates: Mutex<AsyncStream<TrainingUpdate>?>

    public init(updates: AsyncStream<TrainingUpdate>, path: String = "") {
        self.path = path
        self.updates = Mutex(updates)
    }

    public func markFile(for run: RunKey) -> String? { run.path.isEmpty ? nil : run.path }

    public func poll() -> [SourceUpdate] { [] }

    /// Starts handing the job's updates to `post` (once; later calls do nothing).
    public func connect(_ post: @escaping @Sendable ([SourceUpdate]) -> Void) {
        guard let stream = updates.withLock({ s -> AsyncStream<TrainingUpdate>? in
            defer { s = nil }
            return s
        }) else { return }
        Task.detached {
            var run = RunKey(path: "", name: "training")
            for await update in stream {
                let change: RunChange
                switch update {
                case .started(let path, let label):
                    run = RunKey(path: path, name: path.split(separator: "/").last.map(String.init) ?? path)
                    change = .started(label: label)
                case .record(let record): change = .records([record])
                case .progress(let p): change = .progress(p)
                case .failed(let message): change = .failed(message)
                }
                post([SourceUpdate(run: run, change: change)])
            }
            post([SourceUpdate(run: run, change: .finished)])
        }
    }
}
