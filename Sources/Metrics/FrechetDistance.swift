import NumericCore

/// A Fréchet distance that cannot be computed.
public struct FrechetDistanceError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Fréchet distance between Gaussian fits, FD = ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁Σ₂)^{1/2} (docs/science.md §7;
/// FID when the features are Inception's, the squared 2-Wasserstein distance for Gaussians).
///
/// All in Float64. Tr (Σ₁Σ₂)^{1/2} = Tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}, the root of a symmetric positive
/// semi-definite matrix, so symmetric factorizations (Cholesky or dsyevd) replace a general matrix square root.
/// Eigenvalues at the rounding-noise level, |λ| ≤ d·ε·λ_max (ε = 2⁻⁵²), are set to 0: rank-deficient covariances
/// (fewer samples than dimensions) have many such eigenvalues, negative ones would make the root undefined, and
/// the square roots of positive noise would add up to an O(d·√ε·‖Σ‖) error. This keeps FD finite and FD(X, X)
/// at rounding level where `scipy.linalg.sqrtm` needs an ε·I offset.
public enum FrechetDistance {
    public static func between(_ a: GaussianStatistics, _ b: GaussianStatistics) throws -> Double {
        guard a.dimension == b.dimension else {
            throw FrechetDistanceError("feature dimensions differ: \(a.dimension) vs \(b.dimension)")
        }
        let d = a.dimension
        var meanTerm = 0.0, traceA = 0.0, traceB = 0.0
        for k in 0..<d {
            let t = a.mean[k] - b.mean[k]
            meanTerm += t * t
            traceA += a.covariance[k, k]
            traceB += b.covariance[k, k]
        }
        let cross = try traceOfSqrtProduct(a.covariance, b.covariance)
        let fd = meanTerm + traceA + traceB - 2 * cross
        guard fd.isFinite else { throw FrechetDistanceError("Fréchet distance is not finite (non-finite features?)") }
        return fd
    }

    /// FD between the Gaussian fits of two feature sets (rows are samples, equal column counts).
    public static func between(_ a: Matrix<Float>, _ b: Matrix<Float>) throws -> Double {
        guard a.cols == b.cols else { throw FrechetDistanceError("feature dimensions differ: \(a.cols) vs \(b.cols)") }
        guard a.rows >= 2, b.rows >= 2 else {
            throw FrechetDistanceError("need at least 2 samples in each set, got \(a.rows) and \(b.rows)")
        }
        return try between(GaussianStatistics(features: a), GaussianStatistics(features: b))
    }

    /// Tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2} for symmetric positive semi-definite Σ₁, Σ₂ (d×d): Σ √μ over the
    /// eigenvalues μ of a symmetric matrix congruent to Σ₁^{1/2} Σ₂ Σ₁^{1/2}, built from a factor F with Σ₁ = F·Fᵀ
    /// as Fᵀ Σ₂ F (same eigenvalues as Σ₁Σ₂).
    ///
    /// F is the Cholesky factor when Σ₁ is positive definite (dpotrf + two dtrmm), else V·diag(√λ) from the
    /// eigendecomposition Σ₁ = V·diag(λ)·Vᵀ with noise-level λ taken as 0 (dsyevd + two dgemm).
    public static func traceOfSqrtProduct(_ s1: Matrix<Double>, _ s2: Matrix<Double>) throws -> Double {
        precondition(s1.rows == s1.cols && s2.rows == s2.cols && s1.rows == s2.rows, "covariance shapes differ")
        let d = s1.rows
        if d == 0 { return 0 }
        var m: Matrix<Double>                           // d×d: Fᵀ·Σ₂·F
        if let l = s1.choleskyLower() {
            m = s2.congruence(byLower: l)
        } else {
            let e1 = try SymmetricEigen(s1)
            let floor1 = noiseFloor(e1.values)
            var w = e1.vectors                          // d×d: F = V·diag(√λ)
            w.storage.withUnsafeMutableBufferPointer { v in
                for j in 0..<d {
                    let f = e1.values[j] > floor1 ? e1.values[j].squareRoot() : 0
                    for i in 0..<d { v[i * d + j] *= f }
                }
            }
            var t = Matrix<Double>(rows: d, cols: d)    // d×d: Σ₂·F
            t.gemm(s2, .none, w, .none)
            m = Matrix<Double>(rows: d, cols: d)
            m.gemm(w, .transposed, t, .none)
        }
        symmetrizeByAveraging(&m)
        let eigen = try SymmetricEigen(m, computeVectors: false)
        let floor = noiseFloor(eigen.values)
        return eigen.values.reduce(0) { $0 + ($1 > floor ? $1.squareRoot() : 0) }
    }

    /// d·ε·λ_max for ascending eigenvalues of a d×d symmetric matrix: the size of its rounding noise.
    static func noiseFloor(_ ascending: [Double]) -> Double {
        Double(ascending.count) * Double.ulpOfOne * max(ascending.last ?? 0, 0)
    }

    /// Replaces `m` by (m + mᵀ)/2, removing the rounding asymmetry of a product that is symmetric in theory.
    static func symmetrizeByAveraging(_ m: inout Matrix<Double>) {
        let d = m.rows
        m.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<d {
                for j in (i + 1)..<d {
                    let v = 0.5 * (p[i * d + j] + p[j * d + i])
                    p[i * d + j] = v
                    p[j * d + i] = v
                }
            }
        }
    }
}
