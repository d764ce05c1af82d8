import ArgumentParser
import Foundation
import Training

/// Options every model's `train` shares. Model-specific defaults apply where an option is left out.
struct TrainCommonOptions: ParsableArguments {
    @Option(help: "Model to train: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: ModelKind = .rf

    @Option(help: "Run file to write (JSON Lines). Default: runs/<model>-<date>-<time>.jsonl.")
    var out: String?

    @Flag(help: "Train without the dashboard, printing progress lines (for nohup, tmux, batch jobs).")
    var headless = false

    @Flag(help: "Overwrite the run file if it exists.")
    var force = false

    @Option(parsing: .unconditional, help: "Seed of every random draw (data, initialization, noise, evaluation).", transform: parseSeed)
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Number of training steps (default: the model's).")
    var steps: Int?

    @Option(name: .customLong("n"), parsing: .unconditional, help: "Training-set size (default: the model's).")
    var n: Int?

    @Option(parsing: .unconditional, help: "Learning rate (default: the model's).")
    var lr: Double?

    @Option(help: "Optimizer (rf: gd or adam; ddpm: sgd or adam).")
    var optimizer: OptimizerChoice?

    @Option(help: "Dataset (default: the model's).")
    var data: String?

    @Option(help: "Sampler for evaluations: ddim or ode (deterministic: DDIM η = 0, the probability-flow ODE), ddpm or sde (ancestral: the reverse SDE). Default: ddim.")
    var sampler: SamplerChoice = .ddim

    @Option(parsing: .unconditional, help: "Memorization threshold k: a sample is memorized when d1/d2 < k.")
    var memK: Double = 1.0 / 3.0

    @Option(help: ArgumentHelp("Continue RUN.jsonl from its last checkpoint (RUN.state): same step counter, records appended; the run's own settings apply.", valueName: "RUN.jsonl"))
    var resume: String?

    @Option(parsing: .unconditional, help: "Seconds between checkpoints of the training state (RUN.state), so a crash loses at most this much training.")
    var checkpointEvery: Double = 60

    @Option(help: ArgumentHelp("End the run by itself, with a checkpoint and an end record of reason early_stop: tau_mem (at the evaluation confirming tau_mem), fid-min (when the FID has not improved for --patience evaluations; rf: needs --generative) or window (when tau_mem is confirmed, keeping the lowest-FID checkpoint in [tau_gen, tau_mem); rf: needs --generative). See docs/ddpm.md.", valueName: "RULE"))
    var stopWhen: String?

    @Option(parsing: .unconditional, help: "--stop-when fid-min: evaluations without improvement before stopping (default 3).")
    var patience: Int?

    @Option(parsing: .unconditional, help: "--stop-when fid-min: the least fall of the FID below its best that counts as an improvement (default 0).")
    var minDelta: Double?

    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if let steps, steps <= 0 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if let n, n < minimumN { throw ValidationError("--n must be at least \(minimumN), got \(n)") }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number, got \(lr)") }
        if !(memK > 0 && memK <= 1) { throw ValidationError("--mem-k must be in (0, 1], got \(memK)") }
        guard checkpointEvery.isFinite, checkpointEvery > 0, checkpointEvery <= 1e6 else {
            throw ValidationError("--checkpoint-every must be in (0, 1e6] seconds, got \(checkpointEvery)")
        }
        if let stopWhen {
            guard StopRule.names.contains(stopWhen) else {
                throw ValidationError("--stop-when must be one of \(StopRule.names.joined(separator: ", ")), got '\(stopWhen)'")
            }
            if model == .optimal { throw ValidationError("--stop-when does not apply to --model optimal, which does not train") }
        }
        if stopWhen != "fid-min" && (patience != nil || minDelta != nil) {
            throw ValidationError("--patience and --min-delta apply only with --stop-when fid-min")
        }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1, got \(patience)") }
        if let minDelta, !(minDelta >= 0 && minDelta.isFinite) {
            throw ValidationError("--min-delta must be a number ≥ 0, got \(minDelta)")
        }
        if resume != nil, stopWhen != nil {
            throw ValidationError("--resume continues the run's own settings; --stop-when does not apply")
        }
        if resume != nil, out != nil || force {
            throw ValidationError("--resume appends to the run it names; --out and --force do not apply")
        }
    }

    /// The rule `--stop-when` names (validated), with `--patience` and `--min-delta`.
    var stopRule: StopRule? {
        stopWhen.flatMap { StopRule(name: $0, patience: patience ?? 3, minDelta: minDelta ?? 0) }
    }

    /// The smallest training set `model` can use: memorization compares each sample with its two nearest training
    /// points, so every model that measures it (ddpm, optimal, rf --generative) needs two.
    var minimumN: Int { model == .rf ? 1 : 2 }

    /// The run file path: `--out` (its folders created if missing), or a new file under runs/.
    func resolvedOutputPath() throws -> String {
        if let out {
            try OutputPath.createParents(of: out)
            return out
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        do {
            try FileManager.default.createDirectory(atPath: "runs", withIntermediateDirectories: true)
        } catch {
            throw RuntimeError("cannot create the folder runs/ for the run file (pass --out PATH)")
        }
        return "runs/\(model.rawValue)-\(formatter.string(from: Date())).jsonl"
    }
}

/// `--seed`: any integer in 0…2⁶⁴−1; a negative or non-integer value is a usage error naming that range.
func parseSeed(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else {
        throw ValidationError("--seed must be an integer in 0…\(UInt64.max), got \(text)")
    }
    return seed
}

/// How evaluations sample. Each model names the two kinds its own way; both spellings are accepted.
enum SamplerChoice: String, CaseIterable, ExpressibleByArgument {
    case ddim, ode, ddpm, sde

    /// True for DDIM with η = 0 / the probability-flow ODE; false for ancestral sampling / the reverse SDE.
    var isDeterministic: Bool { self == .ddim || self == .ode }
}

/// `--optimizer`: every model's choices; each model accepts its own two (`RFTrainOptions.optimizer`,
/// `DDPMTrainOptions.settings`).
enum OptimizerChoice: String, CaseIterable, ExpressibleByArgument {
    case gd, sgd, adam
}

/// The models `genwindow train` can run.
enum ModelKind: String, CaseIterable, ExpressibleByArgument {
    case rf
    case ddpm
    case optimal
}

/// The current time as ISO-8601 (UTC), for run headers.
func iso8601Now() -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: Date())
}
