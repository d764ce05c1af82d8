/// The `genwindow train` command line that runs one cell, shared by the local pool and the Slurm script.
public enum WorkerInvocation {
    /// Train options the sweep sets per cell itself; passing them through would contradict the grid (or, for
    /// `--threads`, the per-worker BLAS threads that keep workers × threads within the cores).
    public static let reservedOptions = ["--model", "--n", "--p", "--width", "--seed", "--out", "--headless", "--force",
                                         "--threads"]

    /// Arguments after the executable: `train --headless --model M --n N --p P --seed S --out DIR/<cell>.jsonl
    /// --force <shared options>`.
    public static func arguments(for cell: SweepCell, config: SweepConfig, directory: String) -> [String] {
        arguments(model: config.model, n: cell.n, size: ("--" + config.sizeOption, cell.p), seed: cell.seed,
                  out: join(directory, cell.runFileName), shared: config.trainArguments)
    }

    /// Arguments for one training run; `size` is nil when the model size comes from `shared` (EMM probes).
    public static func arguments(model: String, n: Int, size: (option: String, value: Int)?, seed: UInt64, out: String,
                                 shared: [String]) -> [String] {
        var a = ["train", "--headless", "--model", model, "--n", String(n)]
        if let size { a += [size.option, String(size.value)] }
        return a + ["--seed", String(seed), "--out", out, "--force"] + shared
    }

    /// Refuses pass-through options that the sweep sets per cell (`allowing` lists exceptions).
    public static func checkPassThrough(_ arguments: [String], allowing: [String] = []) throws(SweepError) {
        for a in arguments {
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if reservedOptions.contains(name) && !allowing.contains(name) {
                throw SweepError("\(name) is set by the sweep for each cell; use the sweep's own option instead")
            }
        }
    }

    /// BLAS threads per worker so that workers × threads ≤ cores.
    public static func blasThreads(cores: Int, workers: Int) -> Int {
        max(1, cores / max(1, workers))
    }

    /// `dir/name`, without doubling a trailing slash.
    public static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
