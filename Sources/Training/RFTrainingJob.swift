import NumericCore
import RandomFeatures
import RunFiles
import RunFormat

/// Everything an RF run needs beyond the problem itself: optimizer, step sizes, stopping and evaluation.
public struct RFTrainingPlan: Sendable {
    public var optimizer: RFOptimizer.Kind = .gd
    /// nil: `RFSolver.resolved`'s default (eigen for GD, gram for Adam).
    public var solver: RFSolver?
    /// A fixed learning rate; nil: `lrFactor` × the largest stable GD step d·p/(Δ_t λ_max(U)).
    public var lr: Double?
    public var lrFactor = 0.9
    /// Warm-up (GD): the first step at `warmupStart`·η, then each step advancing τ by `warmupGrowth`·τ.
    public var warmupStart = 0.01
    public var warmupGrowth = 0.1
    /// Stop after this many steps, or when τ reaches `tauMax` (whichever is given; steps win).
    public var steps: Int?
    /// nil with no `steps`: 3 × the expected tau_mem ψ_p/(Δ_t λ_sc).
    public var tauMax: Double?
    /// Evaluations per decade of τ.
    public var evalPerDecade = 20.0
    /// Points of the Theorem 3.1 density in the spectrum record.
    public var densityPoints = 200
    /// Generative mode (nil: off): one RF score per diffusion time at the run's τ, sampled and measured.
    public var generative: RFGenerativePlan?
    /// Points from a dataset instead of x ~ N(0, σ_x² I) (nil: Gaussian data, with the paper's theory).
    public var data: RFDataSet?
    /// `--stop-when` (nil: train to `steps` / `tauMax`). `tau_mem` uses the loss-based tau_mem; `fid-min` and
    /// `window` need `generative` (its Fréchet distance, f_mem and their events).
    public var stopWhen: StopRule?

    public init() {}
}

/// Training and held-out rows of a real dataset for the RF model. The closed-form trajectory still applies
/// (it is exact for the quadratic loss of any data); the asymptotic theory (coefficients, Theorem 3.1, predicted
/// timescales) assumes Gaussian data and is recorded as not applicable.
public struct RFDataSet: Sendable {
    public var name: String
    /// How values were mapped to model space (e.g. "mean-centred").
    public var scaling: String
    /// n×d training rows.
    public var train: Matrix<Double>
    /// m×d held-out rows: the test loss is the exact noise average over them.
    public var test: Matrix<Double>

    public init(name: String, scaling: String, train: Matrix<Double>, test: Matrix<Double>) {
        self.name = name
        self.scaling = scaling
        self.train = train
        self.test = test
    }
}

/// Trains the RF score model of Paper B (docs/science.md §4) by full-batch GD (in U's eigenbasis or in Gram form,
/// `RFSolver`) or Adam (Gram form), writing a `spectrum` record, metrics on a log-spaced τ schedule, and the
/// detected tau_gen / tau_mem events.
///
/// With GD, each metrics record also carries `train_loss_theory` / `test_loss_theory`: the closed-form
/// trajectory from A(0) = 0 in the eigenbasis of U for the step sizes actually taken (mode j keeps the fraction
/// Π_k (1 − η_k α λ_j)), computed in Float64 independently of the Float32 iterates.
///
/// The setup (U, V, the eigendecomposition of U, the test quadratic form) is done in `init`, so the header can
/// carry the resolved learning rate and the run length.
public final class RFTrainingJob: TrainingJob {
    public let header: RunHeader
    public let totalSteps: Int?
    public let setting: RFSetting
    public let plan: RFTrainingPlan
    /// The resolved GD learning rate η and the τ the run stops at (nil when stopping by steps).
    public let eta: Double
    public let tauMax: Double?

