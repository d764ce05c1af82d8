import Foundation
import RunFormat
import RunFiles

/// Runs a `TrainingJob` on a dedicated thread, writing its run file and streaming its updates.
///
/// Training never waits for observers: updates go into an unbounded stream (records are few; progress is
/// rate-limited), so a slow dashboard drops frames, never metrics.
public final class TrainingRunner: Sendable {
    public let control: TrainingControl
    public let updates: AsyncStream<TrainingUpdate>
    private let continuation: AsyncStream<TrainingUpdate>.Continuation
    /// Resolved with the end record (or the error) when the job returns.
    private let outcome: AsyncStream<Result<EndRecord, TrainingFailure>>

    private let outcomeContinuation: AsyncStream<Result<EndRecord, TrainingFailure>>.Continuation

    /// `control`: shared by runners that train one after another under one dashboard (a stop ends them all).
    public init(control: TrainingControl = TrainingControl()) {
        self.control = control
        (updates, continuation) = AsyncStream.makeStream(of: TrainingUpdate.self, bufferingPolicy: .unbounded)
        (outcome, outcomeContinuation) = AsyncStream.makeStream(of: Result<EndRecord, TrainingFailure>.self,
                                                                 bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts `job` on its own thread, writing to `writer` (nil: no run file). Returns at once.
    /// `checkpointInterval`: seconds between the state checkpoints of a resumable job (nil: only when it stops);
    /// `elapsedOffset`: the run's `time_s` so far, when resuming; `label`: the run's name among several trained
    /// in turn (sent with `.started`).
    ///
    /// The job and writer are handed over to the training thread and must not be used elsewhere afterwards.
    public func start(_ job: sending TrainingJob, writer: sending RunWriter?, checkpointInterval: Double? = nil,
                      elapsedOffset: Double = 0, label: String? = nil) {
        if let path = writer?.path { continuation.yield(.started(path: path, label: label)) }
        let box = JobBox(job: job, writer: writer)
        let control = self.control
        let continuation = self.continuation
        let outcomeContinuation = self.outcomeContinuation
        let thread = Thread {
            let result = TrainingRunner.drive(box.job, writer: box.writer, control: control, continuation: continuation,
                                              checkpointInterval: checkpointInterval, elapsedOffset: elapsedOffset)
            continuation.finish()
            outcomeContinuation.yield(result)
            outcomeContinuation.finish()
        }
        thread.name = "genwindow-training"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the job to return.
    public func result() async -> Result<EndRecord, TrainingFailure> {
        for await r in outcome { return r }
        return .failure(TrainingFailure(message: "training thread ended without a result"))
    }

    private static func drive(_ job: TrainingJob, writer: RunWriter?, control: TrainingControl,
                              continuation: AsyncStream<TrainingUpdate>.Continuation, checkpointInterval: Double?,
                              elapsedOffset: Double) -> Result<EndRecord, TrainingFailure> {
        continuation.yield(.record(.header(job.header)))
        let context = TrainingContext(control: control, writer: writer, totalSteps: job.totalSteps,
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

/// Carries the non-Sendable job and writer to the training thread, which becomes their only user.
private final class JobBox: @unchecked Sendable {
    let job: TrainingJob
    let writer: RunWriter?
    init(job: TrainingJob, writer: RunWriter?) {
        self.job = job
        self.writer = writer
    }
}
