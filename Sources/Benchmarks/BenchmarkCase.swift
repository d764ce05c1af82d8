/// One named measurement: what is timed, in which unit, and how much arithmetic one repetition does.
///
/// Case names are stable identifiers (scripts and BENCHMARKS.md refer to them).
public struct BenchmarkCase: Sendable {
    public let name: String
    /// What `median`/`min`/`max` count per second: "GFLOP/s", "steps/s", "pairs/s", "frames/s", "lines/s"…
    public let unit: String
    /// Units of work in one repetition (steps, pairs, frames, lines…), so rate = workPerRepetition / seconds.
    public let workPerRepetition: Double
    /// Floating-point operations in one repetition, if meaningful (for GFLOP/s and the ratio to sgemm).
    public let flopsPerRepetition: Double?
    /// Part of the quick subset (`--quick`).
    public let quick: Bool
    /// The case of the same run whose GFLOP/s is this one's own ceiling: a GEMM of the same precision and the
    /// same shapes (e.g. the RF step's d×p·p×p sgemm, the DDPM step's forward and backward GEMMs).
    public let reference: String?
    /// Builds the state once (outside the timing) and returns the closure to time.
    public let prepare: @Sendable () throws -> () throws -> Void

    public init(name: String, unit: String, workPerRepetition: Double, flopsPerRepetition: Double? = nil,
                quick: Bool = false, reference: String? = nil, prepare: @escaping @Sendable () throws -> () throws -> Void) {
        self.name = name
        self.unit = unit
        self.workPerRepetition = workPerRepetition
        self.flopsPerRepetition = flopsPerRepetition
        self.quick = quick
        self.reference = reference
        self.prepare = prepare
    }
}

/// The timings of one case: rates in the case's unit (higher is better).
public struct BenchmarkResult: Sendable {
    public let name: String
    public let unit: String
    public let median: Double
    public let min: Double
    public let max: Double
    /// Achieved GFLOP/s at the median, when the case counts flops.
    public let gflops: Double?
    /// `gflops` over the machine's sgemm GFLOP/s measured in the same run.
    public var ratioToSgemm: Double?
    /// The case's own ceiling (`BenchmarkCase.reference`) and `gflops` over that case's GFLOP/s.
    public var reference: String?
    public var ratioToReference: Double?
    public let repetitions: Int

    public init(name: String, unit: String, median: Double, min: Double, max: Double, gflops: Double?,
                ratioToSgemm: Double?, reference: String? = nil, ratioToReference: Double? = nil, repetitions: Int) {
        self.name = name
        self.unit = unit
        self.median = median
        self.min = min
        self.max = max
        self.gflops = gflops
        self.ratioToSgemm = ratioToSgemm
        self.reference = reference
        self.ratioToReference = ratioToReference
        self.repetitions = repetitions
    }
}