    /// The solver the run uses (`RFSolver.resolved` of the plan's).
    public let solver: RFSolver
    /// A (or B = A Q) under the solver, with the test and (draws mode) population losses.
    var readout: RFReadout
    private let closedForm: ClosedFormTrajectory
    private let spectrum: RFSpectrumReport
    private let schedule: RFStepSchedule
    var step = 0
    /// τ = Σ η_k/d² reached so far.
    var tau = 0.0
    /// Per eigenmode of U, the fraction Π_k (1 − η_k α λ_j) of its distance to the optimum that GD has left.
    var remaining: [Double]
    /// The evaluated series and the detections announced so far.
    var log = EvaluationLog()
    var evaluation: LogEvaluationSchedule
    /// Set by `restore`: `run` continues from the restored step instead of starting with the spectrum and τ = 0.
    var resumed = false
    let generative: RFGenerativeEvaluator?
    /// The `--stop-when` rule at work (nil: none).
    let stopper: EarlyStopper?

    public init(setting: RFSetting, plan: RFTrainingPlan, created: String) throws {
        self.setting = setting
        self.plan = plan
        let instance = plan.data.map { RFInstance(setting: setting, w: RFInstance.features(setting), x: $0.train) }
            ?? RFInstance(setting)
        let train: RFGram, test: RFGram
        var population: RFGram?
        switch (setting.noise, plan.data) {
        case (.exact, nil):
            train = RFNoiseAverage.exact(instance)
            test = RFNoiseAverage.population(instance)
        case (.exact, let data?):
            // No population form for real data: the exact noise average over the held-out rows.
            var heldOut = setting
            heldOut.n = data.test.rows
            train = RFNoiseAverage.exact(instance)
            test = RFNoiseAverage.exact(RFInstance(setting: heldOut, w: instance.w, x: data.test))
        case (.draws(let draws, let testPoints), let data):
            var trainNoise = Xoshiro256(seed: setting.seed, stream: RFInstance.Stream.trainNoise.rawValue)
            train = RFNoiseAverage.draws(setting, w: instance.w, x: instance.x, draws: draws, rng: &trainNoise)
            var testData = Xoshiro256(seed: setting.seed, stream: RFInstance.Stream.testData.rawValue)
            let xTest = data?.test ?? Matrix<Double>(rows: testPoints, cols: setting.d,
                                                     storage: testData.normals(testPoints * setting.d, std: setting.sigmaX))
            var testNoise = Xoshiro256(seed: setting.seed, stream: RFInstance.Stream.testNoise.rawValue)
            test = RFNoiseAverage.draws(setting, w: instance.w, x: xTest, draws: draws, rng: &testNoise)
            if data == nil { population = RFNoiseAverage.population(instance) }
        }
        let basis = try RFEigenbasis(train)
        let testProjection = basis.project(test)
        closedForm = ClosedFormTrajectory(basis: basis, trainConstant: train.noiseEnergy, test: testProjection,
                                          testConstant: test.noiseEnergy, delta: setting.delta)
        spectrum = RFSpectrumReport(setting: setting, eigenvalues: closedForm.eigenvalues, gridCount: plan.densityPoints)
        let lambdaMax = closedForm.eigenvalues.last ?? 1
        let stable = RFStepSchedule.stableStep(d: setting.d, p: setting.p, delta: setting.delta, lambdaMax: lambdaMax)
        eta = plan.lr ?? plan.lrFactor * stable
        let warmupGrowth = plan.optimizer == .gd ? plan.warmupGrowth : 0
        schedule = RFStepSchedule(eta: eta, d: setting.d, warmupStart: plan.warmupStart, warmupGrowth: warmupGrowth)
        solver = RFSolver.resolved(plan.solver, optimizer: plan.optimizer)
        readout = RFReadout(solver: solver, optimizer: plan.optimizer, train: train, test: test, population: population,
                            basis: basis, testProjection: testProjection, delta: setting.delta)
        remaining = [Double](repeating: 1, count: setting.p)
        evaluation = LogEvaluationSchedule(perDecade: plan.evalPerDecade)
        if let g = plan.generative {
            var reference = Xoshiro256(seed: setting.seed, stream: RFInstance.Stream.generativeReference.rawValue)
            let heldOut = plan.data.map { $0.test.rows(0..<min($0.test.rows, g.referenceSize)) }
                ?? Matrix<Double>(rows: g.referenceSize, cols: setting.d,
                                  storage: reference.normals(g.referenceSize * setting.d, std: setting.sigmaX))
            generative = try RFGenerativeEvaluator(setting: setting, x: instance.x, heldOut: heldOut, plan: g,
                                                   clock: RunWriter.monotonicSeconds)
        } else {
            generative = nil
        }
        if let rule = plan.stopWhen {
            guard generative != nil || rule == .tauMem else {
                throw RFStopRuleNeedsSamples(rule: rule)
            }
            stopper = EarlyStopper(rule: rule, generalization: .fid, memorization: .standard)
        } else {
            stopper = nil
        }

        if let steps = plan.steps {
            tauMax = nil
            totalSteps = steps
        } else {
            let expected = plan.data == nil ? spectrum.timescales.tauMemSmallCluster
                : RFTrainingJob.empiricalTauMem(eigenvalues: closedForm.eigenvalues, setting: setting)
            let target = plan.tauMax ?? 3 * expected
            // Every step advances τ by at most the full step's increment, so this many steps is a lower bound.
            let fewest = target / schedule.tauIncrement(lr: eta)
            guard fewest <= Double(Self.maxSteps) else { throw RFRunTooLong(tau: target, steps: fewest) }
            tauMax = target
            totalSteps = RFTrainingJob.stepsToReach(target, schedule: schedule)
        }

        var resolved = RFSettings.Resolved(eta: eta, tauMax: tauMax, lambdaMax: lambdaMax, solver: solver)
        generative?.resolve(into: &resolved)
        let config = RFSettings(setting: setting, plan: plan).headerConfig(resolved)
        header = RunHeader(created: created, model: "rf", config: config)
    }

