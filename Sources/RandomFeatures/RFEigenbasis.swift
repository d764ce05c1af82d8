import NumericCore

/// The eigenbasis of a training U = Q Λ Qᵀ and the loss terms projected onto it, computed once in Float64
/// (LAPACK dsyevd) and shared by the closed-form trajectory and the eigenbasis solver (docs/science.md §4).
///
/// Shapes: Q p×p (columns are eigenvectors, ascending eigenvalues), P = VᵀQ d×p.
public struct RFEigenbasis: Sendable {
    /// Eigenvalues of U, ascending.
    public let eigenvalues: [Double]
    /// p×p.
    public let q: Matrix<Double>
    /// d×p: P = VᵀQ.
    public let projection: Matrix<Double>

    public init(_ train: RFGram) throws {
        let eigen = try SymmetricEigen(train.u)
        eigenvalues = eigen.values
        q = eigen.vectors
        projection = Matrix.product(train.v, .transposed, q)
    }

    /// A basis decomposed elsewhere (benchmarks: a step's cost depends on the shapes only).
    public init(eigenvalues: [Double], q: Matrix<Double>, projection: Matrix<Double>) {
        precondition(q.rows == eigenvalues.count && q.cols == eigenvalues.count && projection.cols == eigenvalues.count,
                     "Q must be p×p and P d×p for p eigenvalues")
        self.eigenvalues = eigenvalues
        self.q = q
        self.projection = projection
    }

    /// Another Gram form (test or population) in this basis: QᵀŨQ (p×p) and ṼᵀQ (d×p).
    ///
    /// QᵀŨQ is XᵀX with X = LᵀQ, Ũ = LLᵀ (`Matrix.congruence(positiveDefiniteBy:)`: 7p³/3 flops instead of the two
    /// products' 4p³); a Ũ that is not numerically positive definite (a draws-mode form from fewer inputs than p)
    /// takes the two products.
    public func project(_ other: RFGram) -> (quadratic: Matrix<Double>, linear: Matrix<Double>) {
        let quadratic = other.u.congruence(positiveDefiniteBy: q)
            ?? Matrix.product(q, .transposed, Matrix.product(other.u, .none, q))
        return (quadratic, Matrix.product(other.v, .transposed, q))
    }

    /// The flops of `project` for p features and d dimensions by the Cholesky route.
    public static func projectionFlops(p: Int, d: Int) -> Double {
        let pp = Double(p)
        return 7 * pp * pp * pp / 3 + 2 * Double(d) * pp * pp
    }
}
