import Dashboard
import NumericCore
import RandomFeatures

/// Benchmarks of the training hot paths and of the dashboard's frame rendering.
public enum ModelBenchmarks {
    /// One full-batch GD step of the RF model in Gram form (Float32): one d×p·p×p sgemm (2·d·p² flops) plus the
    /// update. The step's cost depends on d and p only: n (and the noise draws) enter through U and V, built once
    /// before training (see `rfSetup`). Reference: the same sgemm alone. Unit: steps/s.
    public static func rfGradientStep(d: Int, p: Int, quick: Bool = false) -> BenchmarkCase {
        BenchmarkCase(name: "rf_gd_step_d\(d)_p\(p)", unit: "steps/s", workPerRepetition: 1,
                      flopsPerRepetition: 2 * Double(d) * Double(p) * Double(p), quick: quick,
                      reference: FoundationBenchmarks.gemmName("sgemm", m: d, n: p, k: p)) {
            // A positive-definite U of the right shape (WWᵀ/d + I): the step's cost depends on shapes only.
            var rng = Xoshiro256(seed: 2)
            let w = Matrix<Double>(rows: p, cols: d, storage: rng.normals(p * d))
            var u = Matrix<Double>.identity(p)
            u.syrk(w, alpha: 1 / Double(d), beta: 1)
            let gram = RFGram(u: u, v: Matrix(rows: p, cols: d, storage: rng.normals(p * d)), noiseEnergy: 1)
            let box = Box(RFOptimizer(.gd, loss: RFQuadraticLoss(gram, delta: 0.18)))
            let lr = 0.9 * RFStepSchedule.stableStep(d: d, p: p, delta: 0.18, lambdaMax: 1 + Double(p) / Double(d) * 1.5)
            return { box.value.step(lr: lr) }
        }
    }

    /// Building the training-set U and V once (Float64, exact noise average: the Mehler series to the default
    /// Hermite order 10), the only part of RF training whose cost grows with n. Unit: setups/s.
    public static func rfSetup(d: Int, p: Int, n: Int) -> BenchmarkCase {
        BenchmarkCase(name: "rf_setup_d\(d)_p\(p)_n\(n)", unit: "setups/s", workPerRepetition: 1) {
            let instance = RFInstance(RFSetting(d: d, p: p, n: n, t: 0.5))
            return { _ = RFNoiseAverage.exact(instance) }
        }
    }

    /// Rendering one full dashboard frame from a state holding 1M-point series. Unit: frames/s.
    public static func renderFrame(width: Int, height: Int, points: Int = 1_000_000, quick: Bool = false) -> BenchmarkCase {
        BenchmarkCase(name: "render_frame_\(width)x\(height)", unit: "frames/s", workPerRepetition: 1, quick: quick) {
            let state = RenderBenchmark.makeState(points: points, width: width, height: height)
            return { _ = DashboardView.render(state, width: width, height: height) }
        }
    }

    /// Each RF step beside its own sgemm, the setup at n ∈ {100, 1000, 4000}, and the frame renders.
    public static var cases: [BenchmarkCase] {
        let steps = [(25, 1600, true), (25, 6400, false), (100, 200, false), (100, 800, false), (100, 3200, false)]
        return steps.flatMap { d, p, quick in
            [FoundationBenchmarks.gemm(Float.self, m: d, n: p, k: p, accumulate: true, quick: quick),
             rfGradientStep(d: d, p: p, quick: quick)]
        }
            + [100, 1000, 4000].map { rfSetup(d: 100, p: 800, n: $0) }
            + [renderFrame(width: 120, height: 36), renderFrame(width: 200, height: 60, quick: true)]
    }
}