    /// The most steps a run may take (as `--steps` allows).
    public static let maxSteps = 100_000_000

    /// The τ at which memorization shows in the losses for data without a theory, read off U's own spectrum:
    /// ψ_p/(Δ_t λ) at the (n + 2d)-th largest eigenvalue (below the d eigenvalues of ρ₂ and the n of ρ₁ lies the
    /// cluster of about d that drives the late rise of the test loss), or at the smallest one when n + 2d > p.
    static func empiricalTauMem(eigenvalues: [Double], setting: RFSetting) -> Double {
        let descending = eigenvalues.sorted(by: >)
        let index = min(setting.n + 2 * setting.d, descending.count) - 1
        let lambda = max(descending[max(index, 0)], 1e-12)
        return setting.psiP / (setting.delta * lambda)
    }

    /// Steps the schedule needs for τ to reach `tau`.
    static func stepsToReach(_ tau: Double, schedule: RFStepSchedule) -> Int {
        var t = 0.0, k = 0
        while t < tau {
            t += schedule.tauIncrement(lr: schedule.learningRate(atTau: t))
            k += 1
        }
        return k
    }

    /// The current readout A (d×p).
    public var parameters: Matrix<Float> { readout.parameters }

    public func saveCheckpoint(to path: String) throws {
        try RFCheckpoint.save(readout.parameters, to: path)
    }

    public func run(_ context: TrainingContext) throws -> EndRecord {
        var work = Matrix<Float>(rows: setting.d, cols: setting.p)
        if !resumed {
            try context.emit(.other(type: "spectrum", fields: spectrumFields()))
            _ = evaluation.isDue(tau: 0)
            if let end = try evaluate(lr: 0, last: false, context: context, work: &work) { return end }
        }
        while true {
            if let steps = plan.steps, step >= steps { break }
            if let tauMax, tau >= tauMax { break }
            if context.shouldStop {
                try context.saveState(captureState())
                try emitDetections(context: context, final: true)
                return EndRecord(step: step, reason: .interrupted, extra: generativeCost())
            }
            try context.waitWhilePaused { try mark($0, context: context) }
            let lr = plan.optimizer == .gd ? schedule.learningRate(atTau: tau) : eta
            readout.step(lr: lr)
            if plan.optimizer == .gd { closedForm.advance(remaining: &remaining, lr: lr) }
            step += 1
            tau += schedule.tauIncrement(lr: lr)
            let last = plan.steps.map { step >= $0 } ?? (tau >= tauMax!)
            // A non-finite parameter is caught at the step it appears: evaluate now, which ends the run as diverged.
            let blewUp = !readout.isFinite
            if evaluation.isDue(tau: tau) || last || blewUp {
                if let end = try evaluate(lr: lr, last: last, context: context, work: &work) { return end }
            }
            try context.progress(step: step)
            if context.checkpointIsDue { try context.saveState(captureState()) }
        }
        try emitDetections(context: context, final: true)
        stopper?.discard(run: context.runPath)
        return EndRecord(step: step, reason: .completed, extra: generativeCost())
    }

