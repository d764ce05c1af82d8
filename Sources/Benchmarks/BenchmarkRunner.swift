import RunFiles

/// Times cases: one warm-up, then repetitions until both a minimum count and a minimum time are reached.
public struct BenchmarkRunner: Sendable {
    public var minimumRepetitions: Int
    public var minimumSeconds: Double
    public var maximumRepetitions: Int
    /// Seconds on a monotonic clock; injectable so that tests time cases on a clock they advance themselves.
    public var clock: @Sendable () -> Double

    public init(minimumRepetitions: Int = 5, minimumSeconds: Double = 0.5, maximumRepetitions: Int = 1000,
                clock: @escaping @Sendable () -> Double = RunWriter.monotonicSeconds) {
        self.minimumRepetitions = minimumRepetitions
        self.minimumSeconds = minimumSeconds
        self.maximumRepetitions = maximumRepetitions
        self.clock = clock
    }

    /// A runner for a profiler: repeats each case for the whole of `minimumSeconds` however fast it is (the usual
    /// cap of 1,000 repetitions would end a microsecond case before the profiler starts sampling).
    public static func profiling(minimumSeconds: Double,
                                 clock: @escaping @Sendable () -> Double = RunWriter.monotonicSeconds) -> BenchmarkRunner {
        BenchmarkRunner(minimumSeconds: minimumSeconds, maximumRepetitions: .max, clock: clock)
    }

    public func run(_ benchmark: BenchmarkCase) throws -> BenchmarkResult {
        try run(benchmark, pairedWith: nil).result
    }

    /// Times `benchmark`; with a `reference`, each repetition times the reference right before the case, so the
    /// ratio of their median GFLOP/s compares runs made under the same load (the machine may be shared).
    public func run(_ benchmark: BenchmarkCase, pairedWith reference: BenchmarkCase?) throws
        -> (result: BenchmarkResult, referenceGflops: Double?) {
        let body = try benchmark.prepare()
        let referenceBody = try reference?.prepare()
        try referenceBody?()
        try body()  // warm-up: caches, page faults, BLAS thread start
        var seconds: [Double] = [], referenceSeconds: [Double] = []
        let start = clock()
        while seconds.count < minimumRepetitions
            || (clock() - start < minimumSeconds * (reference == nil ? 1 : 2) && seconds.count < maximumRepetitions) {
            if let referenceBody {
                let t0 = clock()
                try referenceBody()
                referenceSeconds.append(clock() - t0)
            }
            let t0 = clock()
            try body()
            seconds.append(clock() - t0)
        }
        let rates = seconds.map { benchmark.workPerRepetition / max($0, 1e-12) }.sorted()
        let median = Self.median(rates)
        let gflops = benchmark.flopsPerRepetition.map { median / benchmark.workPerRepetition * $0 / 1e9 }
        let referenceGflops = reference.flatMap { r in
            r.flopsPerRepetition.map { flops in Self.median(referenceSeconds.map { flops / max($0, 1e-12) / 1e9 }.sorted()) }
        }
        let result = BenchmarkResult(name: benchmark.name, unit: benchmark.unit, median: median, min: rates.first!,
                                     max: rates.last!, gflops: gflops, ratioToSgemm: nil, reference: benchmark.reference,
                                     repetitions: seconds.count)
        return (result, referenceGflops)
    }

    /// Runs every case and fills in each result's ratio to the sgemm ceiling (`sgemm_1024` when the run has it: a
    /// small in-cache shape timed in a quieter minute would otherwise set the ceiling; else the fastest `sgemm_*`
    /// case) and,
    /// for a case whose reference is in `cases`, to that reference timed alongside it.
    public func runAll(_ cases: [BenchmarkCase], progress: (BenchmarkResult) -> Void = { _ in }) throws -> [BenchmarkResult] {
        var byName: [String: BenchmarkCase] = [:]
        for c in cases { byName[c.name] = byName[c.name] ?? c }
        var results: [BenchmarkResult] = []
        for c in cases {
            var (r, roof) = try run(c, pairedWith: c.reference.flatMap { byName[$0] })
            if let g = r.gflops, let roof, roof > 0 { r.ratioToReference = g / roof }
            results.append(r)
            progress(r)
        }
        let ceiling = results.first { $0.name == "sgemm_1024" }?.gflops
            ?? results.filter { $0.name.hasPrefix("sgemm_") }.compactMap(\.gflops).max()
        if let ceiling, ceiling > 0 {
            for i in results.indices { results[i].ratioToSgemm = results[i].gflops.map { $0 / ceiling } }
        }
        return results
    }

    static func median(_ sorted: [Double]) -> Double {
        sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
