import ArgumentParser
import Sweeps

/// The Slurm options `sweep` and `emm` share: run on a cluster instead of locally, and the sbatch settings.
struct SlurmCommandOptions: ParsableArguments {
    @Flag(help: "Run on a Slurm cluster instead of locally: sweep writes DIR/sweep.sbatch, a job array with one task per unfinished cell; emm runs each probe as a Slurm job (sbatch --wait).")
    var slurm = false

    @Option(help: "Slurm partition (with --slurm).")
    var partition: String?

    @Option(help: "Slurm time limit per cell or probe, e.g. 30 or 1:00:00 (with --slurm).")
    var time: String?

    @Option(parsing: .unconditional, help: "CPUs per Slurm task; also its BLAS threads (with --slurm).")
    var cpusPerTask: Int = 1

    func validate() throws {
        if !(1...4096).contains(cpusPerTask) { throw ValidationError("--cpus-per-task must be in 1...4096, got \(cpusPerTask)") }
    }

    /// The sbatch settings, for a job named `jobName`.
    func options(jobName: String) -> SlurmOptions {
        SlurmOptions(partition: partition, time: time, cpusPerTask: cpusPerTask, jobName: jobName)
    }
}