    /// Where the generative mode's time went (seconds): building the score family, and sampling plus measuring.
    private func generativeCost() -> JSONObject {
        guard let generative else { return JSONObject() }
        return ["gen_setup_s": .number(generative.setupSeconds), "gen_eval_s": .number(generative.evaluationSeconds),
                "gen_evaluations": .number(Double(generative.evaluations))]
    }

    /// The logged series and what has been announced from it.
    struct EvaluationLog {
        var tau: [Double] = []
        var steps: [Int] = []
        var train: [Double] = []
        var test: [Double] = []
        var announced: [String: RFTimescaleDetectors.Detection] = [:]
    }

    /// Writes one metrics record; returns an end record if the losses diverged.
    /// With generative mode on, records on its schedule (and the `last` one) also carry the samples' mem_frac
    /// (with its 95% bootstrap interval) and FID, followed by a `samples` record.
    private func evaluate(lr: Double, last: Bool, context: TrainingContext, work: inout Matrix<Float>) throws -> EndRecord? {
        let (train, test, population) = readout.losses(work: &work)
        let gamma2 = setting.decay * setting.decay * setting.sigmaX * setting.sigmaX + setting.delta
        // Δ_t·E‖s_A − ∇log p_t‖²/d = L_pop − 1 + Δ_t/Γ_t² (the DSM identity for Gaussian data).
        let scoreError = (population - 1) / setting.delta + 1 / gamma2
        var values: [(String, Double?)] = [(MetricName.tau, tau), (MetricName.trainLoss, train), (MetricName.testLoss, test),
                                            (MetricName.genLoss, test - train)]
        if plan.data == nil { values.append((MetricName.scoreError, scoreError)) }
        if plan.optimizer == .gd {
            let weights = closedForm.weights(remaining: remaining, elapsedTime: tau * Double(setting.d * setting.d))
            let theory = closedForm.losses(weights: weights)
            values.append((MetricName.trainLossTheory, theory.train))
            values.append((MetricName.testLossTheory, theory.test))
        }
        values.append((MetricName.learningRate, lr))
        values.append((MetricName.gradNorm, readout.gradientNorm(work: &work)))
        var extra = JSONObject()
        var samples: JSONObject?
        var sampled = false
        if let generative, generative.isDue(tau: tau) || last {
            sampled = true
            let measured = try generative.evaluate(step: step, tau: tau, clock: RunWriter.monotonicSeconds)
            values += measured.values
            extra = measured.extra
            samples = measured.samples
        }
        try context.emit(.metrics(MetricsRecord(step: step, timeSeconds: context.elapsedSeconds, values: values,
                                                extra: extra)))
        if let samples { try context.emit(.other(type: "samples", fields: samples)) }
        guard train.isFinite, test.isFinite, abs(train) < 1e6 else {
            try context.emit(.event(EventRecord(kind: EventKind.diverged, step: step, fields: ["tau": .number(tau)])))
            stopper?.discard(run: context.runPath)
            return EndRecord(step: step, reason: .diverged)
        }
        log.tau.append(tau)
        log.steps.append(step)
        log.train.append(train)
        log.test.append(test)
        try emitDetections(context: context, final: false)
        return try stopEarly(sampled: sampled, context: context)
    }

