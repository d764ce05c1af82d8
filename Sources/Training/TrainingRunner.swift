import Foundation
import RunFiles
import RunFormat

/// The training actor: runs `TrainingJob`s on its own thread (`TrainingThread`, its executor), writing their run
/// files and streaming their updates, and takes the requests of the outside world as actor calls: `stop`,
/// `setPaused`, `requestMark`, `requestMarkDeletion`. A job sees them at its next step boundary. Code that cannot
/// await (signal handlers, a key loop) uses `control`, which forwards to these calls in order.
///
/// Training never waits for observers: updates go into an unbounded stream (records are few; progress is
/// rate-limited), so a slow dashboard drops frames, never metrics. Several jobs may be trained in turn (`train`
/// once per job, one at a time); a stop ends the current one and every later one.
public actor TrainingRunner {
    nonisolated let thread: TrainingThread
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Every job's updates, until `finishUpdates` (`start` finishes them when its job returns).
    public nonisolated let updates: AsyncStream<TrainingUpdate>
    private nonisolated let continuation: AsyncStream<TrainingUpdate>.Continuation
    /// The synchronous front of this actor.
    public nonisolated let control: TrainingControl
    /// `start`'s result, once its job returns.
    private nonisolated let outcome: AsyncStream<Result<EndRecord, TrainingFailure>>
    private nonisolated let outcomeContinuation: AsyncStream<Result<EndRecord, TrainingFailure>>.Continuation

    public private(set) var stopRequested = false
    public private(set) var paused = false
    private var markRequests: [MarkRequest] = []
    /// A job is training (its step boundaries run queued calls, so a second `train` would otherwise nest).
    private var training = false

    public init() {
        let thread = TrainingThread()
        self.thread = thread
        (updates, continuation) = AsyncStream.makeStream(of: TrainingUpdate.self, bufferingPolicy: .unbounded)
        (outcome, outcomeContinuation) = AsyncStream.makeStream(of: Result<EndRecord, TrainingFailure>.self,
                                                                 bufferingPolicy: .bufferingNewest(1))
        control = TrainingControl()
        control.attach(to: self)
    }

    /// Asks the job to stop at the next step boundary (the run then ends as "interrupted"); jobs trained later on
    /// this runner stop at their first.
    public func stop() { stopRequested = true }

    /// Pauses or resumes the job at its next step boundary (mark requests are still carried out while paused).
    public func setPaused(_ paused: Bool) { self.paused = paused }

    /// Asks the job to write a mark (with a checkpoint) at its current step.
    public func requestMark(label: String) { markRequests.append(.add(label: label)) }

    /// Asks the job to record that the mark at `step` was deleted (the run file is only ever appended to).
    public func requestMarkDeletion(step: Int) { markRequests.append(.delete(step: step)) }

    /// Trains `job` on this actor's thread, writing to `writer` (nil: no run file), and returns how it ended.
    /// `checkpointInterval`: seconds between the state checkpoints of a resumable job (nil: only when it stops);
    /// `elapsedOffset`: the run's `time_s` so far, when resuming; `label`: the run's name among several trained
    /// in turn (sent with `.started`).
    public func train(_ job: sending TrainingJob, writer: sending RunWriter?, checkpointInterval: Double? = nil,
                      elapsedOffset: Double = 0, label: String? = nil) -> Result<EndRecord, TrainingFailure> {
        guard !training else { return .failure(TrainingFailure(message: "this runner is already training a job")) }
        training = true
        defer { training = false }
        let continuation = self.continuation
        if let path = writer?.path { continuation.yield(.started(path: path, label: label)) }
        continuation.yield(.record(.header(job.header)))
        let thread = self.thread
        let requests = TrainingRequests(
            shouldStop: { thread.drain(); return self.assumeIsolated { $0.stopRequested } },
            paused: { thread.drain(); return self.assumeIsolated { $0.paused } },
            takeMarkRequests: {
                thread.drain()
                return self.assumeIsolated { runner in
                    defer { runner.markRequests.removeAll() }
                    return runner.markRequests
                }
            })
        let context = TrainingContext(requests: requests, writer: writer, totalSteps: job.totalSteps,
                                      checkpointInterval: checkpointInterval, elapsedOffset: elapsedOffset) {
            continuation.yield($0)
        }
        do {
            let end = try job.run(context)
            if end.reason == .interrupted, let path = writer?.path {
                try? job.saveCheckpoint(to: TrainingRunner.checkpointPath(forRun: path, step: end.step))
            }
            // The file is complete and closed before observers hear of the end, so a dashboard may append marks.
            try writer?.append(.end(end))
            try writer?.close()
            continuation.yield(.record(.end(end)))
            return .success(end)
        } catch {
            let message = "\(error)"
            try? writer?.close()
            continuation.yield(.failed(message))
            return .failure(TrainingFailure(message: message))
        }
    }

    /// Ends `updates` (after the last job).
    public nonisolated func finishUpdates() { continuation.finish() }

    /// Reports on `updates` a failure outside any job (a job's setup that threw).
    public nonisolated func reportFailure(_ message: String) { continuation.yield(.failed(message)) }

    /// Starts `job` (as `train` does) and returns at once; `updates` finish when it returns, and `result` gives
    /// its end. The job and writer are handed over and must not be used elsewhere afterwards.
    public nonisolated func start(_ job: sending TrainingJob, writer: sending RunWriter?,
                                  checkpointInterval: Double? = nil, elapsedOffset: Double = 0, label: String? = nil) {
        let box = JobBox(job: job, writer: writer)
        Task {
            let result = await self.train(box.job, writer: box.writer, checkpointInterval: checkpointInterval,
                                          elapsedOffset: elapsedOffset, label: label)
            self.finishUpdates()
            self.outcomeContinuation.yield(result)
            self.outcomeContinuation.finish()
        }
    }

    /// Waits for the job of `start` to return.
    public nonisolated func result() async -> Result<EndRecord, TrainingFailure> {
        for await r in outcome { return r }
        return .failure(TrainingFailure(message: "training ended without a result"))
    }

    /// Where the checkpoint of `run` at `step` is saved: beside the run file, `RUN.step<STEP>.ckpt`.
    public static func checkpointPath(forRun run: String, step: Int) -> String {
        let base = run.hasSuffix(".jsonl") ? String(run.dropLast(6)) : run
        return "\(base).step\(step).ckpt"
    }
}

/// A job that threw instead of returning an end record.
public struct TrainingFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Carries the non-Sendable job and writer into the actor, which becomes their only user.
private final class JobBox: @unchecked Sendable {
    let job: TrainingJob
    let writer: RunWriter?
    init(job: TrainingJob, writer: RunWriter?) {
        self.job = job
        self.writer = writer
    }
}
