import Metrics
import NumericCore
import RandomFeatures
import RunFormat

/// Saving and taking back the generative side of an RF run: the FID / f_mem series its detectors have seen,
/// the τ of each evaluated step, the events announced, and its cost counters. The sampler starts from the same
/// seed at every evaluation and the score family is rebuilt from the header, so neither has state to save;
/// the generative schedule is rebuilt by replaying the run's evaluated τ (it advances only when due).
extension RFGenerativeEvaluator {
    static let prefix = "gen_"

    func captureState() -> (meta: JSONObject, arrays: [(name: String, array: NpyArray)]) {
        var events = JSONObject()
        for (kind, event) in announced.sorted(by: { $0.key < $1.key }) {
            events[kind] = .object(RunCodec.jsonObject(.event(event)))
        }
        let taus = tauOfStep.sorted { $0.key < $1.key }
        let meta: JSONObject = ["gen_announced": .object(events), "gen_evaluations": .number(Double(evaluations)),
                                "gen_eval_s": .number(evaluationSeconds)]
        let arrays = EvaluationSeriesState.entries(prefix: Self.prefix, fid: fid, memorization: memorization)
            + [TrainingState.entry("gen_tau_steps", taus.map(\.key)), TrainingState.entry("gen_taus", taus.map(\.value))]
        return (meta, arrays)
    }

    /// `evaluatedTau`: the τ of every evaluation the run has logged, in order.
    func restore(_ state: TrainingState, step: Int, evaluatedTau: [Double]) throws {
        let series = try EvaluationSeriesState.restore(prefix: Self.prefix, from: state, maxStep: step)
        let tauSteps = try state.integers("gen_tau_steps")
        let taus = try state.doubles("gen_taus", count: tauSteps.count)
        guard tauSteps.allSatisfy({ $0 >= 0 && $0 <= Int64(step) }) else {
            throw TrainingStateError("generative evaluation steps outside 0…\(step)")
        }
        var events: [String: EventRecord] = [:]
        for (kind, value) in state.meta["gen_announced"]?.object ?? JSONObject() {
            guard let o = value.object, case .event(let event)? = try? RunCodec.decode(o), event.kind == kind else {
                throw TrainingStateError("malformed generative event '\(kind)'")
            }
            events[kind] = event
        }
        let evaluations = try state.integer("gen_evaluations")
        guard let seconds = state.meta["gen_eval_s"]?.double, seconds.isFinite, seconds >= 0 else {
            throw TrainingStateError("no number 'gen_eval_s'")
        }
        var replayed = LogEvaluationSchedule(perDecade: plan.perDecade)
        for t in evaluatedTau { _ = replayed.isDue(tau: t) }
        fid = series.fid
        memorization = series.memorization
        tauOfStep = Dictionary(zip(tauSteps.map { Int($0) }, taus), uniquingKeysWith: { $1 })
        announced = events
        self.evaluations = evaluations
        evaluationSeconds = seconds
        schedule = replayed
    }
}
