import NumericCore

/// The exact train and test losses of GD / gradient flow from A(0) = 0, in the eigenbasis of the training U
/// (docs/science.md §4).
///
/// With U = Q Λ Qᵀ and P = VᵀQ (d×p), mode j of B = A Q evolves as b_j = −β·g_j·P_j with
/// g_j = (1 − e_j)/(α λ_j), where e_j is the mode's remaining fraction: e^{−α λ_j d² τ} under gradient flow
/// (dA/dτ = −d²∇L), Π_k (1 − η_k α λ_j) under discrete GD. Then
/// L_train = c + β² Σ_j π_j g_j (α λ_j g_j/2 − 1) with π_j = ‖P_j‖², and
/// L_test = c̃ + β² (α/2·gᵀ M g − Σ_j g_j m_j) with M = (PᵀP) ∘ (QᵀŨQ), m_j = (QᵀṼ)_j·P_j.
public struct ClosedFormTrajectory: Sendable {
    public let d: Int
    public let p: Int
    /// Eigenvalues of U, ascending.
    public let eigenvalues: [Double]
    let alpha: Double
    let beta: Double
    let trainConstant: Double
    let testConstant: Double
    /// π_j = ‖Vᵀq_j‖².
    let pi: [Double]
    /// p×p: M = (PᵀP) ∘ (QᵀŨQ).
    let m: Matrix<Double>
    /// m_j = (QᵀṼ)_j · P_j.
    let mLinear: [Double]

    /// Decomposes the training U (LAPACK dsyevd) and projects the test quadratic form onto its eigenvectors.
    public init(train: RFGram, test: RFGram, delta: Double) throws {
        let basis = try RFEigenbasis(train)
        self.init(basis: basis, trainConstant: train.noiseEnergy, test: basis.project(test),
                  testConstant: test.noiseEnergy, delta: delta)
    }

    /// From a decomposed training U and the test form in its basis (`RFEigenbasis.project`).
    public init(basis: RFEigenbasis, trainConstant: Double, test: (quadratic: Matrix<Double>, linear: Matrix<Double>),
                testConstant: Double, delta: Double) {
        let projected = basis.projection                                 // P: d×p
        let d = projected.rows, p = projected.cols
        self.p = p
        self.d = d
        alpha = 2 * delta / Double(d * p)
        beta = 2 * delta.squareRoot() / (Double(d) * Double(p).squareRoot())
        self.trainConstant = trainConstant
        self.testConstant = testConstant
        eigenvalues = basis.eigenvalues
        pi = (0..<p).map { j in (0..<d).reduce(0.0) { $0 + projected[$1, j] * projected[$1, j] } }
        var h = Matrix<Double>(rows: p, cols: p)                         // PᵀP
        h.syrk(projected, .transposed)
        var k = test.quadratic                                           // QᵀŨQ
        k.storage.withUnsafeMutableBufferPointer { pk in
            h.storage.withUnsafeBufferPointer { ph in for e in 0..<pk.count { pk[e] *= ph[e] } }
        }
        m = k
        let tv = test.linear                                             // ṼᵀQ: d×p
        mLinear = (0..<p).map { j in (0..<d).reduce(0.0) { $0 + tv[$1, j] * projected[$1, j] } }
    }

    /// The weights g_j under gradient flow at training time τ: (1 − e^{−α λ_j d² τ})/(α λ_j).
    public func flowWeights(tau: Double) -> [Double] {
        let time = Double(d * d) * tau
        return eigenvalues.map { lambda in
            let x = alpha * lambda
            return x == 0 ? time : -rfExpm1(-x * time) / x
        }
    }

    /// The weights g_j = (1 − e_j)/(α λ_j) for remaining fractions e_j (discrete GD: Π_k (1 − η_k α λ_j)).
    public func weights(remaining: [Double], elapsedTime: Double) -> [Double] {
        (0..<p).map { j in
            let x = alpha * eigenvalues[j]
            return x == 0 ? elapsedTime : (1 - remaining[j]) / x
        }
    }

    /// Multiplies the remaining fractions by one GD step's factors 1 − η α λ_j.
    public func advance(remaining: inout [Double], lr: Double) {
        for j in 0..<p { remaining[j] *= 1 - lr * alpha * eigenvalues[j] }
    }

    /// (train, test) losses for mode weights g.
    public func losses(weights g: [Double]) -> (train: Double, test: Double) {
        var train = 0.0, linear = 0.0
        for j in 0..<p {
            train += pi[j] * g[j] * (alpha * eigenvalues[j] * g[j] / 2 - 1)
            linear += g[j] * mLinear[j]
        }
        var mg = [Double](repeating: 0, count: p)
        m.gemv(x: g, into: &mg)
        var quadratic = 0.0
        for j in 0..<p { quadratic += g[j] * mg[j] }
        return (trainConstant + beta * beta * train, testConstant + beta * beta * (alpha / 2 * quadratic - linear))
    }

    /// (train, test) under gradient flow at τ.
    public func losses(tau: Double) -> (train: Double, test: Double) {
        losses(weights: flowWeights(tau: tau))
    }
}
