import ArgumentParser
import Foundation
import Sweeps

/// `genwindow sweep`: one training run per (n, p) cell, on a local pool of worker processes or as a Slurm job array.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train one run per (n, p) cell of a grid, locally in parallel or as a Slurm job array.",
        discussion: """
        Each cell runs `genwindow train --headless --model M --n N --p P (rf) | --width P (ddpm) --seed S \
        --out DIR/n<N>-p<P>.jsonl`, plus every option this command does not know (passed through to train \
        unchanged, e.g. --steps 2000 --lr 0.1). DIR/sweep.json records the grid, the shared options, the seed and \
        each cell's status. Rerunning the same command skips cells whose run file ended completed (or early_stop, or diverged) \
        and restarts the others. Ctrl-C stops the workers; their cells are marked interrupted.

        On a Slurm cluster (DIR on a shared file system): `genwindow sweep … --slurm --partition P --time 1:00:00 \
        --cpus-per-task 4 --submit`, then `genwindow watch DIR` or, when the array is done, `genwindow phase DIR`.
        Without --submit the script is only written: `sbatch DIR/sweep.sbatch`.
        """
    )

    @Option(help: "Model to train in every cell.")
    var model: SweepModel = .rf

    @Option(name: .customLong("n"), parsing: .unconditional, help: "Training-set sizes: a list (25,50,100) or a geometric range (25..400x2).")
    var nValues: String

    @Option(name: .customLong("p"), parsing: .unconditional, help: "Model sizes (RF: random features; DDPM: hidden width), same syntax as --n.")
    var pValues: String

    @Option(parsing: .unconditional, help: "Seed of every cell, so cells differ only in n and p.", transform: parseSeed)
    var seed: UInt64 = 0

    @Option(help: "Folder for the run files, their logs and sweep.json.")
    var out: String

    @Option(name: .customShort("j"), parsing: .unconditional, help: "Worker processes at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "genwindow binary the workers run (default: this one).")
    var genwindow: String?

    @OptionGroup var slurmOptions: SlurmCommandOptions

    @Flag(help: "Submit the script with sbatch and print the job id (with --slurm).")
    var submit = false

    @Argument(parsing: .allUnrecognized, help: "Train options shared by every cell.")
    var trainOptions: [String] = []

    func validate() throws {
        if let jobs, !(1...4096).contains(jobs) { throw ValidationError("-j must be in 1...4096, got \(jobs)") }
        let slurm = slurmOptions
        if !slurm.slurm && (submit || slurm.partition != nil || slurm.time != nil) {
            throw ValidationError("--submit, --partition and --time need --slurm")
        }
    }

    func run() throws {
        let config: SweepConfig
        do {
            let grid = SweepGrid(n: try SweepAxis.parse(nValues, option: "n"), p: try SweepAxis.parse(pValues, option: "p"), seed: seed)
            try WorkerInvocation.checkPassThrough(trainOptions)
            config = SweepConfig(model: model.rawValue, sizeOption: SweepConfig.sizeOption(forModel: model.rawValue), grid: grid,
                                 trainArguments: trainOptions)
        } catch {
            throw ValidationError(error.message)
        }
        if let size = (config.grid.n + config.grid.p).first(where: { $0 > 100_000_000 }) {
            throw ValidationError("--n and --p values must be at most 100000000, got \(size)")
        }
        let executable = try workerExecutable(genwindow)
        if let first = config.grid.cells.first {
            try checkTrainOptions(WorkerInvocation.arguments(for: first, config: config, directory: out),
                                  workerIsSelf: genwindow == nil)
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let runner = SweepRunner(config: config, directory: SweepFiles.absolute(out), executable: executable,
                                 workers: jobs ?? cores, cores: cores, live: isatty(1) == 1) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if slurmOptions.slurm { return try submitToSlurm(runner) }

        let outcome: SweepOutcome
        do { outcome = try runner.run() } catch { throw RuntimeError(error.message) }
        switch outcome.stop {
        case .signal(let s)?:
            writeStandardError("genwindow: sweep stopped by signal \(s); rerun the same command to resume\n")
            Foundation.exit(128 + s)
        case .usageError(let id)?:
            let log = WorkerInvocation.join(out, id + ".log")
            let reason = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? ""
            writeStandardError("genwindow: cell \(id): train rejected its options: \(reason) (see \(log))\n")
            Foundation.exit(64)
        case nil:
            let failed = outcome.unfinished
            if !failed.isEmpty {
                throw RuntimeError("\(failed.count) cell(s) did not finish: \(failed.map(\.cell.name).joined(separator: ", ")) (logs in \(out)); rerun to retry them")
            }
            print("all \(outcome.manifest.cells.count) cells finished; see the diagram with: genwindow phase \(out)")
        }
    }

    private func submitToSlurm(_ runner: SweepRunner) throws {
        do {
            let plan = try runner.plan()
            var manifest = plan.manifest
            guard !plan.toRun.isEmpty else {
                try SweepFiles.writeManifest(manifest, directory: runner.directory)
                print("all \(manifest.cells.count) cells already finished; nothing to submit")
                return
            }
            let options = slurmOptions.options(jobName: SlurmOptions().jobName)
            let script = SlurmScript.render(cells: plan.toRun, config: runner.config, directory: runner.directory,
                                            executable: runner.executable, options: options)
            let path = WorkerInvocation.join(runner.directory, SlurmScript.fileName)
            try SweepFiles.writeAtomically(script, to: path, mode: 0o755)
            if submit {
                let job = try runSbatch(["--parsable", path], instead: "drop --submit to only write the script")
                for cell in plan.toRun { manifest.update(cell.name) { $0.status = .submitted } }
                manifest.slurmJob = job
                try SweepFiles.writeManifest(manifest, directory: runner.directory)
                print(job)
            } else {
                try SweepFiles.writeManifest(manifest, directory: runner.directory)
                print("wrote \(path) (\(plan.toRun.count) array task(s)); submit it with: sbatch \(SlurmScript.quote(path))")
            }
        } catch let error as SweepError {
            throw RuntimeError(error.message)
        }
    }
}

/// The models a sweep can train: those with a size axis p (RF features, DDPM width).
enum SweepModel: String, CaseIterable, ExpressibleByArgument {
    case rf, ddpm
}

/// The binary that runs `train` for the workers: `--genwindow PATH` or this very program.
func workerExecutable(_ explicit: String?) throws -> String {
    if let explicit {
        let path = SweepFiles.absolute(explicit)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("--genwindow \(explicit) is not an executable file")
        }
        return path
    }
    do { return try SweepFiles.ownExecutable() } catch { throw RuntimeError(error.message) }
}

