import ArgumentParser
import Datasets
import Diffusion
import Metrics
import RunFormat
import Training

/// `train` options of the DDPM (`--model ddpm`) and of the exact empirical optimum (`--model optimal`).
///
/// Defaults (digits, n = 128, W = 256, L = 3, Adam 1e−3, batch 128, 12,000 steps) show tau_gen (≈ 5,000 steps)
/// and then tau_mem (≈ 8,000) within a few minutes on two cores; see docs/ddpm.md.
struct DDPMTrainOptions: ModelTrainOptions {
    @Option(parsing: .unconditional, help: "ddpm: hidden width W of the residual MLP.")
    var width: Int = 256
    @Option(parsing: .unconditional, help: "ddpm: number of residual blocks L.")
    var depth: Int = 3
    @Option(parsing: .unconditional, help: "ddpm: width of the sinusoidal step embedding (even).")
    var timeEmbedding: Int = 64
    @Flag(help: "ddpm: LayerNorm in every block and before the output.")
    var layernorm = false
    @Option(parsing: .unconditional, help: "ddpm: batch size (the run uses min(n, batch) unless --fixed-batch).")
    var batch: Int = 128
    @Flag(help: "ddpm: --batch rows every step even when n is smaller (shuffled epochs back to back), so a step is the same work at every n (EMM probes).")
    var fixedBatch = false
    @Option(parsing: .unconditional, help: "ddpm: EMA decay of the weights (evaluation then uses the EMA weights), e.g. 0.999.")
    var ema: Double?
    @Option(help: "ddpm: label conditioning.")
    var labels: LabelMode = .none
    @Option(parsing: .unconditional, help: "ddpm: number of classes for --labels random.")
    var classes: Int = 10
    @Option(parsing: .unconditional, help: "ddpm: classifier-free guidance scale for sampling (1 = plain conditional).")
    var guidance: Double = 1
    @Option(parsing: .unconditional, help: "ddpm: probability of dropping a label to 'none' during training.")
    var labelDropout: Double = 0
    @Option(parsing: .unconditional, help: "ddpm: SGD momentum.")
    var momentum: Double = 0.95
    @Option(parsing: .unconditional, help: "ddpm: weight decay λ (0: none).")
    var weightDecay: Double = 0
    @Flag(help: "ddpm: add λ·p to the gradient (coupled) instead of decaying the weights directly (decoupled).")
    var coupledWeightDecay = false
    @Option(parsing: .unconditional, help: "ddpm: clip the global gradient norm at this value.")
    var clip: Double?
    @Option(parsing: .unconditional, help: "ddpm: steps of linear learning-rate warm-up (0: none).")
    var warmup: Int = 0
    @Option(help: "Noise schedule.")
    var schedule: NoiseSchedule.Kind = .linear
    @Option(parsing: .unconditional, help: "Sampler steps.")
    var sampleSteps: Int = 100
    @Option(parsing: .unconditional, help: "Samples generated at each evaluation (for mem_frac and FID).")
    var evalSamples: Int = 256
    @Option(parsing: .unconditional, help: "Evaluations per decade of steps (log-spaced).")
    var evalsPerDecade: Int = 8
    @Flag(help: "Quantize samples and training images to 8 bits before the memorization test (Paper A).")
    var quantize = false
    @Option(help: "ddpm: feature space of the live Fréchet distance: data (the raw values, shown as FD·pixels or FD·data) or inception (image data: FID in Inception-v3 pool3 features against held-out images fitted before training, on a thread of its own; a FID starts only when the last one has finished and, with its estimated duration, the network's time stays within 20% (--fid-time-share) of the run's wall time, so evaluations in between get none; training then uses one BLAS thread; see docs/fid.md).")
    var fidFeatures: String = "data"
    @Option(parsing: .unconditional, help: "With --fid-features inception: samples per FID, the first of each evaluation's (default: 64, or --eval-samples when fewer; fewer samples, more frequent FIDs, biased higher).")
    var fidSamples: Int?
    @Option(parsing: .unconditional, help: "With --fid-features inception: the largest share of the run's wall time the network may take, in (0, 1] (default 0.2).")
    var fidTimeShare: Double?
    @Option(name: .customLong("fid-weights"), help: "With --fid-features inception: the folder of fid_inception.f32 and .tsv (default: beside the binary, else the cache folder; `make fid-weights` fetches them).")
    var fidWeights: String?
    @Option(parsing: .unconditional, help: "tau_gen: FID within this fraction of its reference minimum (docs/timescales.md).")
    var fidPlateau: Double = 0.25
    @Option(parsing: .unconditional, help: "tau_gen: consecutive evaluations the FID criterion must hold.")
    var persistence: Int = 3
    @Option(parsing: .unconditional, help: "tau_gen: the reference minimum is the lowest median of this many consecutive FIDs (1: the lowest FID).")
    var fidSmoothing: Int = 3
    @Option(parsing: .unconditional, help: "tau_gen: log FID must have come this fraction of the way from the first FID down to the lowest FID, in [0, 1) (0: no such condition).")
    var fidFall: Double = 0.9
    @Option(parsing: .unconditional, help: "tau_mem: f_mem floor (or the lower end of its 95% interval above 0).")
    var memFloor: Double = 0.01
    @Option(help: "Write DIR/train.npy and DIR/samples_step<STEP>.npy at every evaluation.")
    var exportSamples: String?
    @Option(parsing: .unconditional, help: "Held-out points for the test loss and FID.")
    var testN: Int = 256
    @Option(help: "Value scaling.")
    var scaling: Scaling = .unitRange
    @Option(parsing: .unconditional, help: "gaussian/gmm: data dimension.")
    var dataDim: Int = 8
    @Option(parsing: .unconditional, help: "gmm: number of components.")
    var components: Int = 2
    @Option(parsing: .unconditional, help: "fashion-mnist: resize to 14 or 16 pixels square; png:DIR: the square side images are resized to.")
    var resize: Int?
    @Flag(help: "png:DIR: skip unreadable PNG files instead of stopping.")
    var skipBadImages = false

