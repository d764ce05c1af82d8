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
    public func project(_ other: RFGram) -> (quadratic: Matrix<Double>, linear: Matrix<Double>) {
        let uq = Matrix.product(other.u, .none, q)
        return (Matrix.product(q, .transposed, uq), Matrix.product(other.v, .transposed, q))
    }
}
