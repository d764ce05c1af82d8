import NumericCore

/// One timed measurement.
public struct BenchmarkTiming: Sendable, Equatable {
    /// What was timed, e.g. "memorized m=1000 n=60000 d=784".
    public var name: String
    /// Best wall time of the repeats, in seconds.
    public var seconds: Double
    /// Work per run in the unit of `rate` (pairs·dims, FLOPs, or 1 for plain timings).
    public var work: Double
    /// work / seconds.
    public var rate: Double { work / seconds }
}

/// Timings of the metric kernels, for `genwindow bench` and the issue-9 benchmarks. The caller passes the clock
/// (Metrics reads none itself); inputs are N(0, 1) from a fixed seed; each figure is the best of `repeats` runs.
public enum MetricsBenchmark {
    /// Memorized fraction (exact top-2 search + 1,000 bootstrap resamples) for m samples against n training rows
    /// in d dimensions. `work` = m·n·d pairs·dims.
    public static func memorizedFraction<C: Clock>(
        m: Int, n: Int, d: Int, repeats: Int = 3, seed: UInt64 = 1, clock: C
    ) -> BenchmarkTiming where C.Duration == Duration {
        var rng = Xoshiro256(seed: seed, stream: 1)
        let samples = Matrix<Float>(rows: m, cols: d, storage: rng.normals(m * d))
        let training = Matrix<Float>(rows: n, cols: d, storage: rng.normals(n * d))
        let seconds = best(of: repeats, clock: clock) {
            _ = MemorizedFraction.measure(samples: samples, training: training)
        }
        return BenchmarkTiming(name: "memorized m=\(m) n=\(n) d=\(d)", seconds: seconds,
                               work: Double(m) * Double(n) * Double(d))
    }

    /// sgemm C = A·Bᵀ with A m×k and B n×k (the shape of one nearest-neighbour block). `work` = 2·m·n·k FLOPs.
    public static func sgemm<C: Clock>(
        m: Int, n: Int, k: Int, repeats: Int = 3, seed: UInt64 = 1, clock: C
    ) -> BenchmarkTiming where C.Duration == Duration {
        var rng = Xoshiro256(seed: seed, stream: 2)
        let a = Matrix<Float>(rows: m, cols: k, storage: rng.normals(m * k))
        let b = Matrix<Float>(rows: n, cols: k, storage: rng.normals(n * k))
        var c = Matrix<Float>(rows: m, cols: n)
        let seconds = best(of: repeats, clock: clock) { c.gemm(a, .none, b, .transposed) }
        return BenchmarkTiming(name: "sgemm \(m)×\(n)×\(k)", seconds: seconds,
                               work: 2 * Double(m) * Double(n) * Double(k))
    }

    /// Fréchet distance between two `samples`×`dims` feature sets, statistics included. `work` = 1.
    public static func frechetDistance<C: Clock>(
        dims: Int, samples: Int, repeats: Int = 3, seed: UInt64 = 1, clock: C
    ) throws -> BenchmarkTiming where C.Duration == Duration {
        var rng = Xoshiro256(seed: seed, stream: 3)
        let a = Matrix<Float>(rows: samples, cols: dims, storage: rng.normals(samples * dims))
        let b = Matrix<Float>(rows: samples, cols: dims, storage: rng.normals(samples * dims, mean: 0.1))
        var failure: Error?
        let seconds = best(of: repeats, clock: clock) {
            do { _ = try FrechetDistance.between(a, b) } catch { failure = error }
        }
        if let failure { throw failure }
        return BenchmarkTiming(name: "fd d=\(dims) N=\(samples)", seconds: seconds, work: 1)
    }

    /// Shortest of `repeats` timings of `body`, in seconds.
    static func best<C: Clock>(of repeats: Int, clock: C, _ body: () -> Void) -> Double where C.Duration == Duration {
        var shortest = Double.infinity
        for _ in 0..<max(repeats, 1) {
            let elapsed = clock.measure(body)
            let (s, attoseconds) = elapsed.components
            shortest = min(shortest, Double(s) + Double(attoseconds) * 1e-18)
        }
        return shortest
    }
}
