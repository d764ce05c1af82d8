import NumericCore

/// One metric computation packaged for timing: the same fields as the Benchmarks target's `BenchmarkCase`, so
/// `genwindow bench` can wrap it one to one. Metrics itself reads no clock.
public struct MetricsWorkload: Sendable {
    /// Stable identifier, e.g. "memfrac_m1000_n60000_d784".
    public let name: String
    /// What the rate counts per second.
    public let unit: String
    /// Units of work in one repetition (rate = work / seconds).
    public let workPerRepetition: Double
    /// Floating-point operations of the equivalent sgemm, for the ratio to the machine's sgemm rate.
    public let flopsPerRepetition: Double?
    /// The sgemm the computation is built on — C (m×n) ← A (m×k)·Bᵀ (B stored n×k), at most 2048 reference rows
    /// at a time — whose rate is its roofline.
    public var roofline: (m: Int, n: Int, k: Int)? = nil
    /// Builds the inputs (not timed) and returns the closure to time.
    public let prepare: @Sendable () throws -> () throws -> Void
}

/// The metric workloads issue 9 benchmarks. Inputs are N(0, 1) from fixed seeds.
public enum MetricsBenchmark {
    /// Memorized fraction (exact top-2 search and 1,000 bootstrap resamples) of m samples against n training rows
    /// in d dimensions. Work: m·n·d pairs·dims; flops: 2·m·n·d, the distance GEMM's, so the ratio to sgemm is the
    /// share of the sgemm rate the whole measurement achieves.
    public static func memorizedFraction(m: Int, n: Int, d: Int) -> MetricsWorkload {
        let pairsDims = Double(m) * Double(n) * Double(d)
        var workload = MetricsWorkload(name: "memfrac_m\(m)_n\(n)_d\(d)", unit: "pairs·dims/s", workPerRepetition: pairsDims,
                                       flopsPerRepetition: 2 * pairsDims) {
            var rng = Xoshiro256(seed: 1, stream: 1)
            let samples = Matrix<Float>(rows: m, cols: d, storage: rng.normals(m * d))
            let training = Matrix<Float>(rows: n, cols: d, storage: rng.normals(n * d))
            return { _ = MemorizedFraction.measure(samples: samples, training: training) }
        }
        workload.roofline = (m, min(n, 2048), d)
        return workload
    }

    /// Fréchet distance between two `samples`×`dims` feature sets, both Gaussian fits included. Unit: FDs/s.
    public static func frechetDistance(dims: Int, samples: Int) -> MetricsWorkload {
        MetricsWorkload(name: "fd_d\(dims)_N\(samples)", unit: "FD/s", workPerRepetition: 1, flopsPerRepetition: nil) {
            var rng = Xoshiro256(seed: 1, stream: 3)
            let a = Matrix<Float>(rows: samples, cols: dims, storage: rng.normals(samples * dims))
            let b = Matrix<Float>(rows: samples, cols: dims, storage: rng.normals(samples * dims, mean: 0.1))
            return { _ = try FrechetDistance.between(a, b) }
        }
    }

    /// The sizes of issue 5's acceptance: m = 1000 against n = 1k/10k/60k at d = 64 and 784; FD at 64/512/2048
    /// dimensions with 2·d (at least 1,000) samples per set.
    public static var standardWorkloads: [MetricsWorkload] {
        [64, 784].flatMap { d in [1000, 10_000, 60_000].map { memorizedFraction(m: 1000, n: $0, d: d) } }
            + [64, 512, 2048].map { frechetDistance(dims: $0, samples: max(2 * $0, 1000)) }
    }
}
