import NumericCore
import RandomFeatures
import RunFormat

/// Every setting of an RF run that its header records: the problem (`RFSetting`) and the plan (optimizer, step
/// sizes, stopping, evaluation, generative mode). `headerConfig` writes them with what the job resolved at setup;
/// `init(header:)` reads them back for resuming, like `DDPMSettings`.
public struct RFSettings: Sendable {
    public var setting: RFSetting
    /// `plan.data`'s rows are not in the header, only its name (`dataName`): the caller loads them again.
    public var plan: RFTrainingPlan

    public init(setting: RFSetting, plan: RFTrainingPlan) {
        self.setting = setting
        self.plan = plan
    }

    /// What the job works out at setup and records with the settings.
    public struct Resolved: Sendable, Equatable {
        /// The GD learning rate η (the fixed rate when `plan.lr` is given).
        public var eta: Double
        /// The τ the run stops at (nil when it stops by steps).
        public var tauMax: Double?
        /// λ_max(U) of the training Gram matrix.
        public var lambdaMax: Double
        /// The solver the run uses.
        public var solver: RFSolver
        /// Generative mode: the diffusion times, the FID reference size and the feature space's name.
        public var generativeTimes: [Double] = []
        public var fidReference = 0
        public var fidFeatures = ""

        public init(eta: Double, tauMax: Double?, lambdaMax: Double, solver: RFSolver) {
            self.eta = eta
            self.tauMax = tauMax
            self.lambdaMax = lambdaMax
            self.solver = solver
        }
    }

    /// The header's `config` object.
    public func headerConfig(_ resolved: Resolved) -> JSONObject {
        var config = JSONObject()
        if let data = plan.data {
            config["data"] = .string(data.name)
            config["scaling"] = .string(data.scaling)
            config["test_n"] = .number(Double(data.test.rows))
            config["theory"] = "not applicable: the asymptotic theory assumes Gaussian data (the closed-form trajectory still holds)"
        } else {
            config["data"] = "gaussian"
            config["sigma_x"] = .number(setting.sigmaX)
        }
        config["d"] = .number(Double(setting.d))
        config["p"] = .number(Double(setting.p))
        config["n"] = .number(Double(setting.n))
        config["t"] = .number(setting.t)
        config["noise"] = .string(setting.noise.name)
        if case .draws(let draws, let testPoints) = setting.noise {
            config["noise_draws"] = .number(Double(draws))
            config["test_points"] = .number(Double(testPoints))
        }
        config["hermite_order"] = .number(Double(setting.hermiteOrder))
        config["quadrature_nodes"] = .number(Double(setting.quadratureNodes))
        config["seed"] = .number(Double(setting.seed))
        config["optimizer"] = .string(plan.optimizer.rawValue)
        config["solver"] = .string(resolved.solver.rawValue)
        if resolved.solver == .gram && plan.solver == nil {
            config["solver_rule"] = "gram: Adam's step is not diagonal in U's eigenbasis (the eigen solver is GD only)"
        }
        config["lr"] = .number(resolved.eta)
        config["lr_rule"] = plan.lr == nil ? .string("\(plan.lrFactor) * d*p/(Delta_t*lambda_max(U))") : "fixed"
        if plan.optimizer == .gd {
            config["warmup_start"] = .number(plan.warmupStart)
            config["warmup_growth"] = .number(plan.warmupGrowth)
        }
        if let steps = plan.steps { config["steps"] = .number(Double(steps)) }
        if let tauMax = resolved.tauMax { config["tau_max"] = .number(tauMax) }
        config["eval_per_decade"] = .number(plan.evalPerDecade)
        config["psi_p"] = .number(setting.psiP)
        config["psi_n"] = .number(setting.psiN)
        config["delta_t"] = .number(setting.delta)
        config["lambda_max"] = .number(resolved.lambdaMax)
        if let g = plan.generative {
            config["generative"] = true
            config["gen_times"] = .array(resolved.generativeTimes.map { .number($0) })
            config["gen_t_min"] = .number(g.tMin)
            config["gen_t_max"] = .number(g.tMax)
            config["gen_reference"] = .number(Double(g.referenceSize))
            config["gen_shown"] = .number(Double(g.shown))
            config["gen_features"] = .string(g.sharing.rawValue)
            config["gen_sampler"] = .string(g.sampler.rawValue)
            config["gen_samples"] = .number(Double(g.samples))
            config["gen_per_decade"] = .number(g.perDecade)
            config["gen_readout"] = "gradient flow from A_t(0) = 0, closed form in the eigenbasis of each U_t"
            config["mem_k"] = .number(g.memorizationK)
            config["mem_bootstrap"] = .number(Double(g.bootstrapResamples))
            config["fid_features"] = .string(resolved.fidFeatures)
            config["fid_reference"] = .number(Double(resolved.fidReference))
            config["fid_samples"] = .number(Double(g.samples))
        }
        if let stopWhen = plan.stopWhen { for (key, value) in stopWhen.headerFields { config[key] = value } }
        return config
    }

