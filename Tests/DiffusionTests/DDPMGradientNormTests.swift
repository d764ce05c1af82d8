import Diffusion
import NumericCore
import RunFormat
import Testing
@testable import Training

/// The DDPM job's `grad_norm`: at every evaluation after step 0, the global norm of the last step's gradient
/// (before clipping), checked at the final evaluation against a plain sequential Float64 sum over the trainer's
/// gradient buffer, which Adam leaves as the step computed it.
@Suite struct DDPMGradientNormTests {
    @Test func gradNormIsTheLastStepsGlobalGradientNorm() throws {
        let settings = DDPMSettings(data: .gaussian(dimension: 2), n: 8, testCount: 16, steps: 30, width: 8, depth: 1,
                                    timeEmbedding: 4, batch: 4, evalSamples: 8, evalsPerDecade: 4,
                                    bootstrapResamples: 10, lossDraws: 1)
        let job = try DDPMJob(settings: settings, created: "2026-01-01T00:00:00Z")
        var records: [MetricsRecord] = []
        let context = TrainingContext(writer: nil, totalSteps: job.totalSteps) { update in
            if case .record(.metrics(let m)) = update { records.append(m) }
        }
        let end = try job.run(context)
        #expect(end.reason == .completed && end.step == 30)
        #expect(records.first?.step == 0 && records.first?[MetricName.gradNorm] == nil)
        #expect(records.dropFirst().allSatisfy { ($0[MetricName.gradNorm] ?? 0) > 0 })
        let last = try #require(records.last)
        #expect(last.step == 30)
        let reference = job.trainer.gradients.array.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let recorded = try #require(last[MetricName.gradNorm])
        #expect(abs(recorded - reference) <= 1e-12 * reference, "\(recorded) vs \(reference)")
    }
}
