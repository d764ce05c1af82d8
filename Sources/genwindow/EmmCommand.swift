import ArgumentParser
import Foundation
import RunFiles
import RunFormat
import Sweeps
import Training

/// `genwindow emm`: Effective Model Memorization (Gu et al.) by bracketing search over the training-set size.
struct EmmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emm",
        abstract: "Estimate Effective Model Memorization: the largest n whose trained model still memorizes ≥ 1 − ε.",
        discussion: """
        Each probe is a full `genwindow train --headless` run at one n (DIR/emm-n<N>.jsonl) with the train options \
        given here; its memorization ratio is the highest mem_frac over its evaluations (Paper A's convention). \
        The search brackets geometrically from --n-start (×/÷ --factor) and then bisects (geometric midpoints) \
        until the bracket is within --tolerance. Probes already finished in DIR are reused; an interrupted one \
        continues from its saved state (`train --resume`). The outcome, its bracket and every probe's ratio go \
        to DIR/emm.json. Compare e.g. \
        `--labels random` against `--labels true` and no labels.
        """
    )

    @Option(help: "Model to train (its runs must measure mem_frac).")
    var model: ModelKind = .ddpm

    @Option(parsing: .unconditional, help: "ε: a model memorizes when its memorization ratio is ≥ 1 − ε.")
    var epsilon: Double = 0.1

    @Option(parsing: .unconditional, help: "First n probed.")
    var nStart: Int = 64

    @Option(parsing: .unconditional, help: "Smallest n the search may probe (at least 2: a probe's mem_frac compares each sample with its two nearest training points).")
    var nMin: Int = 2

    @Option(parsing: .unconditional, help: "Largest n the search may probe.")
    var nMax: Int = 65536

    @Option(parsing: .unconditional, help: "Bracketing factor.")
    var factor: Double = 2

    @Option(parsing: .unconditional, help: "Stop when the bracket's width is at most this fraction of its lower end (or 1).")
    var tolerance: Double = 0.05

    @Option(parsing: .unconditional, help: "Seed of every probe.", transform: parseSeed)
    var seed: UInt64 = 0

    @Option(help: "Folder for the probes' run files and logs.")
    var out: String

    @Option(help: "genwindow binary the probes run (default: this one).")
    var genwindow: String?

    @OptionGroup var slurmOptions: SlurmCommandOptions

    @Argument(parsing: .allUnrecognized, help: "Train options shared by every probe.")
    var trainOptions: [String] = []

    func validate() throws {
        guard epsilon > 0 && epsilon < 1 else { throw ValidationError("--epsilon must be in (0, 1), got \(epsilon)") }
        guard nMin >= 2 else { throw ValidationError("--n-min must be at least 2, got \(nMin)") }
        guard nStart >= nMin else { throw ValidationError("--n-start must be at least --n-min (\(nMin)), got \(nStart)") }
        guard nMax >= nStart else { throw ValidationError("--n-max must be at least --n-start (\(nStart)), got \(nMax)") }
        guard nMax <= 100_000_000 else { throw ValidationError("--n-max must be at most 100000000, got \(nMax)") }
        guard factor > 1, factor <= 1000 else { throw ValidationError("--factor must be in (1, 1000], got \(factor)") }
        guard tolerance >= 0, tolerance <= 1 else { throw ValidationError("--tolerance must be in [0, 1], got \(tolerance)") }
    }

    func run() throws {
        do { try WorkerInvocation.checkPassThrough(trainOptions, allowing: ["--p", "--width"]) } catch {
            throw ValidationError(error.message)
        }
        let executable = try workerExecutable(genwindow)
        let directory = SweepFiles.absolute(out)
        try checkTrainOptions(arguments(n: nStart, directory: directory), workerIsSelf: genwindow == nil)
        do { try SweepFiles.createDirectory(directory) } catch { throw RuntimeError(error.message) }

        var search = EMMSearch(epsilon: epsilon, start: nStart, nMin: nMin, nMax: nMax, factor: factor, tolerance: tolerance)
        print("emm \(model.rawValue): ε = \(epsilon) (memorizes when the highest mem_frac ≥ \(1 - epsilon)), probes in \(out)")
        while let n = search.nextProbe {
            let path = WorkerInvocation.join(directory, "emm-n\(n).jsonl")
            let state = SweepFiles.runFileState(path)
            if state != .ended(.completed) && state != .ended(.earlyStop) {
                let resumable = (state == .ended(.interrupted) || state == .open)
                    && FileManager.default.fileExists(atPath: TrainingRunner.statePath(forRun: path))
                try runProbe(n: n, resume: resumable ? path : nil, executable: executable, directory: directory)
            }
            let ratio = try memorizationRatio(path)
            search.record(n: n, ratio: ratio)
            print("n \(n)  memorization ratio \(formatValue(ratio))  \(search.memorizes(ratio) ? "memorizes" : "does not memorize")")
        }
        let summaryPath = WorkerInvocation.join(directory, "emm.json")
        do {
            try SweepFiles.writeAtomically(JSONWriter.string(.object(search.summary(trainOptions: trainOptions))) + "\n", to: summaryPath)
        } catch { throw RuntimeError(error.message) }
        switch search.outcome {
        case .estimate(let n, let above)?:
            print("EMM_\(formatValue(epsilon)) ≈ \(n) (n = \(n) memorizes, n = \(above) does not)")
        case .belowRange(let nMin)?:
            print("EMM_\(formatValue(epsilon)) < \(nMin): even n = \(nMin) does not memorize")
        case .aboveRange(let nMax)?:
            print("EMM_\(formatValue(epsilon)) ≥ \(nMax): even n = \(nMax) memorizes")
        case nil:
            break
        }
    }

    private func arguments(n: Int, directory: String) -> [String] {
        WorkerInvocation.arguments(model: model.rawValue, n: n, size: nil, seed: seed,
                                   out: WorkerInvocation.join(directory, "emm-n\(n).jsonl"), shared: trainOptions)
    }

    /// Trains the probe at `n`, or continues the interrupted run `resume` from its saved state; a resume that fails
    /// (a state that no longer fits the run file) starts the probe again.
    private func runProbe(n: Int, resume: String?, executable: String, directory: String) throws {
        let name = "emm-n\(n)"
        let fresh = arguments(n: n, directory: directory)
        if let resume {
            print("n \(n)  continuing the interrupted probe from its saved state")
            if try runProbe(n: n, name: name, arguments: ["train", "--headless", "--resume", resume], executable: executable,
                            directory: directory) == nil { return }
            print("n \(n)  could not continue it (see \(WorkerInvocation.join(directory, name + ".log"))); starting it again")
        }
        if let failure = try runProbe(n: n, name: name, arguments: fresh, executable: executable, directory: directory) {
            throw RuntimeError("probe n = \(n) failed (\(failure)); see \(WorkerInvocation.join(directory, name + ".log"))")
        }
    }

    /// Runs one probe command; nil when it succeeded, else how it ended.
    private func runProbe(n: Int, name: String, arguments: [String], executable: String, directory: String) throws -> WorkerExit? {
        if slurmOptions.slurm {
            let options = slurmOptions.options(jobName: "genwindow-emm")
            let script = SlurmScript.render(tasks: [(name, arguments)], what: "emm probe",
                                            directory: directory, executable: executable, options: options,
                                            fileName: name + ".sbatch")
            let path = WorkerInvocation.join(directory, name + ".sbatch")
            do { try SweepFiles.writeAtomically(script, to: path, mode: 0o755) } catch { throw RuntimeError(error.message) }
            _ = try runSbatch(["--parsable", "--wait", path], instead: "drop --slurm to run the probes here")
            return nil
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let task = WorkerTask(id: name, executable: executable, arguments: arguments,
                              environment: ["OPENBLAS_NUM_THREADS": String(cores)],
                              logPath: WorkerInvocation.join(directory, name + ".log"))
        var exit: WorkerExit?
        let stop = WorkerPool(maxWorkers: 1).run([task]) { event in
            if case .finished(_, let e, _, _) = event { exit = e }
        }
        if case .signal(let s)? = stop {
            writeStandardError("genwindow: emm stopped by signal \(s) during the probe at n = \(n); rerun to resume\n")
            Foundation.exit(128 + s)
        }
        return exit.map { $0.succeeded ? nil : $0 } ?? nil
    }

    /// The highest mem_frac over a probe's evaluations.
    private func memorizationRatio(_ path: String) throws -> Double {
        let log: RunLog
        do { log = try RunReader.read(path: path, malformed: .skip) } catch { throw RuntimeError("\(error)") }
        guard log.end?.reason.isFinished == true else {
            throw RuntimeError("\(path) did not complete (\(log.end?.reason.rawValue ?? "no end record"))")
        }
        let ratio = log.records.compactMap { r -> Double? in if case .metrics(let m) = r { m[MetricName.memFrac] } else { nil } }.max()
        guard let ratio else { throw RuntimeError("\(path) measured no mem_frac; the model must evaluate memorization") }
        return ratio
    }
}
