import NumericCore
import RandomFeatures
import RunFormat

/// Saving and taking back an RF run's state: A (and, for the eigenbasis solver, B = A Q, which it continues
/// from exactly), Adam's moments and step count, the closed-form GD trajectory's
/// per-mode remainders, τ, the evaluated series and the detections announced so far. The evaluation schedule is
/// rebuilt by replaying the logged τ values (it advances only when an evaluation is due, so the replay leaves it
/// exactly where it was). Generative runs add their evaluator's state (`RFGenerativeEvaluator.captureState`).
extension RFTrainingJob: ResumableTrainingJob {
    public func captureState() -> TrainingState {
        let moments = readout.moments
        var announced = JSONObject()
        for (kind, d) in log.announced.sorted(by: { $0.key < $1.key }) {
            announced[kind] = .object(["tau": .number(d.tau), "index": .number(Double(d.index)),
                                       "provisional": .bool(d.provisional)])
        }
        let meta: JSONObject = [
            "model": "rf", "d": .number(Double(setting.d)), "p": .number(Double(setting.p)),
            "optimizer": .string(plan.optimizer.rawValue), "solver": .string(solver.rawValue),
            "step": .number(Double(step)), "tau": .number(tau),
            "optimizer_steps": .number(Double(readout.steps)), "announced": .object(announced),
        ]
        var state = TrainingState(meta: meta, arrays: [
            ("a", NpyArray(readout.parameters)),
            ("m1", NpyArray(moments.first)),
            ("m2", NpyArray(moments.second)),
            ("remaining", NpyArray(shape: [remaining.count], values: .float64(remaining))),
            ("log_tau", NpyArray(shape: [log.tau.count], values: .float64(log.tau))),
            ("log_steps", NpyArray(shape: [log.steps.count], values: .int64(log.steps.map { Int64($0) }))),
            ("log_train", NpyArray(shape: [log.train.count], values: .float64(log.train))),
            ("log_test", NpyArray(shape: [log.test.count], values: .float64(log.test))),
        ])
        if let eigen = readout.eigen { state.arrays.append(("b", NpyArray(eigen.b))) }
        if let generative {
            let saved = generative.captureState()
            for (key, value) in saved.meta { state.meta[key] = value }
            state.arrays += saved.arrays
        }
        return state
    }

    public func restore(_ state: TrainingState) throws {
        guard state.meta["model"]?.string == "rf", state.meta["d"]?.int == setting.d, state.meta["p"]?.int == setting.p,
              state.meta["optimizer"]?.string == plan.optimizer.rawValue,
              (state.meta["solver"]?.string ?? RFSolver.gram.rawValue) == solver.rawValue else {
            throw TrainingStateError("the state is not of this run (model, d, p, optimizer or solver differ)")
        }
        let d = setting.d, p = setting.p
        let a = try Self.floats(state.array("a"), rows: d, cols: p, name: "a")
        let momentRows = plan.optimizer == .adam ? d : 0, momentCols = plan.optimizer == .adam ? p : 0
        let b = solver == .eigen ? try Self.floats(state.array("b"), rows: d, cols: p, name: "b") : nil
        let m1 = try Self.floats(state.array("m1"), rows: momentRows, cols: momentCols, name: "m1")
        let m2 = try Self.floats(state.array("m2"), rows: momentRows, cols: momentCols, name: "m2")
        let remaining = try Self.doubles(state.array("remaining"), count: p, name: "remaining")
        let logTau = try Self.doubles(state.array("log_tau"), count: nil, name: "log_tau")
        let n = logTau.count
        guard case .int64(let logSteps) = try state.array("log_steps").values, logSteps.count == n else {
            throw TrainingStateError("log_steps must be \(n) int64 values")
        }
        let logTrain = try Self.doubles(state.array("log_train"), count: n, name: "log_train")
        let logTest = try Self.doubles(state.array("log_test"), count: n, name: "log_test")
        let step = Int(try state.number("step")), tau = try state.number("tau")
        let optimizerSteps = Int(try state.number("optimizer_steps"))
        guard step >= 0, optimizerSteps == step, tau >= 0, n > 0, logTau[0] == 0,
              logSteps.allSatisfy({ $0 >= 0 && $0 <= Int64(step) }) else {
            throw TrainingStateError("inconsistent counters (step \(step), optimizer steps \(optimizerSteps), τ \(tau))")
        }
        var announced: [String: RFTimescaleDetectors.Detection] = [:]
        for (kind, value) in state.meta["announced"]?.object ?? JSONObject() {
            guard let o = value.object, let t = o["tau"]?.double, let i = o["index"]?.int, i >= 0, i < n,
                  let provisional = o["provisional"]?.bool else {
                throw TrainingStateError("malformed announced detection '\(kind)'")
            }
            announced[kind] = RFTimescaleDetectors.Detection(tau: t, index: i, provisional: provisional)
        }
        var schedule = LogEvaluationSchedule(perDecade: plan.evalPerDecade)
        for t in logTau { _ = schedule.isDue(tau: t) }

        try generative?.restore(state, step: step, evaluatedTau: logTau)
        readout.restore(a: a, b: b, first: m1, second: m2, steps: optimizerSteps)
        self.step = step
        self.tau = tau
        self.remaining = remaining
        log = EvaluationLog(tau: logTau, steps: logSteps.map { Int($0) }, train: logTrain, test: logTest,
                            announced: announced)
        evaluation = schedule
        resumed = true
        stopper?.resume()
    }

    private static func floats(_ array: NpyArray, rows: Int, cols: Int, name: String) throws -> Matrix<Float> {
        guard case .float32(let v) = array.values, array.shape == [rows, cols] else {
            throw TrainingStateError("\(name) must be a \(rows)×\(cols) float32 array, got shape \(array.shape)")
        }
        return Matrix(rows: rows, cols: cols, storage: v)
    }

    private static func doubles(_ array: NpyArray, count: Int?, name: String) throws -> [Double] {
        guard case .float64(let v) = array.values, array.shape.count == 1, count.map({ $0 == v.count }) ?? true else {
            throw TrainingStateError("\(name) must be \(count.map(String.init) ?? "a list of") float64 values")
        }
        return v
    }
}
