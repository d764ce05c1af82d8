import CKernels
import Foundation
import NumericCore
import Testing

/// The polynomial exp, log and sin/cos behind the vectorized kernels, against libm in Float64, and the fast normal
/// generator built on them against the normal distribution.
@Suite("Vector kernels")
struct VectorKernelTests {
    /// Largest relative error of `approx` over `xs` against `exact` (absolute below `floor`, where a relative
    /// error means nothing: cos near its zeros).
    static func worstError(_ xs: [Float], floor: Double = 0, approx: ([Float]) -> [Float],
                           exact: (Double) -> Double) -> Double {
        zip(xs, approx(xs)).map { x, y in
            let e = exact(Double(x))
            return abs(Double(y) - e) / max(abs(e), floor)
        }.max()!
    }

    static func grid(_ lo: Float, _ hi: Float, count: Int) -> [Float] {
        (0..<count).map { lo + (hi - lo) * Float($0) / Float(count - 1) }
    }

    @Test("exp is within 3 × 10⁻⁷ of libm over its whole range and saturates outside it")
    func exponential() {
        let xs = Self.grid(-87.3, 88.3, count: 20_001) + Self.grid(-2, 2, count: 4001)
        let err = Self.worstError(xs, approx: { x in
            var y = [Float](repeating: 0, count: x.count)
            gw_exp(&y, x, x.count)
            return y
        }, exact: Foundation.exp)
        #expect(err < 3e-7)
        var y = [Float](repeating: 0, count: 3)
        gw_exp(&y, [-1000, 1000, 0], 3)
        #expect(y[0] > 0 && y[0] < 1e-37 && y[1].isFinite && y[1] > 1e38 && y[2] == 1)
    }

    @Test("log is within 3 × 10⁻⁷ of libm (absolute near 1) from the smallest normal float to the largest")
    func logarithm() {
        var xs = Self.grid(1e-6, 4, count: 20_001) + [Float.leastNormalMagnitude, 0.5 * 0x1p-24, 1, Float.greatestFiniteMagnitude]
        xs += (0..<2000).map { Float(0.5 + Double($0) * 0x1p-24) }
        let err = Self.worstError(xs, floor: 1, approx: { x in
            var y = [Float](repeating: 0, count: x.count)
            gw_log(&y, x, x.count)
            return y
        }, exact: Foundation.log)
        #expect(err < 3e-7)
    }

    @Test("sin 2πu and cos 2πu are within 3 × 10⁻⁷ (absolute) of libm on [−1, 2]")
    func sineAndCosine() {
        let us = Self.grid(-1, 2, count: 30_001)
        var s = [Float](repeating: 0, count: us.count), c = s
        gw_sin_cos_two_pi(&s, &c, us, us.count)
        for (i, u) in us.enumerated() {
            #expect(abs(Double(s[i]) - Foundation.sin(2 * .pi * Double(u))) < 3e-7)
            #expect(abs(Double(c[i]) - Foundation.cos(2 * .pi * Double(u))) < 3e-7)
        }
    }

    @Test("fast normals: mean 0, variance 1, kurtosis 3, CDF within the Kolmogorov–Smirnov bound")
    func fastNormalDistribution() {
        var rng = Xoshiro256(seed: 11)
        var z = [Float](repeating: 0, count: 204_800)
        z.withUnsafeMutableBufferPointer { rng.fillStandardNormal($0) }
        let n = Double(z.count)
        let mean = z.reduce(0.0) { $0 + Double($1) } / n
        let variance = z.reduce(0.0) { $0 + Double($1) * Double($1) } / n
        let kurtosis = z.reduce(0.0) { $0 + pow(Double($1), 4) } / n
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.015 && abs(kurtosis - 3) < 0.08)
        let sorted = z.sorted()
        var ks = 0.0
        for (i, x) in sorted.enumerated() {
            let cdf = 0.5 * erfc(-Double(x) / 2.0.squareRoot())
            ks = max(ks, abs(cdf - Double(i + 1) / n), abs(cdf - Double(i) / n))
        }
        // 1.63/√n is the 1% critical value.
        #expect(ks < 1.63 / n.squareRoot())
        // Cosine and sine halves of a pair are independent: their correlation is ~1/√n.
        let half = z.count / 2
        var products = 0.0
        for block in stride(from: 0, to: z.count, by: 512) {
            for i in block..<(block + 256) { products += Double(z[i]) * Double(z[i + 256]) }
        }
        let corr: Double = products / Double(half)
        #expect(abs(corr) < 4 / Double(half).squareRoot())
    }

    @Test("fast normals: a fixed seed gives the same numbers; any count is filled; blocks continue the stream")
    func fastNormalStream() {
        func draw(_ counts: [Int], seed: UInt64) -> [Float] {
            var rng = Xoshiro256(seed: seed)
            return counts.flatMap { count in
                var z = [Float](repeating: .nan, count: count)
                z.withUnsafeMutableBufferPointer { rng.fillStandardNormal($0) }
                return z
            }
        }
        #expect(draw([1000], seed: 3) == draw([1000], seed: 3))
        #expect(draw([1000], seed: 3) != draw([1000], seed: 4))
        for count in [0, 1, 2, 31, 33, 511, 512, 513, 1025] {
            let z = draw([count], seed: 5)
            #expect(z.count == count && z.allSatisfy { $0.isFinite && abs($0) <= 5.9 })
        }
        // 512 values are exactly one block, so two fills of 512 are the first 1024 values of one fill of 1024.
        #expect(draw([512, 512], seed: 6) == draw([1024], seed: 6))
        // The draws never hit the Float64 path's pending spare: the generator state after a fill is the same as
        // after as many raw 64-bit draws as pairs used.
        var a = Xoshiro256(seed: 8), b = Xoshiro256(seed: 8)
        var z = [Float](repeating: 0, count: 100)
        z.withUnsafeMutableBufferPointer { a.fillStandardNormal($0) }
        for _ in 0..<50 { _ = b.next() }
        #expect(a == b)
    }
}
