import NumericCore

/// Full-batch GD on an RF loss (`RFQuadraticLoss`'s α, β) in the eigenbasis of its U = Q Λ Qᵀ, from A(0) = 0.
///
/// With B = A Q and P = VᵀQ, the step A ← A − η(α·A U + β·Vᵀ) becomes B ← B − η(α·B Λ + β·P): column j of B is
/// an independent scalar recursion B_j ← (1 − η α λ_j)·B_j − η β·P_j. A step costs O(d·p) instead of the Gram
/// form's d×p·p×p product, and is the same iteration up to rounding. The loss and gradient norm are read in the
/// basis too (Q is orthogonal); A = B Qᵀ is formed only when asked for (checkpoints).
///
/// Shapes: B d×p, P d×p, Q p×p, in `Scalar` (Float32 for training; Float64 checks it against
/// `ClosedFormTrajectory`). A step allocates nothing; it is `@inlinable` so callers get it specialized.
public struct RFEigenDescent<Scalar: BLASScalar>: Sendable {
    public let d: Int
    public let p: Int
    public let alpha: Double
    public let beta: Double
    /// c = E‖ξ‖²/d.
    public let constant: Double
    /// Eigenvalues λ_j of U, ascending.
    public let eigenvalues: [Double]
    /// d×p: P = VᵀQ.
    public let projection: Matrix<Scalar>
    /// p×p: eigenvectors of U (columns).
    public let q: Matrix<Scalar>
    /// d×p: the trained readout in the eigenbasis, B = A Q.
    public var b: Matrix<Scalar> { iterate }
    public var steps: Int { stepCount }
    @usableFromInline var iterate: Matrix<Scalar>
    @usableFromInline var stepCount = 0
    /// The last step's per-mode factors 1 − η α λ_j (kept to avoid allocating per step).
    @usableFromInline var factors: [Scalar]

    @inlinable public init(basis: RFEigenbasis, constant: Double, delta: Double) {
        d = basis.projection.rows
        p = basis.projection.cols
        alpha = 2 * delta / Double(d * p)
        beta = 2 * delta.squareRoot() / (Double(d) * Double(p).squareRoot())
        self.constant = constant
        eigenvalues = basis.eigenvalues
        projection = basis.projection.converted()
        q = basis.q.converted()
        iterate = Matrix(rows: d, cols: p)
        factors = [Scalar](repeating: 1, count: p)
    }

    /// One GD step at learning rate `lr`.
    @inlinable public mutating func step(lr: Double) {
        let (alpha, p) = (alpha, p)
        factors.withUnsafeMutableBufferPointer { f in
            for j in 0..<p { f[j] = Scalar(1 - lr * alpha * eigenvalues[j]) }
        }
        let shift = Scalar(lr * beta)
        factors.withUnsafeBufferPointer { f in
            projection.storage.withUnsafeBufferPointer { pp in
                iterate.storage.withUnsafeMutableBufferPointer { pb in
                    var row = 0
                    while row < pb.count {
                        for j in 0..<p { pb[row + j] = f[j] * pb[row + j] - shift * pp[row + j] }
                        row += p
                    }
                }
            }
        }
        stepCount += 1
    }

    /// L(A) = c + (α/2)·Σ λ_j ‖B_j‖² + β·⟨B, P⟩, accumulated in Float64.
    @inlinable public func loss() -> Double {
        var quadratic = 0.0, linear = 0.0
        b.storage.withUnsafeBufferPointer { pb in
            projection.storage.withUnsafeBufferPointer { pp in
                for i in 0..<d {
                    for j in 0..<p {
                        let x = Double(pb[i * p + j])
                        quadratic += eigenvalues[j] * x * x
                        linear += x * Double(pp[i * p + j])
                    }
                }
            }
        }
        return constant + alpha / 2 * quadratic + beta * linear
    }

    /// ‖∇L(A)‖ (Frobenius) = ‖α·B Λ + β·P‖, since Q is orthogonal.
    @inlinable public func gradientNorm() -> Double {
        var sum = 0.0
        b.storage.withUnsafeBufferPointer { pb in
            projection.storage.withUnsafeBufferPointer { pp in
                for i in 0..<d {
                    for j in 0..<p {
                        let g = alpha * eigenvalues[j] * Double(pb[i * p + j]) + beta * Double(pp[i * p + j])
                        sum += g * g
                    }
                }
            }
        }
        return sum.squareRoot()
    }

    /// The readout A = B Qᵀ (d×p): one d×p·p×p product.
    public var parameters: Matrix<Scalar> { Matrix.product(b, .none, q, .transposed) }

    /// Puts back a saved B and step count (resuming).
    public mutating func restore(b newB: Matrix<Scalar>, steps: Int) {
        precondition(newB.rows == d && newB.cols == p, "B must be \(d)×\(p)")
        iterate = newB
        stepCount = steps
    }
}
