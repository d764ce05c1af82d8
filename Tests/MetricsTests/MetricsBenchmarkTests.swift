import Metrics
import Testing

@Suite struct MetricsBenchmarkTests {
    @Test func workloadsCountTheirWorkAndRun() throws {
        let mem = MetricsBenchmark.memorizedFraction(m: 20, n: 50, d: 8)
        #expect(mem.name == "memfrac_m20_n50_d8")
        #expect(mem.workPerRepetition == 20 * 50 * 8 && mem.flopsPerRepetition == 2 * 20 * 50 * 8)
        try mem.prepare()()
        let fd = MetricsBenchmark.frechetDistance(dims: 6, samples: 30)
        #expect(fd.name == "fd_d6_N30" && fd.flopsPerRepetition == nil)
        try fd.prepare()()
        let names = MetricsBenchmark.standardWorkloads.map(\.name)
        #expect(names.count == 9)
        #expect(names.contains("memfrac_m1000_n60000_d784") && names.contains("fd_d2048_N4096"))
    }
}
