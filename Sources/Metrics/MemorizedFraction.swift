#if canImport(Glibc)
import Glibc
#endif
import NumericCore

/// The memorization test of docs/science.md §1 applied to a set of generated samples.
public struct MemorizationResult: Sendable, Equatable {
    /// Share of samples with `ratio < k`.
    public var memFrac: Double
    /// 95% bootstrap percentile interval of `memFrac` (2.5th and 97.5th percentiles, linear interpolation).
    public var ciLow: Double
    public var ciHigh: Double
    /// Number of samples tested.
    public var count: Int
    /// The ratio threshold used.
    public var k: Double
    /// Per sample: nearest and second-nearest training rows (0-based) and their Euclidean distances.
    public var nn1: [Int]
    public var nn2: [Int]
    public var d1: [Double]
    public var d2: [Double]
    /// Per sample: d1 / d2, with 0/0 defined as 0 (see `MemorizedFraction`).
    public var ratio: [Double]
}

/// Memorized fraction f_mem: the share of samples x whose nearest training point a1 is much nearer than the
/// second nearest a2, ‖x − a1‖ / ‖x − a2‖ < k (k = 1/3 in both papers).
///
/// Ties and duplicates: when the training set holds exact duplicates of the nearest point, d2 = d1 and the ratio
/// is 1 (not memorized) unless the sample coincides with them, where d1 = d2 = 0 and the ratio is defined as 0 —
/// a sample equal to a training point counts as memorized whether or not that point is duplicated.
public enum MemorizedFraction {
    /// Tests every sample row against the training rows (both m×d and n×d, n ≥ 2, finite).
    ///
    /// - Parameters:
    ///   - bootstrapResamples: resamples for the 95% interval (Paper B: 1,000); 0 gives the point value twice.
    ///   - seed: seeds the bootstrap (`Xoshiro256` stream 0x6D656D), so the interval is reproducible.
    ///   - quantize8Bit: Paper A's convention — map samples and training data from `quantizationRange` to the
    ///     integers 0…255 (`floor((x − lo)/(hi − lo)·255 + 0.5)`, clipped; for [−1, 1] this is EDM's
    ///     `x·127.5 + 128` truncated) before measuring distances.
    public static func measure(
        samples: Matrix<Float>, training: Matrix<Float>, k: Double = 1.0 / 3.0,
        bootstrapResamples: Int = 1000, seed: UInt64 = 0, quantize8Bit: Bool = false,
        quantizationRange: ClosedRange<Float> = -1...1
    ) -> MemorizationResult {
        precondition(bootstrapResamples >= 0, "negative bootstrap resample count")
        let nn: (nn1: [Int], nn2: [Int], d1: [Double], d2: [Double])
        if quantize8Bit {
            nn = NearestNeighbors.topTwo(queries: quantized(samples, range: quantizationRange),
                                         reference: quantized(training, range: quantizationRange))
        } else {
            nn = NearestNeighbors.topTwo(queries: samples, reference: training)
        }
        let m = samples.rows
        var ratio = [Double](repeating: 0, count: m)
        var memorized = [Bool](repeating: false, count: m)
        for i in 0..<m {
            ratio[i] = nn.d2[i] == 0 ? 0 : nn.d1[i] / nn.d2[i]
            memorized[i] = ratio[i] < k
        }
        let hits = memorized.reduce(0) { $0 + ($1 ? 1 : 0) }
        let frac = m == 0 ? 0 : Double(hits) / Double(m)
        let (low, high) = bootstrapInterval(memorized, resamples: bootstrapResamples, seed: seed) ?? (frac, frac)
        return MemorizationResult(memFrac: frac, ciLow: low, ciHigh: high, count: m, k: k,
                                  nn1: nn.nn1, nn2: nn.nn2, d1: nn.d1, d2: nn.d2, ratio: ratio)
    }

