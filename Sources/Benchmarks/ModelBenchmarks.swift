import Dashboard
import NumericCore
import RandomFeatures

/// Benchmarks of the training hot paths and of the dashboard's frame rendering.
public enum ModelBenchmarks {
    /// One full-batch GD step of the RF model in Gram form: one d×p·p×p sgemm (2·d·p² flops) plus the update.
    /// The step's cost depends on d and p only (n enters through U and V, computed once). Unit: steps/s.
    public static func rfGradientStep(d: Int, p: Int, quick: Bool = false) -> BenchmarkCase {
        BenchmarkCase(name: "rf_gd_step_d\(d)_p\(p)", unit: "steps/s", workPerRepetition: 1,
                      flopsPerRepetition: 2 * Double(d) * Double(p) * Double(p), quick: quick) {
            // A positive-definite U of the right shape (WWᵀ/d + I): the step's cost depends on shapes only.
            var rng = Xoshiro256(seed: 2)
            let w = Matrix<Double>(rows: p, cols: d, storage: rng.normals(p * d))
            var u = Matrix<Double>.identity(p)
            u.syrk(w, alpha: 1 / Double(d), beta: 1)
            let gram = RFGram(u: u, v: Matrix(rows: p, cols: d, storage: rng.normals(p * d)), noiseEnergy: 1)
            let box = OptimizerBox(RFOptimizer(.gd, loss: RFQuadraticLoss(gram, delta: 0.18)))
            let lr = 0.9 * RFStepSchedule.stableStep(d: d, p: p, delta: 0.18, lambdaMax: 1 + Double(p) / Double(d) * 1.5)
            return { box.value.step(lr: lr) }
        }
    }

    /// Rendering one full dashboard frame from a state holding 1M-point series. Unit: frames/s.
    public static func renderFrame(width: Int, height: Int, points: Int = 1_000_000, quick: Bool = false) -> BenchmarkCase {
        BenchmarkCase(name: "render_frame_\(width)x\(height)", unit: "frames/s", workPerRepetition: 1, quick: quick) {
            let state = RenderBenchmark.makeState(points: points, width: width, height: height)
            return { _ = DashboardView.render(state, width: width, height: height) }
        }
    }

    public static var cases: [BenchmarkCase] {
        [
            rfGradientStep(d: 25, p: 1600, quick: true),
            rfGradientStep(d: 25, p: 6400),
            rfGradientStep(d: 100, p: 200),
            rfGradientStep(d: 100, p: 800),
            rfGradientStep(d: 100, p: 3200),
            renderFrame(width: 120, height: 36),
            renderFrame(width: 200, height: 60, quick: true),
        ]
    }
}

/// An optimizer owned by one benchmark closure.
final class OptimizerBox: @unchecked Sendable {
    var value: RFOptimizer
    init(_ value: RFOptimizer) { self.value = value }
}
