import NumericCore

/// An RF loss in Gram form, ready for training in Float32:
/// L(A) = c + (α/2)·⟨A, A U⟩ + β·⟨A, Vᵀ⟩, ∇L = α·A U + β·Vᵀ, with α = 2Δ_t/(d p), β = 2√Δ_t/(d√p).
///
/// Shapes: A d×p, U p×p, Vᵀ d×p. Both the loss and the gradient cost one d×p·p×p product.
public struct RFQuadraticLoss: Sendable {
    public let d: Int
    public let p: Int
    /// p×p.
    public let u: Matrix<Float>
    /// d×p: Vᵀ.
    public let vt: Matrix<Float>
    /// c = E‖ξ‖²/d.
    public let constant: Double
    public let alpha: Float
    public let beta: Float

    public init(_ gram: RFGram, delta: Double) {
        p = gram.u.rows
        d = gram.v.cols
        u = gram.u.converted()
        vt = gram.v.transposed().converted()
        constant = gram.noiseEnergy
        alpha = Float(2 * delta / Double(d * p))
        beta = Float(2 * delta.squareRoot() / (Double(d) * Double(p).squareRoot()))
    }

    /// L(A); `work` (d×p) receives A U.
    public func value(_ a: Matrix<Float>, work: inout Matrix<Float>) -> Double {
        work.gemm(a, .none, u, .none)
        let quadratic = a.storage.withUnsafeBufferPointer { pa in work.storage.withUnsafeBufferPointer { Elementwise.dot(pa, $0) } }
        let linear = a.storage.withUnsafeBufferPointer { pa in vt.storage.withUnsafeBufferPointer { Elementwise.dot(pa, $0) } }
        return constant + Double(alpha) / 2 * quadratic + Double(beta) * linear
    }

    /// Overwrites `gradient` (d×p) with ∇L(A) = α·A U + β·Vᵀ.
    public func gradient(_ a: Matrix<Float>, into gradient: inout Matrix<Float>) {
        let beta = self.beta
        vt.storage.withUnsafeBufferPointer { pv in
            gradient.storage.withUnsafeMutableBufferPointer { pg in
                for i in 0..<pg.count { pg[i] = beta * pv[i] }
            }
        }
        gradient.gemm(a, .none, u, .none, alpha: alpha, beta: 1)
    }
}

/// Full-batch training of A (d×p, from zero) on an `RFQuadraticLoss`: plain gradient descent or Adam.
/// All buffers are allocated once; a step allocates nothing.
public struct RFOptimizer: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case gd, adam
    }

    public let kind: Kind
    public let loss: RFQuadraticLoss
    /// d×p: the trained readout.
    public private(set) var a: Matrix<Float>
    /// d×p: ∇L at the last step.
    public private(set) var grad: Matrix<Float>
    /// Adam moments (d×p each; empty for GD).
    private var m1: Matrix<Float>
    private var m2: Matrix<Float>
    public private(set) var steps = 0
    /// Adam's constants (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
    public let adam = Adam()

    public init(_ kind: Kind, loss: RFQuadraticLoss) {
        self.kind = kind
        self.loss = loss
        a = Matrix(rows: loss.d, cols: loss.p)
        grad = Matrix(rows: loss.d, cols: loss.p)
        m1 = kind == .adam ? Matrix(rows: loss.d, cols: loss.p) : Matrix(rows: 0, cols: 0)
        m2 = kind == .adam ? Matrix(rows: loss.d, cols: loss.p) : Matrix(rows: 0, cols: 0)
    }

    /// One step at learning rate `lr`: GD A ← A − lr·∇L, or NumericCore's `Adam` (no weight decay).
    public mutating func step(lr: Double) {
        loss.gradient(a, into: &grad)
        steps += 1
        let eta = Float(lr)
        switch kind {
        case .gd:
            a.storage.withUnsafeMutableBufferPointer { pa in
                grad.storage.withUnsafeBufferPointer { pg in
                    for i in 0..<pa.count { pa[i] -= eta * pg[i] }
                }
            }
        case .adam:
            let (adam, t) = (adam, steps)
            a.storage.withUnsafeMutableBufferPointer { pa in
                grad.storage.withUnsafeBufferPointer { pg in
                    m1.storage.withUnsafeMutableBufferPointer { pm in
                        m2.storage.withUnsafeMutableBufferPointer { pv in
                            adam.update(parameters: pa.baseAddress!, gradients: pg.baseAddress!,
                                        first: pm.baseAddress!, second: pv.baseAddress!, count: pa.count, step: t,
                                        learningRate: lr)
                        }
                    }
                }
            }
        }
    }

    /// Adam's first and second moments (0×0 for GD), for saving a resumable state.
    public var moments: (first: Matrix<Float>, second: Matrix<Float>) { (m1, m2) }

    /// Puts back a saved state: A, Adam's moments and the step count (bias correction depends on it).
    public mutating func restore(a newA: Matrix<Float>, first: Matrix<Float>, second: Matrix<Float>, steps: Int) {
        precondition(newA.rows == a.rows && newA.cols == a.cols, "A must be \(a.rows)×\(a.cols)")
        precondition(first.rows == m1.rows && first.cols == m1.cols && second.rows == m2.rows && second.cols == m2.cols,
                     "moments must be \(m1.rows)×\(m1.cols)")
        a = newA
        m1 = first
        m2 = second
        self.steps = steps
    }

    /// Replaces A (tests, resuming from a checkpoint).
    public mutating func setParameters(_ newA: Matrix<Float>) {
        precondition(newA.rows == a.rows && newA.cols == a.cols, "A must be \(a.rows)×\(a.cols)")
        a = newA
    }
}