    /// The dataset a header names (nil: Gaussian data), whose rows `plan.data` needs before the run can resume.
    public static func dataName(header: RunHeader) -> String? {
        header.config["data"]?.string.flatMap { $0 == "gaussian" ? nil : $0 }
    }

    /// The settings an RF run header records (`headerConfig`), with the learning rate fixed at the resolved η
    /// and no data rows (`dataName`); throws naming what is missing.
    public init(header: RunHeader) throws {
        let c = header.config
        let fields = HeaderFields(config: c)
        let number = fields.number, int = fields.int
        guard header.model == "rf" else { throw TrainingStateError("not an rf run (model '\(header.model)')") }
        let seed = try number("seed")
        guard seed >= 0, seed < 9.0e15, seed == seed.rounded() else {
            throw TrainingStateError("the header's seed \(seed) is not an exact integer")
        }
        let noise: RFNoiseMode
        switch c["noise"]?.string {
        case "exact": noise = .exact
        case "draws": noise = .draws(try int("noise_draws"), testPoints: try int("test_points"))
        default: throw TrainingStateError("the header's noise is neither exact nor draws")
        }
        // σ_x shapes Gaussian data only; a dataset run's header leaves it out.
        let isGaussian = c["data"]?.string == "gaussian"
        setting = RFSetting(d: try int("d"), p: try int("p"), n: try int("n"), t: try number("t"),
                            sigmaX: isGaussian ? try number("sigma_x") : 1, noise: noise,
                            hermiteOrder: try int("hermite_order"), quadratureNodes: try int("quadrature_nodes"),
                            seed: UInt64(seed))
        plan = RFTrainingPlan()
        if c["generative"]?.bool == true {
            var g = RFGenerativePlan()
            guard let times = c["gen_times"]?.array?.count, times > 0 else {
                throw TrainingStateError("the header lacks 'gen_times'")
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
                throw TrainingStateError("the header's gen_features or gen_sampler is unknown")
            }
            g.sharing = sharing
            g.sampler = sampler
            plan.generative = g
        }
        guard let optimizer = c["optimizer"]?.string.flatMap(RFOptimizer.Kind.init(rawValue:)) else {
            throw TrainingStateError("the header's optimizer is not gd or adam")
        }
        plan.optimizer = optimizer
        // Runs recorded before the eigenbasis solver existed trained in Gram form; a `solver_rule` says the
        // solver was the default's fallback, which resolves the same way again.
        guard let solver = RFSolver(rawValue: c["solver"]?.string ?? "gram") else {
            throw TrainingStateError("the header's solver is not eigen or gram")
        }
        plan.solver = c["solver_rule"] == nil ? solver : nil
        plan.lr = try number("lr")
        if optimizer == .gd {
            plan.warmupStart = try number("warmup_start")
            plan.warmupGrowth = try number("warmup_growth")
        }
        plan.steps = c["steps"]?.int
        plan.tauMax = c["tau_max"]?.double
        plan.evalPerDecade = try number("eval_per_decade")
        plan.stopWhen = try StopRule.from(header: c)
    }
}
