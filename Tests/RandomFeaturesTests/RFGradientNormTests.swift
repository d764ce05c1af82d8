import NumericCore
import RandomFeatures
import RunFormat
import Testing
@testable import Training

/// The RF job's `grad_norm`: the Frobenius norm of ∇L(A) = α·A U + β·Vᵀ at the evaluated A, checked against that
/// formula computed with plain Float64 loops (at A = 0 and at the final A), under both solvers.
@Suite struct RFGradientNormTests {
    /// ‖α·A U + β·Vᵀ‖ in Float64, element by element.
    static func naiveGradientNorm(_ loss: RFQuadraticLoss, _ a: Matrix<Float>) -> Double {
        let (d, p) = (loss.d, loss.p)
        var sum = 0.0
        for i in 0..<d {
            for j in 0..<p {
                var au = 0.0
                for k in 0..<p { au += Double(a[i, k]) * Double(loss.u[k, j]) }
                let g = Double(loss.alpha) * au + Double(loss.beta) * Double(loss.vt[i, j])
                sum += g * g
            }
        }
        return sum.squareRoot()
    }

    @Test(arguments: RFSolver.allCases)
    func gradNormIsTheNormOfTheLossGradientAtTheEvaluatedReadout(solver: RFSolver) throws {
        var plan = RFTrainingPlan()
        plan.steps = 30
        plan.solver = solver
        let setting = RFSetting(d: 4, p: 20, n: 6, t: 0.1, seed: 2)
        let job = try RFTrainingJob(setting: setting, plan: plan, created: "2026-01-01T00:00:00Z")
        var records: [MetricsRecord] = []
        let context = TrainingContext(writer: nil, totalSteps: job.totalSteps) { update in
            if case .record(.metrics(let m)) = update { records.append(m) }
        }
        let end = try job.run(context)
        #expect(end.reason == .completed)
        let first = try #require(records.first), last = try #require(records.last)
        #expect(first.step == 0 && last.step == end.step)
        let loss = RFQuadraticLoss(RFNoiseAverage.exact(RFInstance(setting)), delta: setting.delta)
        let zero = Matrix<Float>(rows: loss.d, cols: loss.p)
        for (record, a) in [(first, zero), (last, job.parameters)] {
            let recorded = try #require(record[MetricName.gradNorm])
            let reference = Self.naiveGradientNorm(loss, a)
            #expect(abs(recorded - reference) <= 1e-4 * reference, "step \(record.step): \(recorded) vs \(reference)")
        }
        #expect(records.allSatisfy { $0[MetricName.gradNorm] != nil })
    }
}
