import RandomFeatures
import RunFiles
import RunFormat
import Training

/// `train --resume RUN.jsonl`: rebuilds the job from the run's header, takes back its saved state (`RUN.state`),
/// cuts the run file back to what it held at that checkpoint and appends from there, so the run continues with
/// the same step counter and, seeds being fixed, the same records the uninterrupted run would have written.
enum ResumeTraining {
    /// What a resume starts from: the run's header and saved state, checked against each other.
    struct Checkpoint: Sendable {
        let path: String
        let header: RunHeader
        let state: TrainingState
        let step: Int
        let runBytes: Int
        let elapsedSeconds: Double
    }

    static func load(path: String) throws -> Checkpoint {
        let log: RunLog
        do {
            log = try RunReader.read(path: path, malformed: .skip)
        } catch {
            throw RuntimeError("cannot resume: \(error)")
        }
        if log.header.model == "optimal" {
            throw RuntimeError("cannot resume \(path): an 'optimal' run is one evaluation with no training state; run the same command again (it is deterministic)")
        }
        if log.header.config["setup"]?.string == TrainingSetup.inProgress {
            throw RuntimeError("cannot resume \(path): nothing to resume, it was stopped during its setup before the first step (run the same train command again)")
        }
        if let end = log.end, end.reason != .interrupted {
            throw RuntimeError("cannot resume \(path): the run already ended (\(end.reason.rawValue) at step \(end.step))")
        }
        let statePath = TrainingRunner.statePath(forRun: path)
        let state: TrainingState
        do {
            state = try TrainingState.load(path: statePath)
        } catch {
            throw RuntimeError("cannot resume \(path): no usable checkpoint state (\(error))")
        }
        guard let runBytes = state.meta["run_bytes"]?.int, let elapsed = state.meta["elapsed_s"]?.double,
              let step = state.meta["step"]?.int else {
            throw RuntimeError("cannot resume \(path): \(statePath) lacks run_bytes, elapsed_s or step")
        }
        return Checkpoint(path: path, header: log.header, state: state, step: step, runBytes: runBytes,
                          elapsedSeconds: elapsed)
    }

    /// The run's job, rebuilt from its header, with the saved state restored.
    static func job(_ checkpoint: Checkpoint) throws -> TrainingJob {
        let job: ResumableTrainingJob
        switch checkpoint.header.model {
        case "rf": job = try rfJob(checkpoint.header)
        case "ddpm": job = try ddpmJob(checkpoint.header)
        default: throw RuntimeError("cannot resume \(checkpoint.path): model '\(checkpoint.header.model)' is not resumable")
        }
        do {
            try job.restore(checkpoint.state)
        } catch {
            throw RuntimeError("cannot resume \(checkpoint.path): \(TrainingRunner.statePath(forRun: checkpoint.path)): \(error)")
        }
        return job
    }

    /// The run file cut back to the checkpoint, with a `resumed` event appended.
    static func writer(_ checkpoint: Checkpoint) throws -> RunWriter {
        do {
            let writer = try RunWriter(resuming: checkpoint.path, truncatingTo: checkpoint.runBytes)
            try writer.append(.event(EventRecord(kind: "resumed", step: checkpoint.step,
                                                 fields: ["state": .string(TrainingRunner.statePath(forRun: checkpoint.path))])))
            return writer
        } catch {
            throw RuntimeError("cannot resume: \(error)")
        }
    }

    /// The DDPM job of a run header: every setting from `config` (`DDPMSettings(header:)`); a run with Inception
    /// FID finds its weights as `train` does without `--fid-weights`.
    static func ddpmJob(_ header: RunHeader) throws -> DDPMJob {
        let inceptionWeights = header.config["fid_features"]?.string == "inception" ? try locateInceptionWeights(explicit: nil) : nil
        do {
            return try DDPMJob(settings: try DDPMSettings(header: header, inceptionWeights: inceptionWeights),
                               created: header.created)
        } catch {
            throw RuntimeError("cannot resume: ddpm setup failed: \(error)")
        }
    }

