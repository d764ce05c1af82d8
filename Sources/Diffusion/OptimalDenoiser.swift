import Foundation
import NumericCore

/// The exact minimizer of the training loss on a finite training set (docs/science.md §1): the posterior mean
/// D(y) = Σ_i softmax_i(−‖y − √ᾱ x_i‖² / (2(1 − ᾱ))) x_i, returned as ε̂ = (y − √ᾱ D(y)) / √(1 − ᾱ).
/// Sampling with it reproduces training points, which makes the memorization metric testable. Labels are ignored.
public final class OptimalDenoiser: Denoiser {
    public let training: Matrix<Float>
    public let schedule: NoiseSchedule
    public let maxRows: Int
    /// ‖x_i‖² [n].
    private let norms: [Float]
    /// Scratch: rows×n logits/weights and rows×d posterior means.
    private let weights: FloatBuffer
    private let means: FloatBuffer

    public init(training: Matrix<Float>, schedule: NoiseSchedule, maxRows: Int = 256) {
        self.training = training
        self.schedule = schedule
        self.maxRows = maxRows
        norms = (0..<training.rows).map { i in
            var s: Float = 0
            for j in 0..<training.cols { s += training[i, j] * training[i, j] }
            return s
        }
        weights = FloatBuffer(count: maxRows * training.rows)
        means = FloatBuffer(count: maxRows * training.cols)
    }

    public var dimension: Int { training.cols }

    public func predictNoise(_ out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, steps: UnsafePointer<Int32>,
                             labels: UnsafePointer<Int32>?, rows: Int) {
        precondition(rows <= maxRows, "batch of \(rows) exceeds \(maxRows)")
        let n = training.rows, d = training.cols, wts = weights.base, mu = means.base
        training.storage.withUnsafeBufferPointer { tx in
            Float.gemm(.none, .transposed, m: rows, n: n, k: d, alpha: 1, a: x, lda: d, b: tx.baseAddress!, ldb: d,
                       beta: 0, c: wts, ldc: n)
            for r in 0..<rows {
                let ab = schedule.alphaBar[Int(steps[r])]
                let a = Float(ab.squareRoot()), delta = Float(1 - ab)
                let row = wts + r * n
                var best = -Float.infinity
                for i in 0..<n {
                    let logit = (2 * a * row[i] - a * a * norms[i]) / (2 * delta)
                    row[i] = logit
                    best = max(best, logit)
                }
                var total: Float = 0
                for i in 0..<n { row[i] = expf(row[i] - best); total += row[i] }
                for i in 0..<n { row[i] /= total }
            }
            Float.gemm(.none, .none, m: rows, n: d, k: n, alpha: 1, a: wts, lda: n, b: tx.baseAddress!, ldb: d,
                       beta: 0, c: mu, ldc: d)
        }
        for r in 0..<rows {
            let ab = schedule.alphaBar[Int(steps[r])]
            let a = Float(ab.squareRoot()), s = Float((1 - ab).squareRoot())
            for j in 0..<d { out[r * d + j] = (x[r * d + j] - a * mu[r * d + j]) / s }
        }
    }
}
