import RunFiles
#if canImport(Glibc)
import Glibc
#endif

/// How a local sweep ended.
public struct SweepOutcome: Sendable {
    public var manifest: SweepManifest
    /// Why the pool stopped early, if it did.
    public var stop: PoolStop?
    /// Cells run in this invocation.
    public var ran: Int

    /// Cells without a finished run file: failed, interrupted, or never started (after an early stop).
    public var unfinished: [CellEntry] { manifest.cells.filter { !$0.status.isFinished } }
}

/// Runs a sweep on this machine: plans the resume, starts one `genwindow train --headless` worker per
/// unfinished cell through the pool, keeps `sweep.json` current, and shows progress.
public struct SweepRunner {
    public var config: SweepConfig
    public var directory: String
    /// The genwindow binary the workers run.
    public var executable: String
    public var workers: Int
    public var cores: Int
    /// Draw the live display (a terminal) instead of one line per finished cell.
    public var live: Bool
    public var write: (String) -> Void

    public init(config: SweepConfig, directory: String, executable: String, workers: Int, cores: Int, live: Bool,
                write: @escaping (String) -> Void) {
        self.config = config
        self.directory = directory
        self.executable = executable
        self.workers = workers
        self.cores = cores
        self.live = live
        self.write = write
    }

    /// Writes the planned manifest without running anything; used before submitting to Slurm as well.
    public func plan() throws(SweepError) -> ResumePlan {
        try SweepFiles.createDirectory(directory)
        let existing = try SweepFiles.readManifest(directory: directory)
        let dir = directory
        return try ResumePlan.make(
            config: config, existing: existing, manifestPath: WorkerInvocation.join(directory, SweepManifest.fileName)
        ) { SweepFiles.runFileState(WorkerInvocation.join(dir, $0.runFileName)) }
    }

    public func run() throws(SweepError) -> SweepOutcome {
        let plan = try plan()
        var manifest = plan.manifest
        try SweepFiles.writeManifest(manifest, directory: directory)
        let threads = WorkerInvocation.blasThreads(cores: cores, workers: workers)
        let tasks = plan.toRun.map { cell in
            WorkerTask(id: cell.name, executable: executable,
                       arguments: WorkerInvocation.arguments(for: cell, config: config, directory: directory),
                       environment: ["OPENBLAS_NUM_THREADS": String(threads)],
                       logPath: WorkerInvocation.join(directory, cell.logFileName))
        }
        let skipped = manifest.cells.count - plan.toRun.count
        write("sweep \(config.model): \(manifest.cells.count) cells (\(skipped) already finished), "
              + "\(min(workers, max(1, tasks.count))) worker(s) × \(threads) BLAS thread(s) → \(directory)\n")
        var progress = SweepProgress(total: manifest.cells.count, skipped: skipped, pending: tasks.count, workers: workers)
        var shownLines = 0
        var writeError: SweepError?
        let dir = directory
        let show = { (progress: SweepProgress) in
            guard self.live else { return }
            let lines = progress.lines(now: RunWriter.monotonicSeconds())
            let up = shownLines > 0 ? "\u{1B}[\(shownLines)F" : ""
            self.write(up + "\u{1B}[J" + lines.joined(separator: "\n") + "\n")
            shownLines = lines.count
        }
        let pool = WorkerPool(maxWorkers: workers)
        let stop = pool.run(tasks, onEvent: { event in
            switch event {
            case .started(let id, _):
                progress.pending -= 1
                progress.running.append((id, RunWriter.monotonicSeconds()))
                manifest.update(id) {
                    $0.status = .running
                    $0.attempts += 1
                    $0.failure = nil
                }
            case .finished(let id, let exit, let seconds, let stopping):
                if let i = progress.running.firstIndex(where: { $0.name == id }) {
                    progress.running.remove(at: i)
                } else {
                    progress.pending -= 1
                }
                let state = SweepFiles.runFileState(WorkerInvocation.join(dir, id + ".jsonl"))
                var status = state.status
                var failure: String?
                if stopping && !status.isFinished {
                    status = .interrupted
                } else if !status.isFinished && status != .interrupted {
                    status = .failed
                    failure = exit.succeeded ? "no end record" : exit.description
                }
                manifest.update(id) {
                    $0.status = status
                    $0.failure = failure
                    $0.seconds = seconds
                }
                let detail: String?
                if status.isFinished {
                    progress.durations.append(seconds)
                    detail = nil
                } else {
                    detail = (failure ?? status.rawValue) + ", see \(id).log"
                    progress.failed.append((id, detail!))
                }
                if !self.live { self.write(progress.finishedLine(name: id, status: status, seconds: seconds, detail: detail) + "\n") }
            }
            do throws(SweepError) { try SweepFiles.writeManifest(manifest, directory: dir) } catch { writeError = error }
            show(progress)
        }, tick: { show(progress) })
        try SweepFiles.writeManifest(manifest, directory: directory)
        if let writeError { throw writeError }
        return SweepOutcome(manifest: manifest, stop: stop, ran: progress.durations.count + progress.failed.count)
    }
}