    /// After an evaluation: the `early_stop` end when the `--stop-when` rule is met (final events first), with
    /// its checkpoint; nil to go on. `tau_mem` is checked at every evaluation, the sample-based rules only at those
    /// that sampled.
    private func stopEarly(sampled: Bool, context: TrainingContext) throws -> EndRecord? {
        guard let stopper, sampled || stopper.rule == .tauMem else { return nil }
        let fid = generative?.fid ?? [], mem = generative?.memorization ?? []
        let outcome = try stopper.afterEvaluation(step: step, fid: fid, mem: mem, tauMemConfirmed: lossTauMemConfirmed,
                                                  run: context.runPath) { try saveCheckpoint(to: $0) }
        guard let outcome else { return nil }
        try emitDetections(context: context, final: true)
        var extra = generativeCost()
        extra["tau"] = .number(tau)
        return try stopper.end(outcome, step: step, fid: fid, run: context.runPath, extra: extra) { try saveCheckpoint(to: $0) }
    }

    /// Whether the loss-based tau_mem is confirmed: the rule that announces it live (settled, and the run has
    /// reached 3× its τ), so that `--stop-when tau_mem` never stops at the early bump a settled rule ignores.
    private var lossTauMemConfirmed: Bool {
        guard let detection = RFTimescaleDetectors.tauMem(tau: log.tau, train: log.train, test: log.test) else { return false }
        return RFTimescaleDetectors.announcesLive(detection, now: log.tau.last ?? 0)
    }

    /// Emits tau_gen / tau_mem. During the run a detection is announced when it is settled (for tau_mem: L_gen's
    /// growth rate has come down to half its peak) and the run has reached 3× its τ, and it differs from the last
    /// announcement; it still says
    /// `provisional: true`, since later points may move it. At the end the final values are announced with
    /// `provisional` true only if they are still unsettled. The last event of each kind is the run's answer.
    ///
    /// These loss-based events carry `"basis": "loss"`. With generative mode on, the sample-based detections
    /// (FID plateau, f_mem onset: Metrics' `TimescaleDetector`) are emitted first, with `"basis": "samples"`, so
    /// the two can disagree without overwriting each other and the last event of a kind stays the loss-based one.
    private func emitDetections(context: TrainingContext, final: Bool) throws {
        if let generative {
            for event in generative.events(state: final ? .finished : .live) { try context.emit(.event(event)) }
        }
        let found: [(String, RFTimescaleDetectors.Detection?)] = [
            (EventKind.tauGen, RFTimescaleDetectors.tauGen(tau: log.tau, test: log.test)),
            (EventKind.tauMem, RFTimescaleDetectors.tauMem(tau: log.tau, train: log.train, test: log.test)),
        ]
        let now = log.tau.last ?? 0
        try emitTestLossRise(context: context)
        for (kind, found) in found {
            guard var detection = found else { continue }
            let passed = !detection.provisional && now >= 3 * detection.tau
            let announceLive = RFTimescaleDetectors.announcesLive(detection, now: now)
            detection.provisional = !(final && passed)
            let previous = log.announced[kind]
            let changed = previous.map { abs($0.tau - detection.tau) > 1e-9 * detection.tau || $0.provisional != detection.provisional } ?? true
            guard changed && (final || announceLive) else { continue }
            log.announced[kind] = detection
            var fields = JSONObject()
            fields["basis"] = "loss"
            fields["tau"] = .number(detection.tau)
            fields["provisional"] = .bool(detection.provisional)
            if plan.data == nil {  // the asymptotic theory holds for Gaussian data only
                if kind == EventKind.tauMem {
                    fields["tau_mem_theory"] = .number(spectrum.timescales.tauMem)
                    fields["tau_mem_small_cluster"] = .number(spectrum.timescales.tauMemSmallCluster)
                } else {
                    fields["tau_gen_theory"] = .number(spectrum.timescales.tauGen)
                }
            }
            try context.emit(.event(EventRecord(kind: kind, step: log.steps[detection.index], fields: fields)))
        }
    }

