import ArgumentParser
import Datasets
import RandomFeatures
import RunFormat
import Training
#if canImport(Glibc)
import Glibc
#endif

/// `train --model rf` options: the random-features score model of Paper B (docs/science.md §4).
struct RFTrainOptions: ModelTrainOptions {
    @Option(parsing: .unconditional, help: "rf: data dimension d (with --data digits, fashion-mnist or png:DIR, the images' own dimension).")
    var d: Int = 25

    @Option(parsing: .unconditional, help: "rf: number of random features p (ψ_p = p/d).")
    var p: Int = 1600

    @Option(parsing: .unconditional, help: "rf: diffusion time t of the loss.")
    var t: Double = 0.1

    @Option(help: "rf: noise average, exact (Stein/Mehler) or draws (fixed draws per point).")
    var noise: RFNoiseChoice = .exact

    @Option(parsing: .unconditional, help: "rf: noise draws per point with --noise draws.")
    var noiseDraws: Int = 100

    @Option(parsing: .unconditional, help: "rf: fresh test points with --noise draws.")
    var testPoints: Int = 1000

    @Option(parsing: .unconditional, help: "rf: train until τ = kη/d² reaches this (default: 3 × the expected tau_mem).")
    var tauMax: Double?

    @Option(parsing: .unconditional, help: "rf: data standard deviation σ_x (x ~ N(0, σ_x² I)).")
    var sigmaX: Double = 1

    @Option(help: "rf: how GD iterates: eigen (in U's eigenbasis, O(d·p) a step; the default) or gram (Gram form, a d×p·p×p product a step). Adam always runs in Gram form.")
    var solver: RFSolver?

    @Option(parsing: .unconditional, help: "rf: GD step as a fraction of the largest stable step d·p/(Δ_t λ_max) when --lr is not given.")
    var lrFactor: Double = 0.9

    @Option(parsing: .unconditional, help: "rf: warm-up: the first step as a fraction of the full step.")
    var warmupStart: Double = 0.01

    @Option(parsing: .unconditional, help: "rf: warm-up: each step advances τ by this fraction of τ until the full step is reached (0: none).")
    var warmupGrowth: Double = 0.1

    @Option(parsing: .unconditional, help: "rf: evaluations per decade of τ.")
    var evalPerDecade: Double = 20

    @Option(parsing: .unconditional, help: "rf: highest Hermite order of the Mehler series for U (exact noise).")
    var hermiteOrder: Int = 10

    @Flag(help: "rf: generative mode: one RF score per diffusion time (all at the run's τ, closed form), sampled at evaluations to measure mem_frac (95% bootstrap CI) and FID (data features, against held-out points).")
    var generative = false

    @Option(parsing: .unconditional, help: "rf --generative: number of diffusion times (log-spaced in [--gen-t-min, --gen-t-max]); also the sampler's steps.")
    var genTimes: Int = 10

    @Option(parsing: .unconditional, help: "rf --generative: smallest diffusion time (samples are denoised from it).")
    var genTMin: Double = 0.01

    @Option(parsing: .unconditional, help: "rf --generative: largest diffusion time (sampling starts there from N(0, I)).")
    var genTMax: Double = 3

    @Option(parsing: .unconditional, help: "rf --generative: samples per evaluation (FID compares only at equal counts).")
    var genSamples: Int = 256

    @Option(help: "rf --generative: shared (one W for every diffusion time) or independent (one W per time).")
    var genFeatures: RFFeatureSharing = .shared

    @Option(parsing: .unconditional, help: "rf --generative: sample-based evaluations per decade of τ (plus τ = 0 and the last evaluation).")
    var genPerDecade: Double = 5

    @Option(parsing: .unconditional, help: "rf --generative: held-out points in the fixed FID reference set.")
    var genReference: Int = 2000

    enum RFNoiseChoice: String, ExpressibleByArgument, CaseIterable {
        case exact, draws
    }

    /// Default Adam run length when neither --steps nor --tau-max is given (τ means little for Adam).
    static let adamDefaultSteps = 5000
    /// The training-set size without `--n`.
    static let defaultN = 100
    static let adamDefaultLearningRate = 1e-3

