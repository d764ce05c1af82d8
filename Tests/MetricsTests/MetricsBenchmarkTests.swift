import Metrics
import Testing

@Suite struct MetricsBenchmarkTests {
    @Test func timingsCountTheirWork() throws {
        let clock = ContinuousClock()
        let mem = MetricsBenchmark.memorizedFraction(m: 20, n: 50, d: 8, repeats: 1, clock: clock)
        #expect(mem.work == 20 * 50 * 8)
        #expect(mem.seconds > 0 && mem.rate.isFinite)
        let gemm = MetricsBenchmark.sgemm(m: 16, n: 32, k: 8, repeats: 2, clock: clock)
        #expect(gemm.work == 2 * 16 * 32 * 8)
        let fd = try MetricsBenchmark.frechetDistance(dims: 6, samples: 30, repeats: 1, clock: clock)
        #expect(fd.name == "fd d=6 N=30" && fd.seconds > 0)
    }
}