    /// The `test_loss_rise` warning, once per run: the first evaluation at which the test loss stands 10% above
    /// its running minimum. It says the test loss is climbing; tau_mem itself is announced only once located.
    private func emitTestLossRise(context: TrainingContext) throws {
        let kind = EventKind.testLossRise
        guard log.announced[kind] == nil, let i = RFTimescaleDetectors.testLossRise(test: log.test) else { return }
        log.announced[kind] = RFTimescaleDetectors.Detection(tau: log.tau[i], index: i, provisional: false)
        let fields: JSONObject = ["basis": "loss", "tau": .number(log.tau[i]), "rise": .number(RFTimescaleDetectors.warningRise),
                                  "test_loss": .number(log.test[i]), "provisional": false]
        try context.emit(.event(EventRecord(kind: kind, step: log.steps[i], fields: fields)))
    }

    private func mark(_ label: String, context: TrainingContext) throws {
        var checkpoint: String?
        if let run = context.runPath {
            let path = TrainingRunner.checkpointPath(forRun: run, step: step)
            try saveCheckpoint(to: path)
            checkpoint = path.split(separator: "/").last.map(String.init)
        }
        try context.emit(.mark(MarkRecord(step: step, label: label, checkpoint: checkpoint)))
    }

    private func spectrumFields() -> JSONObject {
        guard plan.data == nil else {
            return ["step": 0, "eigenvalues": .array(spectrum.eigenvalues.map { .number($0) }), "theory_applies": false]
        }
        var fields = RFSpectrumJSON.object(spectrum)
        fields["step"] = 0
        fields["theory_applies"] = true
        let lo = spectrum.timescales.rho1Edges.lo, hi = spectrum.timescales.rho1Edges.hi
        fields["timescales"] = .object([
            "rho1": .array([.number(spectrum.timescale(of: hi)), .number(spectrum.timescale(of: lo))]),
            "rho2": .number(spectrum.timescale(of: spectrum.eigenvalues.last ?? 1)),
            "small_cluster": .number(spectrum.timescales.tauMemSmallCluster),
        ])
        return fields
    }
}

/// The JSON form of a spectrum report, shared by the `spectrum` record and `genwindow spectrum --json`.
public enum RFSpectrumJSON {
    public static func object(_ r: RFSpectrumReport) -> JSONObject {
        let c = r.coefficients
        var o = JSONObject()
        o["eigenvalues"] = .array(r.eigenvalues.map { .number($0) })
        o["rho1_edges"] = .array([.number(r.timescales.rho1Edges.lo), .number(r.timescales.rho1Edges.hi)])
        o["tau_mem"] = .number(r.timescales.tauMem)
        o["tau_gen"] = .number(r.timescales.tauGen)
        o["lambda_sc"] = .number(r.timescales.lambdaSmallCluster)
        o["tau_mem_sc"] = .number(r.timescales.tauMemSmallCluster)
        o["atom"] = .object(["lambda": .number(r.timescales.atom.lambda), "mass": .number(r.timescales.atom.mass)])
        o["rho1_mass"] = .number(r.timescales.rho1Mass)
        o["rho2_mass"] = .number(r.timescales.rho2Mass)
        o["coefficients"] = .object([
            "a_t": .number(c.a), "b_t": .number(c.b), "v_t2": .number(c.v2), "s_t2": .number(c.s2),
            "mu1": .number(c.mu1), "sigma_norm2": .number(c.sigmaNorm2),
        ])
        o["density"] = .object([
            "lambda": .array(r.densityLambda.map { .number($0) }),
            "rho": .array(r.densityRho.map { $0.isFinite ? .number($0) : .null }),
        ])
        return o
    }
}

/// A τ target that needs more than `RFTrainingJob.maxSteps` steps at the run's learning rate.
public struct RFRunTooLong: Error, CustomStringConvertible {
    public let tau: Double
    public let steps: Double
    public var description: String {
        "reaching τ = \(tau) needs at least \(Int(steps.rounded(.up))) steps, more than \(RFTrainingJob.maxSteps) (lower --tau-max or raise --lr)"
    }
}

/// `--stop-when fid-min` or `window` on an RF run without `--generative`: the RF model measures FID and f_mem
/// only on samples.
public struct RFStopRuleNeedsSamples: Error, CustomStringConvertible {
    public let rule: StopRule
    public init(rule: StopRule) { self.rule = rule }
    public var description: String {
        "--stop-when \(rule.name) needs --generative: the rf model measures FID and f_mem only on samples"
    }
}