    /// The rows mapped to 8-bit levels 0…255 (as Float) from `range`.
    public static func quantized(_ x: Matrix<Float>, range: ClosedRange<Float>) -> Matrix<Float> {
        precondition(range.upperBound > range.lowerBound, "empty quantization range \(range)")
        let lo = Double(range.lowerBound), scale = 255 / (Double(range.upperBound) - lo)
        var out = x
        out.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count {
                let level = ((Double(p[i]) - lo) * scale + 0.5).rounded(.down)
                p[i] = Float(min(255, max(0, level)))
            }
        }
        return out
    }

    /// 2.5th and 97.5th percentiles of the fraction of `true` over `resamples` bootstrap resamples (m draws with
    /// replacement each); nil when there is nothing to resample.
    ///
    /// The number of `true` flags among m draws with replacement is Binomial(m, h/m) (h flags set), so each
    /// resample draws that count directly, by inverting the binomial CDF with one uniform: the same resampling
    /// distribution as drawing m indices one by one, at O(m + resamples·log m) instead of O(m·resamples).
    public static func bootstrapInterval(_ flags: [Bool], resamples: Int, seed: UInt64) -> (Double, Double)? {
        let m = flags.count
        guard m > 0, resamples > 0 else { return nil }
        let cdf = binomialCDF(trials: m, successes: flags.reduce(0) { $0 + ($1 ? 1 : 0) })
        var rng = Xoshiro256(seed: seed, stream: 0x6D_656D)
        var fractions = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            let u = rng.nextUniform()
            var lo = 0, hi = m                         // smallest c with u < cdf[c]; cdf[m] = 1 > u
            while lo < hi {
                let mid = (lo + hi) / 2
                if u < cdf[mid] { hi = mid } else { lo = mid + 1 }
            }
            fractions[b] = Double(lo) / Double(m)
        }
        fractions.sort()
        return (percentile(sorted: fractions, 0.025), percentile(sorted: fractions, 0.975))
    }

    /// P(X ≤ c) for c = 0…trials, X ~ Binomial(trials, successes/trials). The probabilities relative to the mode
    /// (c = successes) follow from the ratio P(c + 1)/P(c) = (m − c)/(c + 1) · p/(1 − p), walking out from the mode
    /// (no factorials to overflow; far tails underflow to 0); they are summed and normalized so that the last entry
    /// is exactly 1.
    static func binomialCDF(trials m: Int, successes h: Int) -> [Double] {
        precondition(m > 0 && (0...m).contains(h), "\(h) successes of \(m) trials")
        var pmf = [Double](repeating: 0, count: m + 1)
        pmf[h] = 1
        if h > 0 && h < m {
            let odds = Double(h) / Double(m - h)              // p/(1 − p)
            for c in h..<m { pmf[c + 1] = pmf[c] * Double(m - c) / Double(c + 1) * odds }
            for c in stride(from: h, to: 0, by: -1) { pmf[c - 1] = pmf[c] * Double(c) / Double(m - c + 1) / odds }
        }
        var cdf = [Double](repeating: 0, count: m + 1)
        var total = 0.0
        for c in 0...m {
            total += pmf[c]
            cdf[c] = total
        }
        for c in 0..<m { cdf[c] /= total }
        cdf[m] = 1
        return cdf
    }

    /// The q-quantile of ascending `sorted` values with linear interpolation between order statistics
    /// (NumPy's default `percentile` method), rounded to 12 significant digits: the weight q·(n − 1) − ⌊q·(n − 1)⌋
    /// carries binary noise (0.975 · 999 = 974.0249999999999…), which would show as 0.2802499999999998 for the
    /// 97.5th percentile between the fractions 0.28 and 0.29 of 100 samples (0.28025).
    public static func percentile(sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "percentile of no values")
        let pos = q * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let w = pos - Double(lo)
        return roundedToTwelveDigits(sorted[lo] + (sorted[hi] - sorted[lo]) * w)
    }

    /// `x` to 12 significant digits, as the double nearest that decimal (an integer below 2⁵³ divided by an exact
    /// power of ten); values too small or too large for an exact power of ten are returned unchanged.
    static func roundedToTwelveDigits(_ x: Double) -> Double {
        guard x != 0, x.isFinite else { return x }
        let shift = 11 - Int(log10(abs(x)).rounded(.down))
        guard (0...22).contains(shift) else { return x }
        var scale = 1.0
        for _ in 0..<shift { scale *= 10 }
        return (x * scale).rounded() / scale
    }
}
