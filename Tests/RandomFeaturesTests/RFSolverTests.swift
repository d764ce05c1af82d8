import NumericCore
import RandomFeatures
import RunFormat
import Testing
@testable import Training

/// The eigenbasis solver against the Gram form: the same records for every RF variant (Float32, 1e-4 relative at
/// every evaluation), the Float64 eigenbasis iteration against the closed-form trajectory (1e-10), and Adam's
/// fallback to the Gram form.
@Suite struct RFSolverTests {
    /// One in-process run: its header, metrics records and end.
    static func run(_ setting: RFSetting, _ plan: RFTrainingPlan) throws -> (header: RunHeader, metrics: [MetricsRecord], end: EndRecord) {
        let job = try RFTrainingJob(setting: setting, plan: plan, created: "2026-01-01T00:00:00Z")
        var metrics: [MetricsRecord] = []
        let context = TrainingContext(writer: nil, totalSteps: job.totalSteps) { update in
            if case .record(.metrics(let m)) = update { metrics.append(m) }
        }
        let end = try job.run(context)
        return (job.header, metrics, end)
    }

    /// Runs `plan` under both solvers and requires the same evaluations, with losses within 1e-4 relative.
    static func expectSameRecords(_ setting: RFSetting, _ plan: RFTrainingPlan, _ label: String) throws {
        var eigenPlan = plan, gramPlan = plan
        eigenPlan.solver = .eigen
        gramPlan.solver = .gram
        let eigen = try run(setting, eigenPlan), gram = try run(setting, gramPlan)
        #expect(eigen.header.config["solver"] == "eigen" && gram.header.config["solver"] == "gram", "\(label)")
        #expect(eigen.end.reason == .completed && gram.end.reason == .completed, "\(label)")
        #expect(eigen.metrics.count == gram.metrics.count && eigen.metrics.count > 2, "\(label)")
        let keys = [MetricName.trainLoss, MetricName.testLoss, MetricName.scoreError, MetricName.trainLossTheory,
                    MetricName.testLossTheory, MetricName.learningRate, MetricName.tau]
        var worst = 0.0
        for (e, g) in zip(eigen.metrics, gram.metrics) {
            #expect(e.step == g.step, "\(label)")
            for key in keys {
                #expect((e[key] == nil) == (g[key] == nil), "\(label) \(key)")
                guard let x = e[key], let y = g[key] else { continue }
                let error = abs(x - y) / max(abs(y), 1e-12)
                worst = max(worst, error)
                #expect(error <= 1e-4, "\(label) step \(e.step) \(key): eigen \(x), gram \(y)")
            }
            // L_gen = L_test − L_train is a difference: compared on the scale of the losses.
            if let x = e[MetricName.genLoss], let y = g[MetricName.genLoss], let scale = g[MetricName.testLoss] {
                #expect(abs(x - y) <= 1e-4 * abs(scale), "\(label) step \(e.step) gen_loss: eigen \(x), gram \(y)")
            }
        }
        print("\(label): \(eigen.metrics.count) evaluations, largest relative difference \(worst)")
    }

    /// Random rows standing in for a dataset (no asymptotic theory, exact average over held-out rows).
    static func rows(d: Int, n: Int, test: Int) -> RFDataSet {
        var rng = Xoshiro256(seed: 11)
        return RFDataSet(name: "rows", scaling: "none", train: Matrix(rows: n, cols: d, storage: rng.normals(n * d)),
                         test: Matrix(rows: test, cols: d, storage: rng.normals(test * d)))
    }

    enum Variant: String, CaseIterable {
        case exact, draws, datasetExact, datasetDraws, generative
    }

    @Test(arguments: Variant.allCases)
    func eigenAndGramGiveTheSameRecordsAtASmallSize(variant: Variant) throws {
        var setting = RFSetting(d: 5, p: 60, n: 12, t: 0.1, seed: 4)
        var plan = RFTrainingPlan()
        plan.evalPerDecade = 10
        switch variant {
        case .exact: break
        case .draws: setting.noise = .draws(6, testPoints: 20)
        case .datasetExact: plan.data = Self.rows(d: 5, n: 12, test: 30)
        case .datasetDraws:
            setting.noise = .draws(6, testPoints: 20)
            plan.data = Self.rows(d: 5, n: 12, test: 30)
        case .generative:
            var g = RFGenerativePlan()
            g.times = 3
            g.samples = 10
            g.referenceSize = 12
            plan.generative = g
        }
        try Self.expectSameRecords(setting, plan, variant.rawValue)
    }