    func makeJob(common: TrainCommonOptions) throws -> TrainingJob {
        let optimizer = try Self.optimizer(common.optimizer)
        try validate(common: common, optimizer: optimizer)
        let n = common.n ?? Self.defaultN
        var dataSet: RFDataSet?
        if let name = common.data, name != "gaussian" {
            dataSet = try Self.loadData(name, d: d, n: n, seed: common.seed)
        }
        let setting = RFSetting(
            d: dataSet?.train.cols ?? d, p: p, n: n, t: t, sigmaX: sigmaX,
            noise: noise == .exact ? .exact : .draws(noiseDraws, testPoints: testPoints),
            hermiteOrder: hermiteOrder, seed: common.seed)
        var plan = RFTrainingPlan()
        plan.optimizer = optimizer
        plan.solver = solver
        plan.lr = common.lr ?? (optimizer == .adam ? Self.adamDefaultLearningRate : nil)
        plan.lrFactor = lrFactor
        plan.warmupStart = warmupStart
        plan.warmupGrowth = warmupGrowth
        plan.steps = common.steps ?? (optimizer == .adam && tauMax == nil ? Self.adamDefaultSteps : nil)
        plan.tauMax = tauMax
        plan.evalPerDecade = evalPerDecade
        plan.data = dataSet
        plan.stopWhen = common.stopRule
        if generative {
            var g = RFGenerativePlan()
            g.times = genTimes
            g.tMin = genTMin
            g.tMax = genTMax
            g.samples = genSamples
            g.sampler = common.sampler.isDeterministic ? .ode : .sde
            g.sharing = genFeatures
            g.perDecade = genPerDecade
            g.referenceSize = genReference
            g.memorizationK = common.memK
            plan.generative = g
        }
        do {
            return try RFTrainingJob(setting: setting, plan: plan, created: iso8601Now())
        } catch let tooLong as RFRunTooLong {
            throw ValidationError("--tau-max: \(tooLong)")
        } catch {
            throw RuntimeError("rf setup failed: \(error)")
        }
    }

    func checkOptions(common: TrainCommonOptions) throws {
        try validate(common: common, optimizer: try Self.optimizer(common.optimizer))
    }

    func preliminaryConfig(common: TrainCommonOptions) throws -> JSONObject {
        let data = common.data ?? "gaussian"
        var config: JSONObject = ["data": .string(data)]
        if data == "gaussian" || data == "gmm" { config["d"] = .number(Double(d)) }
        config["p"] = .number(Double(p))
        config["n"] = .number(Double(common.n ?? Self.defaultN))
        config["t"] = .number(t)
        config["noise"] = .string(noise.rawValue)
        config["seed"] = .number(Double(common.seed))
        config["optimizer"] = .string((common.optimizer ?? .gd).rawValue)
        if let steps = common.steps { config["steps"] = .number(Double(steps)) }
        if generative { config["generative"] = true }
        return config
    }

    /// `--data` for the RF model: gmm (dimension --d, the two components at ±1_d), digits, fashion-mnist or png:DIR.
    static func dataSource(_ name: String, d: Int) throws -> DataSource {
        do {
            return try DataSource.parse(name, dimension: d, components: 2, resize: nil)
        } catch {
            throw ValidationError("--data for rf: \(error)")
        }
    }

    /// Training and held-out rows, mean-centred (Paper B's convention); d becomes the data's dimension.
    static func loadData(_ name: String, d: Int, n: Int, seed: UInt64) throws -> RFDataSet {
        let source = try dataSource(name, d: d)
        let testCount: Int = switch source {
        case .digits, .pngFolder: 250
        default: 1000
        }
        do {
            let data = try DatasetLoader.load(source, n: n, testCount: testCount, seed: seed, scaling: .meanCentred)
            return RFDataSet(name: data.name, scaling: data.scaling.rawValue, train: data.train.converted(to: Double.self),
                             test: data.test.converted(to: Double.self))
        } catch {
            throw RuntimeError("--data \(name): \(error)")
        }
    }

    /// `--optimizer` for rf: gd (the default) or adam.
    static func optimizer(_ choice: OptimizerChoice?) throws -> RFOptimizer.Kind {
        switch choice {
        case nil, .gd?: return .gd
        case .adam?: return .adam
        case .sgd?: throw ValidationError("--optimizer for rf must be gd or adam, got 'sgd'")
        }
    }

