/// A job whose run can be continued after a crash or an interruption (`genwindow train --resume RUN.jsonl`).
///
/// The job saves its state through `TrainingContext.saveState` — periodically (`checkpointIsDue`) and when it
/// stops — and a new job built from the same run header takes it back with `restore` before `run` is called;
/// `run` then continues at the saved step, and the records it writes are the ones the uninterrupted run would
/// have written (fixed seeds, every random generator and optimizer moment in the state).
public protocol ResumableTrainingJob: TrainingJob {
    /// Everything needed to continue from the current step (called between steps, on the training thread).
    func captureState() -> TrainingState
    /// Takes back a state saved by the same kind of job for the same header; throws if it does not fit.
    func restore(_ state: TrainingState) throws
}

extension TrainingRunner {
    /// Where the resumable state of `run` is kept: beside the run file, `RUN.state` (replaced atomically).
    public static func statePath(forRun run: String) -> String {
        let base = run.hasSuffix(".jsonl") ? String(run.dropLast(6)) : run
        return "\(base).state"
    }
}
