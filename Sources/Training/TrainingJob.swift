import RunFormat

/// A training run that genwindow can drive: the RF model, the DDPM, the empirical-optimal denoiser…
///
/// `run` is called once, on a dedicated thread. It emits metrics and event records through the context, checks
/// `context.waitWhilePaused()` and then `context.shouldStop` between steps, and returns the run's `end` record
/// (the runner writes it). It must not write to stdout: the dashboard may own the terminal.
public protocol TrainingJob: AnyObject {
    /// The run header: model name and every setting needed to reproduce the run.
    var header: RunHeader { get }
    /// The step the run will stop at, when known (for progress and ETA).
    var totalSteps: Int? { get }
    /// Trains to completion, interruption, divergence or the early stop of its `--stop-when` rule.
    func run(_ context: TrainingContext) throws -> EndRecord
    /// Saves the current parameters to `path` (written to a temporary file, fsynced and renamed);
    /// used for marks and for interrupted runs.
    func saveCheckpoint(to path: String) throws
}
