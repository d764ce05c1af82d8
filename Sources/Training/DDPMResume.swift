import Datasets
import Diffusion
import Inception
import Metrics
import NumericCore
import RunFormat

/// Saving and taking back a DDPM run's state: the weights, the optimizer's moments and update count, the EMA
/// weights, the trainer's position in its data stream (generator, epoch order, cursor), the step, the last step's
/// gradient norm (absent from states saved before it was recorded), the index of the next evaluation, and the evaluator's FID / f_mem series and announced events. Evaluation draws its noise
/// from fixed seeds at every evaluation, so it has no generator state to save. With Inception FID, also the
/// images of every FID not yet recorded (queued, running or finished after the last drain) and the worker's
/// busy seconds, so the resumed run records those FIDs (the same values: the network is deterministic) and keeps
/// to its share of wall time.
extension DDPMJob: ResumableTrainingJob {
    public func captureState() -> TrainingState {
        let position = trainer.position
        let rng = position.rng.state
        var emitted = JSONObject()
        for (kind, (step, provisional)) in evaluator.timescales.emitted.sorted(by: { $0.key < $1.key }) {
            emitted[kind] = .object(["step": .number(Double(step)), "provisional": .bool(provisional)])
        }
        var meta: JSONObject = [
            "model": "ddpm", "parameters": .number(Double(trainer.parameters.count)),
            "step": .number(Double(step)), "next_eval": .number(Double(nextEval)),
            "optimizer_updates": .number(Double(trainer.optimizer.updates)),
            "cursor": .number(Double(position.cursor)), "completed_steps": .number(Double(position.completedSteps)),
            "rng_spare_normal": rng.spareNormal.map { .number($0) } ?? .null, "emitted": .object(emitted),
        ]
        if let gradientNorm { meta["grad_norm"] = .number(gradientNorm) }
        var arrays: [(name: String, array: NpyArray)] = [
            TrainingState.entry("parameters", trainer.parameters.array),
            TrainingState.entry("m1", trainer.optimizer.first.array),
            TrainingState.entry("m2", trainer.optimizer.second.array),
            TrainingState.entry("order", position.order),
            ("rng", NpyArray(shape: [4], values: .int64(rng.words.map { Int64(bitPattern: $0) }))),
        ]
        if let ema = trainer.ema { arrays.append(TrainingState.entry("ema", ema.weights.array)) }
        arrays += EvaluationSeriesState.entries(prefix: "", fid: evaluator.timescales.fidSeries, memorization: evaluator.timescales.memSeries)
        if let inception = evaluator.inception {
            let (jobs, busy) = inception.unreported()
            meta["inception_busy_s"] = .number(busy)
            arrays.append(TrainingState.entry("inception_steps", jobs.map(\.step)))
            arrays.append(TrainingState.entry("inception_images", jobs.flatMap(\.images.pixels)))
        }
        return TrainingState(meta: meta, arrays: arrays)
    }

    public func restore(_ state: TrainingState) throws {
        let count = trainer.parameters.count
        guard state.meta["model"]?.string == "ddpm", state.meta["parameters"]?.int == count else {
            throw TrainingStateError("the state is not of this run (model or parameter count differ)")
        }
        let step = try state.integer("step"), nextEval = try state.integer("next_eval")
        let updates = try state.integer("optimizer_updates"), cursor = try state.integer("cursor")
        let completed = try state.integer("completed_steps")
        // The evaluation index must be where the uninterrupted run stood: past every step before `step`, and at
        // most one past `step` itself (when the state was saved after evaluating it).
        let due = evalSteps.firstIndex { $0 >= step } ?? evalSteps.count
        let pastStep = due < evalSteps.count && evalSteps[due] == step ? due + 1 : due
        guard step <= settings.steps, completed == step, updates == step, nextEval == due || nextEval == pastStep else {
            throw TrainingStateError("inconsistent counters (step \(step), trainer \(completed), optimizer \(updates), next evaluation \(nextEval))")
        }
        let parameters = try state.floats("parameters", count: count)
        let m1 = try state.floats("m1", count: trainer.optimizer.first.count)
        let m2 = try state.floats("m2", count: trainer.optimizer.second.count)
        let ema = try trainer.ema.map { try state.floats("ema", count: $0.weights.count) }
        let order = try state.integers("order", count: dataset.train.rows).map { Int($0) }
        let words = try state.integers("rng", count: 4).map { UInt64(bitPattern: $0) }
        let spare = state.meta["rng_spare_normal"]?.double
        guard let rng = Xoshiro256(words: words, spareNormal: spare) else { throw TrainingStateError("rng state is all zero") }
        var emitted: [String: (step: Int, provisional: Bool)] = [:]
        for (kind, value) in state.meta["emitted"]?.object ?? JSONObject() {
            guard let s = value.object?["step"]?.int, s >= 0, s <= step, let p = value.object?["provisional"]?.bool else {
                throw TrainingStateError("malformed emitted event '\(kind)'")
            }
            emitted[kind] = (s, p)
        }
        let series = try EvaluationSeriesState.restore(prefix: "", from: state, maxStep: step)
        let inceptionJobs = try restoredInceptionJobs(state, step: step)
        guard trainer.restore(DiffusionTrainer.Position(rng: rng, order: order, cursor: cursor, completedSteps: completed)),
              trainer.optimizer.restore(first: m1, second: m2, updates: updates) else {
            throw TrainingStateError("the data order or optimizer state does not fit this run")
        }
        _ = trainer.parameters.buffer.update(fromContentsOf: parameters)
        if let ema, let weights = trainer.ema?.weights { _ = weights.buffer.update(fromContentsOf: ema) }
        self.step = step
        self.nextEval = nextEval
        gradientNorm = state.meta["grad_norm"]?.double
        evaluator.timescales.fidSeries = series.fid
        evaluator.timescales.memSeries = series.memorization
        evaluator.timescales.emitted = emitted
        stopper?.resume()
        if let (jobs, busy) = inceptionJobs { evaluator.inception?.requeue(jobs, busySeconds: busy) }
    }

