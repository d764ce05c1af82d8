import Foundation
import NumericCore
import Testing
@testable import RandomFeatures
#if canImport(Glibc)
import Glibc
#endif

/// GD steps per second in Gram form (one d×p·p×p sgemm per step, 2·d·p² flops) against the machine's sgemm rate
/// on a large square product. Prints its figures; run in release with GENWINDOW_BENCH=1.
@Suite(.serialized) struct GradientStepBenchmark {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// sgemm GFLOP/s on an n×n·n×n product (best of 3).
    static func sgemmRate(_ n: Int) -> Double {
        var rng = Xoshiro256(seed: 1)
        let a = Matrix<Float>(rows: n, cols: n, storage: rng.normals(n * n))
        let b = Matrix<Float>(rows: n, cols: n, storage: rng.normals(n * n))
        var c = Matrix<Float>(rows: n, cols: n)
        var best = Double.infinity
        for _ in 0..<3 {
            let start = now()
            c.gemm(a, .none, b, .none)
            best = min(best, now() - start)
        }
        return 2 * pow(Double(n), 3) / best / 1e9
    }

    @Test(.enabled(if: getenv("GENWINDOW_BENCH") != nil), arguments: [1600, 6400])
    func rfGDStepD25(p: Int) throws {
        let d = 25
        // A positive-definite U of the right size (WWᵀ/d + I, not the RF one: the step cost depends on shape only).
        var rng = Xoshiro256(seed: 2)
        let w = Matrix<Double>(rows: p, cols: d, storage: rng.normals(p * d))
        var u = Matrix<Double>.identity(p)
        u.syrk(w, alpha: 1 / Double(d), beta: 1)
        let gram = RFGram(u: u, v: Matrix(rows: p, cols: d, storage: rng.normals(p * d)), noiseEnergy: 1)
        var opt = RFOptimizer(.gd, loss: RFQuadraticLoss(gram, delta: 0.18))
        let lr = 0.9 * RFStepSchedule.stableStep(d: d, p: p, delta: 0.18, lambdaMax: 1 + Double(p) / Double(d) * 1.5)
        for _ in 0..<5 { opt.step(lr: lr) }
        let steps = p <= 2000 ? 400 : 40
        let start = Self.now()
        for _ in 0..<steps { opt.step(lr: lr) }
        let seconds = Self.now() - start
        let rate = Double(steps) / seconds
        let gflops = rate * 2 * Double(d) * Double(p) * Double(p) / 1e9
        let peak = Self.sgemmRate(2048)
        print("rf_gd_step_d25_p\(p): \(String(format: "%.1f", rate)) steps/s, \(String(format: "%.1f", gflops)) GFLOP/s, sgemm 2048³ \(String(format: "%.1f", peak)) GFLOP/s, ratio \(String(format: "%.2f", gflops / peak)) (core \(BLASRuntime.coreName), \(BLASRuntime.threads) threads)")
        let finite = opt.a.storage.allSatisfy { $0.isFinite }
        #expect(finite)
    }
}