    /// The RF job of a run header: every setting from `config`, with the learning rate fixed at the resolved η.
    static func rfJob(_ header: RunHeader) throws -> RFTrainingJob {
        let c = header.config
        func int(_ key: String) throws -> Int {
            guard let x = c[key]?.int else { throw RuntimeError("cannot resume: the header lacks '\(key)'") }
            return x
        }
        func number(_ key: String) throws -> Double {
            guard let x = c[key]?.double, x.isFinite else { throw RuntimeError("cannot resume: the header lacks '\(key)'") }
            return x
        }
        let seed = try number("seed")
        guard seed >= 0, seed < 9.0e15, seed == seed.rounded() else {
            throw RuntimeError("cannot resume: the header's seed \(seed) is not an exact integer")
        }
        let noise: RFNoiseMode
        switch c["noise"]?.string {
        case "exact": noise = .exact
        case "draws": noise = .draws(try int("noise_draws"), testPoints: try int("test_points"))
        default: throw RuntimeError("cannot resume: the header's noise is neither exact nor draws")
        }
        let (d, p, n) = (try int("d"), try int("p"), try int("n"))
        let hermite = try int("hermite_order")
        try RFTrainOptions.checkSizes(d: d, p: p, n: n, hermiteOrder: hermite)
        // σ_x shapes Gaussian data only; a dataset run's header leaves it out.
        let isGaussian = c["data"]?.string == "gaussian"
        let setting = RFSetting(d: d, p: p, n: n, t: try number("t"), sigmaX: isGaussian ? try number("sigma_x") : 1,
                                noise: noise, hermiteOrder: hermite, quadratureNodes: try int("quadrature_nodes"),
                                seed: UInt64(seed))
        var plan = RFTrainingPlan()
        if let data = c["data"]?.string, data != "gaussian" {
            plan.data = try RFTrainOptions.loadData(data, d: d, n: n, seed: UInt64(seed))
            guard plan.data?.train.cols == d else {
                throw RuntimeError("cannot resume: data '\(data)' no longer has dimension \(d)")
            }
        }
        if c["generative"]?.bool == true {
            var g = RFGenerativePlan()
            guard let times = c["gen_times"]?.array?.count, times > 0 else {
                throw RuntimeError("cannot resume: the header lacks 'gen_times'")
            }
            g.times = times
            g.tMin = try number("gen_t_min")
            g.tMax = try number("gen_t_max")
            g.samples = try int("gen_samples")
            g.referenceSize = try int("gen_reference")
            g.shown = try int("gen_shown")
            g.perDecade = try number("gen_per_decade")
            g.memorizationK = try number("mem_k")
            g.bootstrapResamples = try int("mem_bootstrap")
            guard let sharing = c["gen_features"]?.string.flatMap(RFFeatureSharing.init(rawValue:)),
                  let sampler = c["gen_sampler"]?.string.flatMap(ReverseDiffusionSampler.Kind.init(rawValue:)) else {
                throw RuntimeError("cannot resume: the header's gen_features or gen_sampler is unknown")
            }
            g.sharing = sharing
            g.sampler = sampler
            plan.generative = g
        }
        guard let optimizer = c["optimizer"]?.string.flatMap(RFOptimizer.Kind.init(rawValue:)) else {
            throw RuntimeError("cannot resume: the header's optimizer is not gd or adam")
        }
        plan.optimizer = optimizer
        plan.lr = try number("lr")
        if optimizer == .gd {
            plan.warmupStart = try number("warmup_start")
            plan.warmupGrowth = try number("warmup_growth")
        }
        plan.steps = c["steps"]?.int
        plan.tauMax = c["tau_max"]?.double
        plan.evalPerDecade = try number("eval_per_decade")
        do {
            return try RFTrainingJob(setting: setting, plan: plan, created: header.created)
        } catch {
            throw RuntimeError("cannot resume: rf setup failed: \(error)")
        }
    }
}
