#if canImport(Glibc)
import Glibc
#endif

/// Times cases: one warm-up, then repetitions until both a minimum count and a minimum time are reached.
public struct BenchmarkRunner: Sendable {
    public var minimumRepetitions: Int
    public var minimumSeconds: Double
    public var maximumRepetitions: Int

    public init(minimumRepetitions: Int = 5, minimumSeconds: Double = 0.5, maximumRepetitions: Int = 1000) {
        self.minimumRepetitions = minimumRepetitions
        self.minimumSeconds = minimumSeconds
        self.maximumRepetitions = maximumRepetitions
    }

    public func run(_ benchmark: BenchmarkCase) throws -> BenchmarkResult {
        let body = try benchmark.prepare()
        try body()  // warm-up: caches, page faults, BLAS thread start
        var seconds: [Double] = []
        let start = Self.now()
        while seconds.count < minimumRepetitions
            || (Self.now() - start < minimumSeconds && seconds.count < maximumRepetitions) {
            let t0 = Self.now()
            try body()
            seconds.append(Self.now() - t0)
        }
        let rates = seconds.map { benchmark.workPerRepetition / max($0, 1e-12) }.sorted()
        let median = rates.count % 2 == 1 ? rates[rates.count / 2] : (rates[rates.count / 2 - 1] + rates[rates.count / 2]) / 2
        let gflops = benchmark.flopsPerRepetition.map { median / benchmark.workPerRepetition * $0 / 1e9 }
        return BenchmarkResult(name: benchmark.name, unit: benchmark.unit, median: median, min: rates.first!,
                               max: rates.last!, gflops: gflops, ratioToSgemm: nil, repetitions: seconds.count)
    }

    /// Runs every case and fills in each result's ratio to the sgemm ceiling (the fastest `sgemm_*` case).
    public func runAll(_ cases: [BenchmarkCase], progress: (BenchmarkResult) -> Void = { _ in }) throws -> [BenchmarkResult] {
        var results: [BenchmarkResult] = []
        for c in cases {
            let r = try run(c)
            results.append(r)
            progress(r)
        }
        let ceiling = results.filter { $0.name.hasPrefix("sgemm_") }.compactMap(\.gflops).max()
        if let ceiling, ceiling > 0 {
            for i in results.indices { results[i].ratioToSgemm = results[i].gflops.map { $0 / ceiling } }
        }
        return results
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