    /// The default problem (d = 25, p = 1600, n = 100, t = 0.1) for its first 300 steps (the warm-up and beyond):
    /// the Gram form's d×p·p×p product a step keeps the whole default run too slow for a debug test build.
    @Test func eigenAndGramGiveTheSameRecordsAtTheDefaultSize() throws {
        var plan = RFTrainingPlan()
        plan.steps = 300
        try Self.expectSameRecords(RFSetting(d: 25, p: 1600, n: 100, t: 0.1), plan, "default size")
    }

    /// Float64 GD in the eigenbasis, with the run's learning-rate schedule, follows the closed-form trajectory's
    /// train and test losses to 1e-10 relative at every step.
    @Test func float64EigenIterationFollowsTheClosedForm() throws {
        let setting = RFSetting(d: 5, p: 60, n: 12, t: 0.1, seed: 4)
        let instance = RFInstance(setting)
        let train = RFNoiseAverage.exact(instance), test = RFNoiseAverage.population(instance)
        let basis = try RFEigenbasis(train)
        let projection = basis.project(test)
        let closed = ClosedFormTrajectory(basis: basis, trainConstant: train.noiseEnergy, test: projection,
                                          testConstant: test.noiseEnergy, delta: setting.delta)
        var descent = RFEigenDescent<Double>(basis: basis, constant: train.noiseEnergy, delta: setting.delta)
        let testLoss = RFProjectedLoss<Double>(projection, constant: test.noiseEnergy, delta: setting.delta)
        let eta = 0.9 * RFStepSchedule.stableStep(d: setting.d, p: setting.p, delta: setting.delta,
                                                  lambdaMax: basis.eigenvalues.last!)
        let schedule = RFStepSchedule(eta: eta, d: setting.d)
        var remaining = [Double](repeating: 1, count: setting.p)
        var work = Matrix<Double>(rows: setting.d, cols: setting.p)
        var tau = 0.0, worst = 0.0
        for _ in 0..<500 {
            let lr = schedule.learningRate(atTau: tau)
            descent.step(lr: lr)
            closed.advance(remaining: &remaining, lr: lr)
            tau += schedule.tauIncrement(lr: lr)
            let theory = closed.losses(weights: closed.weights(remaining: remaining,
                                                               elapsedTime: tau * Double(setting.d * setting.d)))
            let trainError = abs(descent.loss() - theory.train) / abs(theory.train)
            let testError = abs(testLoss.value(descent.b, work: &work) - theory.test) / abs(theory.test)
            worst = max(worst, trainError, testError)
        }
        #expect(worst <= 1e-10, "largest relative difference \(worst)")
        print("float64 eigen vs closed form: largest relative difference \(worst)")
    }

    /// Adam cannot use the eigenbasis: by default it runs in Gram form and the header says why; the records are
    /// those of an explicit `--solver gram` run.
    @Test func adamFallsBackToTheGramForm() throws {
        let setting = RFSetting(d: 4, p: 24, n: 6, t: 0.1, seed: 2)
        var plan = RFTrainingPlan()
        plan.optimizer = .adam
        plan.lr = 0.01
        plan.steps = 50
        let byDefault = try Self.run(setting, plan)
        #expect(byDefault.header.config["solver"] == "gram")
        #expect(byDefault.header.config["solver_rule"]?.string?.contains("Adam") == true)
        plan.solver = .gram
        let explicit = try Self.run(setting, plan)
        #expect(explicit.header.config["solver_rule"] == nil)
        #expect(byDefault.metrics.map { "\($0.values)" } == explicit.metrics.map { "\($0.values)" })
        #expect(RFSolver.resolved(.eigen, optimizer: .adam) == .gram && RFSolver.resolved(nil, optimizer: .gd) == .eigen)
    }
}
