import NumericCore

/// Scores s_t(x) ≈ ∇ log p_t(x) of the OU diffusion (docs/science.md §2) at the times of a grid, evaluated on a
/// whole batch at once: what `ReverseDiffusionSampler` needs from a model.
public protocol DiffusionScore {
    /// The diffusion times the score is known at, ascending.
    var times: [Double] { get }
    /// Writes s_{t_k}(x) for every row of `x` (m×d) into `out` (m×d).
    mutating func evaluate(time k: Int, at x: Matrix<Float>, into out: inout Matrix<Float>)
}

/// The scores of an `RFScoreFamily` at one training time τ, for batches of a fixed size m.
///
/// `setTrainingTime` forms every A_t(τ) (one d×p·p×p sgemm per t); `evaluate` is two sgemms and a tanh:
/// F = tanh(X W_tᵀ/√d) (m×p), out = F A_tᵀ/√p (m×d). All buffers are allocated once, in `init`.
public struct RFScoreBatch: DiffusionScore {
    public let family: RFScoreFamily
    public let batch: Int
    /// The τ the readouts were formed at (nil before `setTrainingTime`).
    public private(set) var tau: Double?
    /// K matrices d×p: A_t(τ).
    private var readouts: [Matrix<Float>]
    /// d×p scratch.
    private var scaled: Matrix<Float>
    /// m×p: features of the current batch.
    private var features: Matrix<Float>

    public init(family: RFScoreFamily, batch: Int) {
        self.family = family
        self.batch = batch
        readouts = [Matrix<Float>](repeating: Matrix(rows: family.d, cols: family.p), count: family.members.count)
        scaled = Matrix(rows: family.d, cols: family.p)
        features = Matrix(rows: batch, cols: family.p)
    }

    public var times: [Double] { family.times }

    /// Forms A_t(τ) for every t (τ = +∞: the minimizers).
    public mutating func setTrainingTime(_ tau: Double) {
        for k in readouts.indices { family.readout(k, tau: tau, into: &readouts[k], scaled: &scaled) }
        self.tau = tau
    }

    /// A_{t_k}(τ) (d×p) as last formed.
    public func readout(_ k: Int) -> Matrix<Float> { readouts[k] }

    public mutating func evaluate(time k: Int, at x: Matrix<Float>, into out: inout Matrix<Float>) {
        precondition(tau != nil, "setTrainingTime before evaluating")
        precondition(x.rows == batch && out.rows == batch, "batch size is \(batch)")
        let d = family.d, p = family.p
        features.gemm(x, .none, family.members[k].w, .transposed, alpha: Float(1 / Double(d).squareRoot()))
        features.storage.withUnsafeMutableBufferPointer { f in
            for i in 0..<f.count { f[i] = rfTanhf(f[i]) }
        }
        out.gemm(features, .none, readouts[k], .transposed, alpha: Float(1 / Double(p).squareRoot()))
    }
}

#if canImport(Glibc)
import Glibc
@inlinable @inline(__always) func rfTanhf(_ x: Float) -> Float { Glibc.tanhf(x) }
#elseif canImport(Darwin)
import Darwin
@inlinable @inline(__always) func rfTanhf(_ x: Float) -> Float { Darwin.tanhf(x) }
#endif
