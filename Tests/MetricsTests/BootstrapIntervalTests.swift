@testable import Metrics
import NumericCore
import Testing

/// The bootstrap interval draws each resample's count from Binomial(m, h/m); checked against the binomial
/// probabilities by their definition and against the index-by-index resampling it replaces.
@Suite("Bootstrap interval")
struct BootstrapIntervalTests {
    /// C(m, c) pᶜ (1 − p)^(m−c) by the product formula (small m only).
    static func binomialPMF(_ m: Int, _ c: Int, _ p: Double) -> Double {
        var choose = 1.0
        for i in 0..<c { choose = choose * Double(m - i) / Double(i + 1) }
        var power = 1.0
        for _ in 0..<c { power *= p }
        for _ in 0..<(m - c) { power *= 1 - p }
        return choose * power
    }

    @Test(arguments: [(1, 0), (1, 1), (10, 0), (10, 3), (10, 10), (40, 1), (40, 39), (57, 20)])
    func cdfIsTheBinomialOne(m: Int, h: Int) {
        let cdf = MemorizedFraction.binomialCDF(trials: m, successes: h)
        #expect(cdf.count == m + 1 && cdf[m] == 1)
        var running = 0.0
        for c in 0...m {
            running += Self.binomialPMF(m, c, Double(h) / Double(m))
            #expect(abs(cdf[c] - running) <= 1e-12, "m \(m), h \(h), c \(c)")
        }
        #expect(zip(cdf, cdf.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func largeCountsNeitherOverflowNorLoseTheMass() {
        let cdf = MemorizedFraction.binomialCDF(trials: 60_000, successes: 1_234)
        #expect(cdf.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // Normal approximation: mean 1234, sd √(1234·(1 − 1234/60000)) ≈ 34.8; the median sits at the mean.
        #expect(cdf[1_190] < 0.15 && cdf[1_234] > 0.45 && cdf[1_234] < 0.55 && cdf[1_280] > 0.85)
    }

    @Test func intervalMatchesIndexByIndexResampling() throws {
        var flagRNG = Xoshiro256(seed: 80)
        let flags = (0..<200).map { _ in flagRNG.nextUniform() < 0.3 }
        let resamples = 4000
        let fast = try #require(MemorizedFraction.bootstrapInterval(flags, resamples: resamples, seed: 5))
        var rng = Xoshiro256(seed: 81)
        var fractions: [Double] = (0..<resamples).map { _ in
            Double((0..<flags.count).filter { _ in flags[rng.nextInt(below: flags.count)] }.count) / Double(flags.count)
        }
        fractions.sort()
        let low = MemorizedFraction.percentile(sorted: fractions, 0.025)
        let high = MemorizedFraction.percentile(sorted: fractions, 0.975)
        // Both are Monte-Carlo percentiles of the same distribution (sd of the fraction ≈ 0.032; each percentile's
        // own scatter with 4,000 resamples is ≈ 0.003).
        #expect(abs(fast.0 - low) <= 0.015 && abs(fast.1 - high) <= 0.015, "\(fast) vs \((low, high))")
        #expect(fast.0 < high && fast.1 > low)
    }

    @Test func degenerateFlagsGiveAPointInterval() {
        let all = MemorizedFraction.bootstrapInterval([true, true, true], resamples: 50, seed: 1)
        #expect(all?.0 == 1 && all?.1 == 1)
        let none = MemorizedFraction.bootstrapInterval([false, false], resamples: 50, seed: 1)
        #expect(none?.0 == 0 && none?.1 == 0)
        #expect(MemorizedFraction.bootstrapInterval([], resamples: 50, seed: 1) == nil)
        #expect(MemorizedFraction.bootstrapInterval([true], resamples: 0, seed: 1) == nil)
    }
}