    /// The Inception FIDs a saved state had not recorded yet, and the worker's busy seconds; nil without Inception
    /// features.
    private func restoredInceptionJobs(_ state: TrainingState, step: Int)
        throws -> (jobs: [InceptionFIDWorker.Job], busySeconds: Double)? {
        guard let fid = settings.inception else { return nil }
        let steps = try state.integers("inception_steps")
        let perJob = fid.samples * dataset.dimension
        let pixels = try state.floats("inception_images", count: steps.count * perJob)
        guard steps.allSatisfy({ $0 >= 0 && $0 <= Int64(step) }), let busy = state.meta["inception_busy_s"]?.double,
              busy >= 0, busy.isFinite else {
            throw TrainingStateError("malformed Inception FID state")
        }
        let jobs = steps.enumerated().map { i, s in
            InceptionFIDWorker.Job(step: Int(s), images: InceptionImages(
                count: fid.samples, height: dataset.shape[0], width: dataset.shape[1], channels: 1,
                pixels: Array(pixels[(i * perJob)..<((i + 1) * perJob)])))
        }
        return (jobs, busy)
    }
}

extension DDPMSettings {
    /// The settings a DDPM run header records (`headerConfig`), for resuming it; throws naming what is missing.
    /// A run with Inception FID (`fid_features` "inception") needs `inceptionWeights`, the folder of the weights
    /// found again, and caches its reference statistics in `statisticsDirectory`. A header from before
    /// `fid_smoothing` and `fid_fall` resumes with the tau_gen rule it applied (smoothing 1, no fall condition).
    public init(header: RunHeader, inceptionWeights: String? = nil,
                statisticsDirectory: String = StatisticsCache.defaultDirectory()) throws {
        let c = header.config
        let fields = HeaderFields(config: c)
        let number = fields.number, int = fields.int, string = fields.string
        func choice<T: RawRepresentable<String>>(_ key: String, _ type: T.Type) throws -> T { try fields.choice(key, type) }
        guard header.model == "ddpm" else { throw TrainingStateError("not a ddpm run (model '\(header.model)')") }
        let dimension = c["data_dimension"]?.int ?? 8, components = c["components"]?.int ?? 2
        let data: DataSource
        do {
            data = try DataSource.parse(try string("data"), dimension: dimension, components: components,
                                        resize: c["resize"]?.int, skipBad: c["skip_bad_images"]?.bool ?? false)
        } catch let e as DatasetError {
            throw TrainingStateError("the header's data: \(e.message)")
        }
        let seed = try number("seed")
        guard seed >= 0, seed < 9.0e15, seed == seed.rounded() else {
            throw TrainingStateError("the header's seed \(seed) is not an exact integer")
        }
        let optimizerKind = try choice("optimizer", OptimizerSettings.Kind.self)
        let optimizer = OptimizerSettings(
            kind: optimizerKind, learningRate: try number("lr"),
            momentum: optimizerKind == .sgd ? try number("momentum") : OptimizerSettings().momentum,
            weightDecay: try number("weight_decay"), decoupledWeightDecay: try string("weight_decay_mode") == "decoupled",
            clipNorm: c["clip"]?.double, warmupSteps: try int("warmup"))
        let labels = try choice("labels", LabelMode.self)
        var inception: InceptionFIDSettings?
        if c["fid_features"]?.string == "inception" {
            guard let inceptionWeights else { throw TrainingStateError("the run measures FID in Inception features: its weights are needed") }
            let share = try number("fid_time_share")
            guard share > 0 && share <= 1 else { throw TrainingStateError("the header's fid_time_share \(share) is not in (0, 1]") }
            inception = InceptionFIDSettings(weightsDirectory: inceptionWeights, statisticsDirectory: statisticsDirectory,
                                             samples: try int("fid_samples"), share: share)
        }
        self.init(data: data, n: try int("n"), testCount: try int("test_count"),
                  scaling: try choice("scaling", Scaling.self), seed: UInt64(seed), steps: try int("steps"),
                  width: try int("width"), depth: try int("depth"), timeEmbedding: try int("time_embedding"),
                  layerNorm: c["layernorm"]?.bool ?? false, batch: try int("batch"),
                  fixedBatch: c["batch_rule"]?.string == DDPMSettings.fixedBatchRule, optimizer: optimizer,
                  ema: c["ema"]?.double, labels: labels,
                  randomClasses: labels == .random ? try int("classes") : DDPMSettings().randomClasses,
                  guidance: try number("guidance"), labelDropout: try number("label_dropout"),
                  schedule: try choice("schedule", NoiseSchedule.Kind.self),
                  sampler: try choice("sampler", Sampler.Kind.self), sampleSteps: try int("sample_steps"),
                  evalSamples: try int("eval_samples"), evalsPerDecade: try int("evals_per_decade"),
                  memK: try number("mem_k"), bootstrapResamples: try int("bootstrap_resamples"),
                  lossTime: try number("loss_time"), lossDraws: try int("loss_draws"),
                  fidPlateau: try number("fid_plateau"), persistence: try int("persistence"),
                  fidSmoothing: c["fid_smoothing"]?.int ?? 1, fidFall: c["fid_fall"]?.double ?? 0,
                  memFloor: try number("mem_floor"), quantize: c["mem_quantize_8bit"]?.bool ?? false,
                  exportSamples: c["export_samples"]?.string, inception: inception,
                  stopWhen: try StopRule.from(header: c))
    }
}
