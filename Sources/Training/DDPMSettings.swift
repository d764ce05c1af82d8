import Datasets
import Diffusion
import Metrics
import NumericCore
import RunFormat

/// How class labels condition the DDPM (Paper A's factor).
public enum LabelMode: String, Sendable, CaseIterable {
    /// Unconditional.
    case none
    /// The dataset's own classes.
    case `true`
    /// Labels drawn uniformly from `classes` classes by seed, independent of the images.
    case random
    /// Every training point its own class (C = n).
    case unique
}

/// Every setting of a DDPM or empirical-optimum run; all of it goes into the run header.
public struct DDPMSettings: Sendable {
    public var data: DataSource
    public var n: Int
    public var testCount: Int
    public var scaling: Scaling
    public var seed: UInt64
    public var steps: Int
    public var width: Int
    public var depth: Int
    public var timeEmbedding: Int
    public var layerNorm: Bool
    public var batch: Int
    /// `--fixed-batch`: `batch` rows every step at any n (shuffled epochs back to back), so that a step is the same
    /// work at every n; otherwise the batch is min(n, batch).
    public var fixedBatch: Bool
    public var optimizer: OptimizerSettings
    public var ema: Double?
    public var labels: LabelMode
    /// Classes for `.random` labels.
    public var randomClasses: Int
    public var guidance: Double
    public var labelDropout: Double
    public var schedule: NoiseSchedule.Kind
    public var sampler: Sampler.Kind
    public var sampleSteps: Int
    public var evalSamples: Int
    public var evalsPerDecade: Int
    /// Memorization ratio threshold k (x is memorized when d1/d2 < k).
    public var memK: Double
    public var bootstrapResamples: Int
    /// Diffusion time of the fixed-time losses.
    public var lossTime: Double
    public var lossDraws: Int
    /// tau_gen: FID within this fraction of its reference minimum, for `persistence` consecutive evaluations.
    public var fidPlateau: Double
    /// Consecutive evaluations tau_gen's criterion must hold for (tau_mem: Metrics' standard 2).
    public var persistence: Int
    /// tau_gen: the reference minimum is the lowest median of this many consecutive FIDs.
    public var fidSmoothing: Int
    /// tau_gen: log FID must have come this fraction of the way from the first FID down to the lowest.
    public var fidFall: Double
    /// tau_mem: f_mem at least this (or the lower end of its interval above 0).
    public var memFloor: Double
    /// Paper A's convention: samples and training data quantized to 8 bits before the memorization test.
    public var quantize: Bool
    public var exportSamples: String?
    /// Live FID in Inception-v3 features (image data); nil: the Fréchet distance in data space.
    public var inception: InceptionFIDSettings?
    /// `--stop-when`: the rule that ends the run early (nil: it trains all `steps`).
    public var stopWhen: StopRule?

    public init(data: DataSource = .digits, n: Int = 64, testCount: Int = 256, scaling: Scaling = .unitRange,
                seed: UInt64 = 0, steps: Int = 20000, width: Int = 256, depth: Int = 3, timeEmbedding: Int = 64,
                layerNorm: Bool = false, batch: Int = 128, fixedBatch: Bool = false, optimizer: OptimizerSettings = OptimizerSettings(),
                ema: Double? = nil, labels: LabelMode = .none, randomClasses: Int = 10, guidance: Double = 1,
                labelDropout: Double = 0, schedule: NoiseSchedule.Kind = .linear, sampler: Sampler.Kind = .ddim,
                sampleSteps: Int = 100, evalSamples: Int = 256, evalsPerDecade: Int = 8, memK: Double = 1.0 / 3,
                bootstrapResamples: Int = 1000, lossTime: Double = 0.01, lossDraws: Int = 5,
                fidPlateau: Double = 0.25, persistence: Int = 3, fidSmoothing: Int = 3, fidFall: Double = 0.9, memFloor: Double = 0.01, quantize: Bool = false,
                exportSamples: String? = nil, inception: InceptionFIDSettings? = nil, stopWhen: StopRule? = nil) {
        self.data = data; self.n = n; self.testCount = testCount; self.scaling = scaling; self.seed = seed
        self.steps = steps; self.width = width; self.depth = depth; self.timeEmbedding = timeEmbedding
        self.layerNorm = layerNorm; self.batch = batch; self.fixedBatch = fixedBatch; self.optimizer = optimizer; self.ema = ema
        self.labels = labels; self.randomClasses = randomClasses; self.guidance = guidance
        self.labelDropout = labelDropout; self.schedule = schedule; self.sampler = sampler
        self.sampleSteps = sampleSteps; self.evalSamples = evalSamples; self.evalsPerDecade = evalsPerDecade
        self.memK = memK; self.bootstrapResamples = bootstrapResamples; self.lossTime = lossTime
        self.lossDraws = lossDraws; self.fidPlateau = fidPlateau; self.persistence = persistence
        self.fidSmoothing = fidSmoothing; self.fidFall = fidFall
        self.memFloor = memFloor; self.quantize = quantize; self.exportSamples = exportSamples
        self.inception = inception; self.stopWhen = stopWhen
    }

    /// The header's `batch_rule` of a `--fixed-batch` run.
    public static let fixedBatchRule = "fixed"

    /// The rows of one step.
    public var effectiveBatch: Int { fixedBatch ? batch : min(batch, n) }