/// Parses a worker's full `train` command line with this binary's own parser, so a typo in a pass-through
/// option fails before any worker starts. A different `--genwindow` binary checks its own options: its first
/// usage error (exit 64) stops the sweep.
func checkTrainOptions(_ workerArguments: [String], workerIsSelf: Bool) throws {
    guard workerIsSelf else { return }
    guard Genwindow.configuration.subcommands.contains(where: { $0.configuration.commandName == "train" }) else {
        throw RuntimeError("this genwindow has no train command to run the cells with (pass --genwindow PATH)")
    }
    do {
        _ = try Genwindow.parseAsRoot(workerArguments)
    } catch {
        let message = Genwindow.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid train options"
        throw ValidationError("train options: \(message)")
    }
}

/// Runs `sbatch ARGS` and returns the job id it prints. Without an `sbatch` on PATH the error says Slurm is not
/// installed and how to do without it (`instead`, e.g. "drop --submit to only write the script").
func runSbatch(_ arguments: [String], instead: String) throws -> String {
    guard let sbatch = executableOnPath("sbatch") else {
        throw RuntimeError("sbatch not found: Slurm is not installed on this machine; \(instead)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sbatch)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { throw RuntimeError("cannot run sbatch: \(error.localizedDescription)") }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0, let job = SlurmScript.jobID(fromParsable: text) else {
        let why = errors.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
        throw RuntimeError("sbatch failed: \(why)")
    }
    return job
}

/// The first executable file `name` in the folders of PATH, or nil.
func executableOnPath(_ name: String) -> String? {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
