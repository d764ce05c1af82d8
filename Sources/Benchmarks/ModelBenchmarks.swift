import Dashboard
import NumericCore
import RandomFeatures
import Training

/// Benchmarks of the training hot paths and of the dashboard's frame rendering.
public enum ModelBenchmarks {
    /// One full-batch GD step of the RF model (Float32) under `solver`. Gram form (`rf_gd_step_gram_dD_pP`): one
    /// d×p·p×p sgemm (2·d·p² flops) plus the update; reference: the same sgemm alone. Eigenbasis, the default
    /// solver (`rf_gd_step_dD_pP`): one pass over B and P (O(d·p)), no BLAS. The step's cost depends on d and p
    /// only: n (and the noise draws) enter through U and V, built once before training (see `RFSetupBenchmarks`). Unit: steps/s.
    public static func rfGradientStep(d: Int, p: Int, solver: RFSolver = .eigen, quick: Bool = false) -> BenchmarkCase {
        let delta = 0.18
        switch solver {
        case .gram:
            return BenchmarkCase(name: "rf_gd_step_gram_d\(d)_p\(p)", unit: "steps/s", workPerRepetition: 1,
                                 flopsPerRepetition: 2 * Double(d) * Double(p) * Double(p), quick: quick,
                                 reference: FoundationBenchmarks.gemmName("sgemm", m: d, n: p, k: p)) {
                // A positive-definite U of the right shape (WWᵀ/d + I): the step's cost depends on shapes only.
                var rng = Xoshiro256(seed: 2)
                let w = Matrix<Double>(rows: p, cols: d, storage: rng.normals(p * d))
                var u = Matrix<Double>.identity(p)
                u.syrk(w, alpha: 1 / Double(d), beta: 1)
                let gram = RFGram(u: u, v: Matrix(rows: p, cols: d, storage: rng.normals(p * d)), noiseEnergy: 1)
                let box = Box(RFOptimizer(.gd, loss: RFQuadraticLoss(gram, delta: delta)))
                let lr = 0.9 * RFStepSchedule.stableStep(d: d, p: p, delta: delta, lambdaMax: 1 + Double(p) / Double(d) * 1.5)
                return { box.value.step(lr: lr) }
            }
        case .eigen:
            return BenchmarkCase(name: "rf_gd_step_d\(d)_p\(p)", unit: "steps/s", workPerRepetition: 1, quick: quick) {
                // The spectrum of WWᵀ/d + I (d eigenvalues near 1 + p/d, the rest 1) and a random P; the step never
                // reads Q, so the identity stands in for it.
                var rng = Xoshiro256(seed: 2)
                let eigenvalues = (0..<p).map { $0 < p - d ? 1 : 1 + Double(p) / Double(d) }
                let basis = RFEigenbasis(eigenvalues: eigenvalues, q: .identity(p),
                                         projection: Matrix(rows: d, cols: p, storage: rng.normals(d * p)))
                let box = Box(RFEigenDescent<Float>(basis: basis, constant: 1, delta: delta))
                let lr = 0.9 * RFStepSchedule.stableStep(d: d, p: p, delta: delta, lambdaMax: eigenvalues.last!)
                return { box.value.step(lr: lr) }
            }
        }
    }

    /// A whole default RF run as `train --model rf --d D --p P --n N --t 0.1` does it, without the file: setup (U,
    /// V, the eigendecomposition, the test form), GD to the default τ_max and every evaluation, under the default
    /// solver. Unit: runs/s (1/rate is the run's seconds).
    public static func rfRun(d: Int, p: Int, n: Int) -> BenchmarkCase {
        BenchmarkCase(name: "rf_run_d\(d)_p\(p)_n\(n)", unit: "runs/s", workPerRepetition: 1) {
            { () throws in
                let job = try RFTrainingJob(setting: RFSetting(d: d, p: p, n: n, t: 0.1), plan: RFTrainingPlan(),
                                            created: "2026-01-01T00:00:00Z")
                _ = try job.run(.discarding(totalSteps: job.totalSteps))
            }
        }
    }

    /// Rendering one full dashboard frame from a state holding 1M-point series. Unit: frames/s.
    public static func renderFrame(width: Int, height: Int, points: Int = 1_000_000, quick: Bool = false) -> BenchmarkCase {
        BenchmarkCase(name: "render_frame_\(width)x\(height)", unit: "frames/s", workPerRepetition: 1, quick: quick) {
            let state = RenderBenchmark.makeState(points: points, width: width, height: height)
            return { _ = DashboardView.render(state, width: width, height: height) }
        }
    }

    /// Each RF step under both solvers (the Gram form's beside its own sgemm), the whole default run, and the frame
    /// renders (the RF setup's pieces: `RFSetupBenchmarks`).
    public static var cases: [BenchmarkCase] {
        let steps = [(25, 1600, true), (25, 6400, false), (100, 200, false), (100, 800, false), (100, 3200, false)]
        return steps.flatMap { d, p, quick in
            [FoundationBenchmarks.gemm(Float.self, m: d, n: p, k: p, accumulate: true, quick: quick),
             rfGradientStep(d: d, p: p, solver: .gram, quick: quick),
             rfGradientStep(d: d, p: p, quick: quick)]
        }
            + [rfRun(d: 25, p: 1600, n: 100)]
            + [renderFrame(width: 120, height: 36), renderFrame(width: 200, height: 60, quick: true)]
    }
}