    /// Every numeric setting in range, and the run small enough for this machine, before anything is allocated.
    func validate(common: TrainCommonOptions, optimizer: RFOptimizer.Kind) throws {
        if let data = common.data, data != "gaussian" {
            _ = try Self.dataSource(data, d: d)
        }
        if solver == .eigen && optimizer == .adam {
            throw ValidationError("--solver eigen runs GD only: Adam's step is not diagonal in U's eigenbasis (use --solver gram or leave it out)")
        }
        let n = common.n ?? Self.defaultN
        guard (1...40).contains(hermiteOrder) else {
            throw ValidationError("--hermite-order must be in 1...40, got \(hermiteOrder)")
        }
        try Self.checkSizes(d: d, p: p, n: n, hermiteOrder: hermiteOrder)
        try Self.checkTime(t)
        try Self.positive("--sigma-x", sigmaX, max: 1e3)
        try Self.positive("--lr-factor", lrFactor, max: 2)
        try Self.positive("--warmup-start", warmupStart, max: 1)
        guard warmupGrowth.isFinite, warmupGrowth >= 0, warmupGrowth <= 10 else {
            throw ValidationError("--warmup-growth must be in [0, 10], got \(warmupGrowth)")
        }
        try Self.positive("--eval-per-decade", evalPerDecade, max: 1000)
        if let tauMax { try Self.positive("--tau-max", tauMax, max: 1e12) }
        if let steps = common.steps, steps > 100_000_000 {
            throw ValidationError("--steps must be at most 100000000, got \(steps)")
        }
        if let lr = common.lr, lr > 1e12 { throw ValidationError("--lr must be at most 1e12, got \(lr)") }
        if generative {
            guard n >= 2 else {
                throw ValidationError("--n must be at least 2 with --generative (mem_frac compares each sample with its two nearest training points), got \(n)")
            }
            try validateGenerative(d: d, p: p)
        } else if let rule = common.stopRule, rule != .tauMem {
            throw ValidationError(RFStopRuleNeedsSamples(rule: rule).description)
        }
        if noise == .draws {
            guard noiseDraws > 0, noiseDraws <= 1_000_000 else {
                throw ValidationError("--noise-draws must be in 1...1000000, got \(noiseDraws)")
            }
            guard testPoints > 0, testPoints <= 10_000_000 else {
                throw ValidationError("--test-points must be in 1...10000000, got \(testPoints)")
            }
            let inputs = Double(max(n, testPoints)) * Double(noiseDraws) * Double(p) * Double(d)
            if inputs > 1e13 {
                throw ValidationError("--noise draws with n=\(n), test points \(testPoints), \(noiseDraws) draws and p=\(p) is too much work (reduce --noise-draws)")
            }
        }
    }

    /// d, p, n in range and the setup's memory (U and its eigenvectors in Float64, the Hermite coefficients, the
    /// data) within half of this machine's.
    static func checkSizes(d: Int, p: Int, n: Int, hermiteOrder: Int = 10) throws {
        guard d > 0, d <= 100_000 else { throw ValidationError("--d must be in 1...100000, got \(d)") }
        guard p > 0, p <= 1_000_000 else { throw ValidationError("--p must be in 1...1000000, got \(p)") }
        guard n > 0, n <= 100_000_000 else { throw ValidationError("--n must be in 1...100000000, got \(n)") }
        // About ten p×p Float64 matrices at the peak of the setup, the n×p Hermite coefficients (one matrix per
        // order, plus the preactivations), W and its copies (p×d), and the data (n×d, train and test).
        let (dd, pp, nn) = (Double(d), Double(p), Double(n))
        let bytes = 80 * pp * pp + 8 * Double(hermiteOrder + 2) * nn * pp + 8 * 4 * pp * dd + 8 * 2 * nn * dd
        let available = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        if bytes > available / 2 {
            throw ValidationError(
                "d=\(d), p=\(p), n=\(n) needs about \(Int(bytes / 1e9)) GB, more than half of this machine's \(Int(available / 1e9)) GB")
        }
    }

    /// The generative options in range, and K eigenbases (p×p Float32) within a quarter of this machine's memory.
    func validateGenerative(d: Int, p: Int) throws {
        guard (1...200).contains(genTimes) else { throw ValidationError("--gen-times must be in 1...200, got \(genTimes)") }
        try Self.checkTime(genTMin, option: "--gen-t-min")
        try Self.checkTime(genTMax, option: "--gen-t-max")
        guard genTMax >= genTMin else {
            throw ValidationError("--gen-t-max (\(genTMax)) must be at least --gen-t-min (\(genTMin))")
        }
        guard (2...1_000_000).contains(genSamples) else {
            throw ValidationError("--gen-samples must be in 2...1000000, got \(genSamples)")
        }
        guard (2...10_000_000).contains(genReference) else {
            throw ValidationError("--gen-reference must be in 2...10000000, got \(genReference)")
        }
        try Self.positive("--gen-per-decade", genPerDecade, max: 1000)
        let bytes = Double(genTimes) * (4 * Double(p) * Double(p) + 16 * Double(d) * Double(p))
            + 4 * Double(genSamples) * Double(p)
        let available = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        if bytes > available / 4 {
            throw ValidationError(
                "--generative with \(genTimes) times at p=\(p) needs about \(Int(bytes / 1e9)) GB for the eigenbases, more than a quarter of this machine's \(Int(available / 1e9)) GB")
        }
    }

    /// A diffusion time in (0, 20]; the error names `option`.
    static func checkTime(_ t: Double, option: String = "--t") throws {
        guard t.isFinite, t > 0, t <= 20 else { throw ValidationError("\(option) must be in (0, 20], got \(t)") }
    }

    static func positive(_ name: String, _ x: Double, max: Double) throws {
        guard x.isFinite, x > 0, x <= max else { throw ValidationError("\(name) must be in (0, \(max)], got \(x)") }
    }
}

extension ReverseDiffusionSampler.Kind: ExpressibleByArgument {}
extension RFFeatureSharing: ExpressibleByArgument {}
extension RFSolver: ExpressibleByArgument {}