    /// The header's `config` object.
    public func headerConfig(model: String, dataset: Dataset) -> JSONObject {
        var c: JSONObject = [
            "seed": .number(Double(seed)), "data": .string(data.name), "n": .number(Double(n)),
            "test_n": .number(Double(dataset.test.rows)), "dimension": .number(Double(dataset.dimension)),
            "shape": .array(dataset.shape.map { .number(Double($0)) }), "scaling": .string(scaling.rawValue),
        ]
        switch data {
        case .gaussian(let d): c["data_dimension"] = .number(Double(d))
        case .gmm(let d, let k): c["data_dimension"] = .number(Double(d)); c["components"] = .number(Double(k))
        case .fashionMNIST(let r): if let r { c["resize"] = .number(Double(r)) }
        case .pngFolder(_, let size, let skipBad):
            if let size { c["resize"] = .number(Double(size)) }
            c["skip_bad_images"] = .bool(skipBad)
        case .digits: break
        }
        if model == "ddpm" {
            c["steps"] = .number(Double(steps))
            c["width"] = .number(Double(width)); c["depth"] = .number(Double(depth))
            c["time_embedding"] = .number(Double(timeEmbedding)); c["layernorm"] = .bool(layerNorm)
            c["batch"] = .number(Double(effectiveBatch))
            c["batch_rule"] = .string(fixedBatch ? Self.fixedBatchRule : "min(n, batch)")
            c["optimizer"] = .string(optimizer.kind.rawValue); c["lr"] = .number(optimizer.learningRate)
            if optimizer.kind == .sgd { c["momentum"] = .number(optimizer.momentum) }
            c["weight_decay"] = .number(optimizer.weightDecay)
            c["weight_decay_mode"] = .string(optimizer.decoupledWeightDecay ? "decoupled" : "coupled")
            c["clip"] = optimizer.clipNorm.map { .number($0) } ?? .null
            c["warmup"] = .number(Double(optimizer.warmupSteps))
            c["ema"] = ema.map { .number($0) } ?? .null
            c["labels"] = .string(labels.rawValue)
            if labels != .none { c["classes"] = .number(Double(classCount(dataset: dataset))) }
            c["guidance"] = .number(guidance); c["label_dropout"] = .number(labelDropout)
        }
        c["schedule"] = .string(schedule.rawValue); c["schedule_steps"] = 1000
        c["sampler"] = .string(sampler.rawValue); c["sample_steps"] = .number(Double(sampleSteps))
        c["eval_samples"] = .number(Double(evalSamples)); c["evals_per_decade"] = .number(Double(evalsPerDecade))
        c["mem_k"] = .number(memK); c["bootstrap_resamples"] = .number(Double(bootstrapResamples))
        c["loss_time"] = .number(lossTime); c["loss_draws"] = .number(Double(lossDraws))
        c["mem_quantize_8bit"] = .bool(quantize)
        c["test_count"] = .number(Double(testCount))
        c["fid_plateau"] = .number(fidPlateau); c["persistence"] = .number(Double(persistence))
        c["fid_smoothing"] = .number(Double(fidSmoothing)); c["fid_fall"] = .number(fidFall)
        c["mem_floor"] = .number(memFloor)
        let referenceCount = min(testCount, dataset.test.rows >= 2 ? dataset.test.rows : dataset.train.rows)
        if let inception {
            c["fid_features"] = "inception"
            c["fid_samples"] = .number(Double(inception.samples))
            c["fid_time_share"] = .number(inception.share)
            c["fid_reference"] = .string("\(referenceCount) held-out images")
        } else {
            c["fid_features"] = "data"
            c["fid_reference"] = .string("\(min(testCount, dataset.test.rows)) held-out points")
        }
        if let exportSamples { c["export_samples"] = .string(exportSamples) }
        if model == "ddpm", let stopWhen { for (key, value) in stopWhen.headerFields { c[key] = value } }
        return c
    }

    /// 8-bit quantization maps [−1, 1] to 0…255, so it needs image data in that scale.
    public func checkQuantization(dataset: Dataset) throws {
        if quantize && !(dataset.isImage && scaling == .unitRange) {
            throw DatasetError("--quantize needs image data scaled to [−1, 1] (not \(dataset.name) with \(scaling.rawValue))")
        }
    }

    /// The number of classes the network conditions on.
    public func classCount(dataset: Dataset) -> Int {
        switch labels {
        case .none: 0
        case .true: dataset.classes
        case .random: randomClasses
        case .unique: n
        }
    }

    /// One label per held-out point, so a conditional model is scored as it is trained: the true class, or for
    /// random and unique labels a class drawn uniformly from the `classes` it was trained with.
    public func testLabels(dataset: Dataset, classes: Int) -> [Int32] {
        switch labels {
        case .none: return []
        case .true: return dataset.testLabels.map(Int32.init)
        case .random, .unique:
            var rng = Xoshiro256(seed: seed, stream: 0x1AB2)
            return (0..<dataset.test.rows).map { _ in Int32(rng.nextInt(below: classes)) }
        }
    }

    /// One label per training point for the chosen mode (empty when unconditional).
    public func trainingLabels(dataset: Dataset) -> [Int32] {
        switch labels {
        case .none: return []
        case .true: return dataset.trainLabels.map(Int32.init)
        case .unique: return (0..<dataset.train.rows).map(Int32.init)
        case .random:
            var rng = Xoshiro256(seed: seed, stream: 0x1AB1)
            return (0..<dataset.train.rows).map { _ in Int32(rng.nextInt(below: randomClasses)) }
        }
    }
}

extension DDPMSettings {
    /// The tau_gen rule these settings give.
    public var generalization: GeneralizationCriterion {
        .fidPlateau(relative: fidPlateau, persistence: persistence, smoothing: fidSmoothing, fall: fidFall)
    }
}
