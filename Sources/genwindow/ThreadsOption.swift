import ArgumentParser
import NumericCore

/// `--threads N`: how many threads OpenBLAS uses for one call (train, sample, bench).
///
/// Training, its evaluations and the run file share one thread (evaluations run between steps, never beside
/// them) and the dashboard's thread does no BLAS work, so N BLAS threads keep N cores busy without
/// oversubscription. Default: OpenBLAS's own count (OPENBLAS_NUM_THREADS when set, as the sweep's workers have
/// it, else every core). Operations that run faster on one thread (the symmetric eigensolver) limit themselves.
struct ThreadsOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "BLAS threads (default: OPENBLAS_NUM_THREADS, else every core).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be between 1 and 1024, got \(threads)")
        }
    }

    /// Sets OpenBLAS's thread count when `--threads` was given.
    func apply() {
        if let threads { BLASRuntime.setThreads(threads) }
    }
}
