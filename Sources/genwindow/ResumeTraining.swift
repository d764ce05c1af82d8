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
            try writer.append(.event(EventRecord(kind: EventKind.resumed, step: checkpoint.step,
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

    /// The RF job of a run header: every setting from `config` (`RFSettings(header:)`), with the learning rate
    /// fixed at the resolved η and the named dataset loaded again.
    static func rfJob(_ header: RunHeader) throws -> RFTrainingJob {
        let settings: RFSettings
        do {
            settings = try RFSettings(header: header)
        } catch {
            throw RuntimeError("cannot resume: \(error)")
        }
        let setting = settings.setting
        var plan = settings.plan
        try RFTrainOptions.checkSizes(d: setting.d, p: setting.p, n: setting.n, hermiteOrder: setting.hermiteOrder)
        if let data = RFSettings.dataName(header: header) {
            plan.data = try RFTrainOptions.loadData(data, d: setting.d, n: setting.n, seed: setting.seed)
            guard plan.data?.train.cols == setting.d else {
                throw RuntimeError("cannot resume: data '\(data)' no longer has dimension \(setting.d)")
            }
        }
        do {
            return try RFTrainingJob(setting: setting, plan: plan, created: header.created)
        } catch {
            throw RuntimeError("cannot resume: rf setup failed: \(error)")
        }
    }
}
