import Foundation
import Metrics
import NumericCore
import RunFormat
import Testing
import TestSupport

@Suite struct MemorizedFractionTests {
    /// DDIM (η = 0, 60 steps of the linear-β DDPM schedule) driven by the exact empirical optimum
    /// D(y) = Σᵢ softmaxᵢ(−‖y − √ᾱ xᵢ‖² / (2(1 − ᾱ))) xᵢ of docs/science.md §1: it reproduces training points.
    static func empiricalOptimumSamples(training x: Matrix<Float>, count: Int, rng: inout Xoshiro256) -> Matrix<Float> {
        let n = x.rows, d = x.cols, T = 1000
        var alphaBar = [Double](repeating: 0, count: T)
        var prod = 1.0
        for s in 0..<T {
            prod *= 1 - (1e-4 + (2e-2 - 1e-4) * Double(s) / Double(T - 1))
            alphaBar[s] = prod
        }
        let steps = stride(from: T - 1, through: 0, by: -T / 60).map { $0 }
        var out = Matrix<Float>(rows: count, cols: d)
        for i in 0..<count {
            var y: [Double] = rng.normals(d)
            var x0 = [Double](repeating: 0, count: d)
            for (si, s) in steps.enumerated() {
                let a = alphaBar[s], sa = a.squareRoot(), sv = (1 - a).squareRoot()
                var logits = [Double](repeating: 0, count: n)
                for j in 0..<n {
                    var e = 0.0
                    for k in 0..<d { let t = y[k] - sa * Double(x[j, k]); e += t * t }
                    logits[j] = -e / (2 * (1 - a))
                }
                let top = logits.max()!
                let w = logits.map { exp($0 - top) }
                let z = w.reduce(0, +)
                for k in 0..<d { x0[k] = (0..<n).reduce(0) { $0 + w[$1] * Double(x[$1, k]) } / z }
                let eps = (0..<d).map { (y[$0] - sa * x0[$0]) / sv }
                if si + 1 < steps.count {
                    let an = alphaBar[steps[si + 1]]
                    for k in 0..<d { y[k] = an.squareRoot() * x0[k] + (1 - an).squareRoot() * eps[k] }
                }
            }
            for k in 0..<d { out[i, k] = Float(x0[k]) }
        }
        return out
    }

    @Test func empiricalOptimumSamplerIsMemorized() {
        var rng = Xoshiro256(seed: 11)
        let train: Matrix<Float> = NaiveReference.randomMatrix(24, 6, &rng)
        let samples = Self.empiricalOptimumSamples(training: train, count: 100, rng: &rng)
        let result = MemorizedFraction.measure(samples: samples, training: train, bootstrapResamples: 200)
        #expect(result.memFrac >= 0.99)
        #expect(result.count == 100)
    }

    @Test func uniformNoiseIsNotMemorized() {
        var rng = Xoshiro256(seed: 12)
        func uniform(_ rows: Int) -> Matrix<Float> {
            Matrix(rows: rows, cols: 16, storage: (0..<(rows * 16)).map { _ in Float(rng.nextUniform()) })
        }
        let result = MemorizedFraction.measure(samples: uniform(200), training: uniform(300), bootstrapResamples: 200)
        #expect(result.memFrac <= 0.01)
        #expect(result.ciLow == 0)
    }

    @Test func fractionRatiosAndIntervalFollowTheDefinition() {
        // Samples 0–2 sit on (or very near) training points; 3–5 are midway between two of them.
        let train = Matrix<Float>(rows: 4, cols: 2, storage: [0, 0, 10, 0, 0, 10, 10, 10])
        let samples = Matrix<Float>(rows: 6, cols: 2, storage: [0, 0, 10, 0.5, 0.2, 10, 5, 0, 5, 10, 0, 5])
        let result = MemorizedFraction.measure(samples: samples, training: train, bootstrapResamples: 500, seed: 4)
        let reference = Reference.topTwo(samples, train)
        let ratios = (0..<6).map { reference.d1[$0] / reference.d2[$0] }
        #expect(result.ratio == ratios)
        #expect(result.memFrac == 0.5)
        #expect(result.ciLow < 0.5 && result.ciHigh > 0.5)
        #expect(result.ciLow >= 0 && result.ciHigh <= 1)
        let again = MemorizedFraction.measure(samples: samples, training: train, bootstrapResamples: 500, seed: 4)
        #expect(again == result)
        let strict = MemorizedFraction.measure(samples: samples, training: train, k: 0.01, bootstrapResamples: 0)
        #expect(strict.memFrac == 1.0 / 6.0)
        #expect(strict.ciLow == strict.memFrac && strict.ciHigh == strict.memFrac)
    }

    @Test func sampleOnDuplicatedTrainingPointIsMemorizedNearbyOneIsNot() {
        let train = Matrix<Float>(rows: 3, cols: 2, storage: [1, 1, 1, 1, 4, 4])
        let samples = Matrix<Float>(rows: 2, cols: 2, storage: [1, 1, 1.1, 1])
        let result = MemorizedFraction.measure(samples: samples, training: train, bootstrapResamples: 0)
        #expect(result.d1 == [0, result.d2[1]])
        #expect(result.ratio == [0, 1])
        #expect(result.memFrac == 0.5)
    }

    @Test func eightBitQuantizationFollowsEDM() {
        let x = Matrix<Float>(rows: 1, cols: 5, storage: [-1, 1, 0, -2, 0.999])
        #expect(MemorizedFraction.quantized(x, range: -1...1).storage == [0, 255, 128, 0, 255])
        // Samples within half a level of a training point become exact copies after quantization.
        let train = Matrix<Float>(rows: 2, cols: 1, storage: [0, 0.5])
        let samples = Matrix<Float>(rows: 1, cols: 1, storage: [0.001])
        #expect(MemorizedFraction.measure(samples: samples, training: train, bootstrapResamples: 0).memFrac == 1)
        let q = MemorizedFraction.measure(samples: samples, training: train, bootstrapResamples: 0, quantize8Bit: true)
        #expect(q.d1 == [0])
    }

    @Test func percentileInterpolatesLikeNumPy() {
        #expect(MemorizedFraction.percentile(sorted: [0, 1, 2, 3], 0.5) == 1.5)
        #expect(MemorizedFraction.percentile(sorted: [0, 10], 0.025) == 0.25)
        #expect(MemorizedFraction.percentile(sorted: [7], 0.975) == 7)
    }

    /// The 97.5th percentile of 1000 bootstrap fractions of 100 samples, between 0.28 and 0.29: 0.28025, not the
    /// 0.2802499999999998 the interpolation weight's binary noise gave (issue #18, item 16e).
    @Test func percentileCarriesNoBinaryNoise() {
        let fractions = [Double](repeating: 0.28, count: 975) + [Double](repeating: 0.29, count: 25)
        #expect(MemorizedFraction.percentile(sorted: fractions, 0.975) == 0.28025)
        #expect(JSONWriter.string(.number(MemorizedFraction.percentile(sorted: fractions, 0.975))) == "0.28025")
        let low = [Double](repeating: 0.01, count: 25) + [Double](repeating: 0.02, count: 975)
        #expect(MemorizedFraction.percentile(sorted: low, 0.025) == 0.019750000000000000)
    }
}