    func makeJob(common: TrainCommonOptions) throws -> TrainingJob {
        let settings = try settings(common: common)
        do {
            switch common.model {
            case .optimal: return try OptimalJob(settings: settings, created: iso8601Now())
            default: return try DDPMJob(settings: settings, created: iso8601Now())
            }
        } catch let e as DatasetError {
            throw RuntimeError(e.message)
        }
    }

    func checkOptions(common: TrainCommonOptions) throws {
        _ = try settings(common: common)
    }

    func preliminaryConfig(common: TrainCommonOptions) throws -> JSONObject {
        let s = try settings(common: common)
        var config: JSONObject = ["data": .string(s.data.name), "n": .number(Double(s.n)), "seed": .number(Double(s.seed))]
        if common.model == .ddpm {
            config["steps"] = .number(Double(s.steps))
            config["width"] = .number(Double(s.width))
            config["depth"] = .number(Double(s.depth))
        }
        return config
    }

    /// Checks every option and turns them into settings; throws `ValidationError` before anything is allocated.
    func settings(common: TrainCommonOptions) throws -> DDPMSettings {
        func positive(_ name: String, _ v: Int, max: Int) throws {
            guard v > 0 && v <= max else { throw ValidationError("--\(name) must be in 1…\(max), got \(v)") }
        }
        func fraction(_ name: String, _ v: Double, open: Bool) throws {
            let ok = v.isFinite && (open ? v > 0 && v < 1 : v >= 0 && v < 1)
            guard ok else { throw ValidationError("--\(name) must be in \(open ? "(0, 1)" : "[0, 1)"), got \(v)") }
        }
        try positive("width", width, max: 8192)
        try positive("depth", depth, max: 64)
        try positive("time-embedding", timeEmbedding, max: 4096)
        guard timeEmbedding % 2 == 0 else { throw ValidationError("--time-embedding must be even, got \(timeEmbedding)") }
        try positive("batch", batch, max: 65536)
        try positive("classes", classes, max: 100_000)
        try positive("sample-steps", sampleSteps, max: 999)
        // FID fits a Gaussian to the samples and to the held-out points: two rows at least.
        guard (2...1_000_000).contains(evalSamples) else {
            throw ValidationError("--eval-samples must be in 2…1000000, got \(evalSamples)")
        }
        try positive("evals-per-decade", evalsPerDecade, max: 1000)
        guard (2...10_000_000).contains(testN) else { throw ValidationError("--test-n must be in 2…10000000, got \(testN)") }
        try positive("persistence", persistence, max: 100)
        try positive("fid-smoothing", fidSmoothing, max: 100)
        try fraction("fid-fall", fidFall, open: false)
        guard memFloor.isFinite && memFloor > 0 && memFloor <= 1 else {
            throw ValidationError("--mem-floor must be in (0, 1], got \(memFloor)")
        }
        try positive("data-dim", dataDim, max: 100_000)
        try positive("components", components, max: 10_000)
        if let ema { try fraction("ema", ema, open: true) }
        try fraction("label-dropout", labelDropout, open: false)
        try fraction("momentum", momentum, open: false)
        guard momentum > 0 else { throw ValidationError("--momentum must be in (0, 1), got \(momentum)") }
        guard guidance.isFinite && guidance > 0 && guidance <= 100 else {
            throw ValidationError("--guidance must be in (0, 100], got \(guidance)")
        }
        guard weightDecay.isFinite && weightDecay >= 0 && weightDecay < 10 else {
            throw ValidationError("--weight-decay must be in [0, 10), got \(weightDecay)")
        }
        if let clip, !(clip.isFinite && clip > 0) { throw ValidationError("--clip must be a positive number, got \(clip)") }
        guard warmup >= 0 && warmup <= 1_000_000_000 else { throw ValidationError("--warmup must be ≥ 0, got \(warmup)") }
        guard fidPlateau.isFinite && fidPlateau > 0 && fidPlateau < 1 else {
            throw ValidationError("--fid-plateau must be in (0, 1), got \(fidPlateau)")
        }
        let inceptionFID = try checkFIDOptions(common: common)
        if common.stopRule == .window && inceptionFID {
            throw ValidationError("--stop-when window needs each FID at its own evaluation; with --fid-features inception they arrive later (use --fid-features data)")
        }
        if let resize {
            let isPNG = common.data?.hasPrefix("png:") ?? false
            guard isPNG ? (1...1024).contains(resize) : [14, 16, 28].contains(resize) else {
                throw ValidationError("--resize must be \(isPNG ? "in 1…1024" : "14, 16 or 28"), got \(resize)")
            }
        }
        if let steps = common.steps, steps > 1_000_000_000 { throw ValidationError("--steps must be at most 1e9, got \(steps)") }
        if let n = common.n, n > 10_000_000 { throw ValidationError("--n must be at most 1e7, got \(n)") }
        if let lr = common.lr, lr > 10 { throw ValidationError("--lr must be at most 10, got \(lr)") }
        let (labelMode, scheduleKind, scalingKind) = (labels, schedule, scaling)
        let samplerKind: Sampler.Kind = common.sampler.isDeterministic ? .ddim : .ddpm
        let optimizerKind: OptimizerSettings.Kind
        switch common.optimizer ?? .adam {
        case .adam: optimizerKind = .adam
        case .sgd: optimizerKind = .sgd
        case .gd: throw ValidationError("--optimizer must be sgd or adam for ddpm, got 'gd'")
        }
        let data: DataSource
        do {
            data = try DataSource.parse(common.data ?? "digits", dimension: dataDim, components: components, resize: resize,
                                       skipBad: skipBadImages)
        } catch let e as DatasetError {
            throw ValidationError(e.message)
        }
        if quantize && (scalingKind != .unitRange || [.gaussian(dimension: dataDim), .gmm(dimension: dataDim, components: components)].contains(data)) {
            throw ValidationError("--quantize needs image data scaled to [−1, 1] (digits, fashion-mnist or png:DIR with --scaling minus-one-one)")
        }
        let inception = try inceptionFID ? inceptionSettings(data: data) : nil
        let n = common.n ?? 128
        if labelMode == .unique && n > 100_000 { throw ValidationError("--labels unique supports n ≤ 100000") }
        let defaultLR = optimizerKind == .adam ? 1e-3 : 0.01
        let optimizer = OptimizerSettings(kind: optimizerKind, learningRate: common.lr ?? defaultLR, momentum: momentum,
                                          weightDecay: weightDecay, decoupledWeightDecay: !coupledWeightDecay,
                                          clipNorm: clip, warmupSteps: warmup)
        return DDPMSettings(data: data, n: n, testCount: testN, scaling: scalingKind, seed: common.seed,
                            steps: common.steps ?? 12000, width: width, depth: depth, timeEmbedding: timeEmbedding,
                            layerNorm: layernorm, batch: batch, fixedBatch: fixedBatch, optimizer: optimizer, ema: ema, labels: labelMode,
                            randomClasses: classes, guidance: guidance, labelDropout: labelDropout,
                            schedule: scheduleKind, sampler: samplerKind, sampleSteps: sampleSteps,
                            evalSamples: evalSamples, evalsPerDecade: evalsPerDecade, memK: common.memK,
                            fidPlateau: fidPlateau, persistence: persistence,
                            fidSmoothing: fidSmoothing, fidFall: fidFall, memFloor: memFloor, quantize: quantize,
                            exportSamples: exportSamples, inception: inception,
                            stopWhen: common.model == .ddpm ? common.stopRule : nil)
    }

