import NumericCore
import Training

/// The same operation at 1 and 2 OpenBLAS threads, for choosing the thread count per operation: LAPACK's
/// symmetric eigensolver (Float64, the RF score family's and the Fréchet distance's) at p = 400…1600, the GEMM
/// ceilings, and the training steps. Names end in `_t1`/`_t2`; the count is restored after each repetition.
public enum ThreadBenchmarks {
    /// dsyevd (eigenvalues and vectors) of a p×p symmetric positive-definite matrix. Unit: decompositions/s.
    public static func eigen(p: Int, threads: Int) -> BenchmarkCase {
        BenchmarkCase(name: "dsyevd_p\(p)_t\(threads)", unit: "eig/s", workPerRepetition: 1) {
            var rng = Xoshiro256(seed: 4)
            let w = Matrix<Double>(rows: p, cols: 2 * p, storage: rng.normals(2 * p * p))
            var a = Matrix<Double>.identity(p)
            a.syrk(w, alpha: 1 / Double(2 * p), beta: 1)
            return { _ = try BLASRuntime.withThreads(threads) { try SymmetricEigen(a) } }
        }
    }

    /// `base` with its name suffixed `_t<threads>` and its body run under `BLASRuntime.withThreads(threads)`.
    public static func atThreads(_ base: BenchmarkCase, _ threads: Int) -> BenchmarkCase {
        BenchmarkCase(name: "\(base.name)_t\(threads)", unit: base.unit, workPerRepetition: base.workPerRepetition,
                      flopsPerRepetition: base.flopsPerRepetition) {
            let body = try base.prepare()
            return { try BLASRuntime.withThreads(threads) { try body() } }
        }
    }

    public static var cases: [BenchmarkCase] {
        let scaled = [
            FoundationBenchmarks.sgemm(m: 1024, n: 1024, k: 1024, name: "sgemm_1024"),
            FoundationBenchmarks.gemm(Double.self, m: 1024, n: 1024, k: 1024, name: "dgemm_1024"),
            ModelBenchmarks.rfGradientStep(d: 25, p: 1600, solver: .gram),
            ModelBenchmarks.rfGradientStep(d: 100, p: 3200, solver: .gram),
            DDPMBenchmarks.step(dimension: 64, width: 512),
            DDPMBenchmarks.step(dimension: 784, width: 1024),
        ]
        return [400, 800, 1600].flatMap { p in [1, 2].map { eigen(p: p, threads: $0) } }
            + scaled.flatMap { c in [1, 2].map { atThreads(c, $0) } }
    }
}