    /// Samples per Inception FID unless `--fid-samples` says otherwise: about 13 s of one core here (0.2 s per
    /// image), so that several FIDs fit in a default run's 20% of wall time.
    static let defaultFIDSamples = 64

    /// Checks `--fid-features`, `--fid-samples`, `--fid-time-share` and `--fid-weights` (`ValidationError`); true
    /// for inception.
    private func checkFIDOptions(common: TrainCommonOptions) throws -> Bool {
        guard fidFeatures == "data" || fidFeatures == "inception" else {
            throw ValidationError("--fid-features must be data or inception, got '\(fidFeatures)'")
        }
        guard fidFeatures == "inception" else {
            if fidSamples != nil { throw ValidationError("--fid-samples applies only to --fid-features inception") }
            if fidWeights != nil { throw ValidationError("--fid-weights applies only to --fid-features inception") }
            if fidTimeShare != nil { throw ValidationError("--fid-time-share applies only to --fid-features inception") }
            return false
        }
        guard common.model == .ddpm else { throw ValidationError("--fid-features inception applies only to --model ddpm") }
        if let fidTimeShare, !(fidTimeShare.isFinite && fidTimeShare > 0 && fidTimeShare <= 1) {
            throw ValidationError("--fid-time-share must be in (0, 1], got \(fidTimeShare)")
        }
        if let fidSamples, !(2...evalSamples).contains(fidSamples) {
            throw ValidationError("--fid-samples must be in 2…\(evalSamples) (--eval-samples), got \(fidSamples)")
        }
        return true
    }

    /// `--fid-features inception`: image data and the weights are needed (one line, exit 1, before the run file).
    private func inceptionSettings(data: DataSource) throws -> InceptionFIDSettings {
        switch data {
        case .gaussian, .gmm:
            throw RuntimeError("--fid-features inception needs image data (digits, fashion-mnist or png:DIR), not \(data.name)")
        case .digits, .fashionMNIST, .pngFolder:
            return InceptionFIDSettings(weightsDirectory: try locateInceptionWeights(explicit: fidWeights),
                                        statisticsDirectory: StatisticsCache.defaultDirectory(),
                                        samples: fidSamples ?? min(Self.defaultFIDSamples, evalSamples),
                                        share: fidTimeShare ?? InceptionCadence.defaultShare)
        }
    }
}

extension LabelMode: ExpressibleByArgument {}
extension NoiseSchedule.Kind: ExpressibleByArgument {}
extension Scaling: ExpressibleByArgument {}
