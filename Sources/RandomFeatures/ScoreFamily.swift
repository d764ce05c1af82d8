import NumericCore

/// A generative RF model: one score s_t(x) = (A_t/√p)·tanh(W_t x/√d) per diffusion time t of a grid, every A_t
/// trained on the same data from A_t(0) = 0 for the same training time τ (docs/science.md §4; Paper B trains one
/// model per t, this family samples with them).
///
/// A_t(τ) is never iterated: each t keeps the eigendecomposition U_t = Q Λ Qᵀ of its training U (exact noise
/// average) and P = V_tᵀQ, and gradient flow dA/dτ = −d²∇L from zero gives
/// A_t(τ) = −β·P·diag(g)·Qᵀ with g_j = (1 − e^{−α λ_j d² τ})/(α λ_j), α = 2Δ_t/(dp), β = 2√Δ_t/(d√p)
/// (the same modes as `ClosedFormTrajectory`). At τ = ∞, g_j = 1/(α λ_j): the minimizer of t's training loss
/// in the span of the features, which for n ≪ p approaches the empirical score.
///
/// Shapes: W_t p×d, Q p×p (Float32, columns are eigenvectors), P d×p (Float64), A_t d×p.
public struct RFScoreFamily: Sendable {
    /// What one diffusion time keeps.
    public struct Member: Sendable {
        public let t: Double
        /// p×d: frozen features.
        public let w: Matrix<Float>
        /// p×p: eigenvectors of U_t (columns), ascending eigenvalues.
        let q: Matrix<Float>
        /// Eigenvalues of U_t, ascending.
        public let eigenvalues: [Double]
        /// d×p: P = V_tᵀQ.
        let projection: Matrix<Double>
        let alpha: Double
        let beta: Double
    }

    public let d: Int
    public let p: Int
    public let members: [Member]

    /// Builds every U_t, V_t (exact noise average over the rows of `x`, n×d) and decomposes U_t (LAPACK dsyevd).
    /// `base` gives d, p, n, σ_x, the quadrature settings and the seed; its t is ignored. With `.shared`, every t
    /// uses the main run's W (stream `features`); with `.independent`, time k draws W from stream
    /// `generativeFeatures + k`.
    public init(base: RFSetting, x: Matrix<Double>, grid: RFDiffusionGrid, sharing: RFFeatureSharing) throws {
        d = base.d
        p = base.p
        let shared = sharing == .shared ? RFInstance.features(base) : nil
        let times = Array(grid.times.enumerated())
        // The Gram matrices use every BLAS thread; the eigendecompositions then run side by side, one thread each,
        // as many at a time as BLAS has threads (so at most that many p×p Gram matrices are held at once).
        let wave = max(1, BLASRuntime.threads)
        var members: [Member] = []
        for start in stride(from: 0, to: times.count, by: wave) {
            let chunk = times[start..<min(start + wave, times.count)].map { k, t in
                var setting = base
                setting.t = t
                let w = shared ?? RFInstance.features(base, stream: RFInstance.Stream.generativeFeatures.rawValue + UInt64(k))
                return (setting: setting, w: w, gram: RFNoiseAverage.exact(RFInstance(setting: setting, w: w, x: x)))
            }
            let eigens = try SymmetricEigen.decomposeAll(chunk.map(\.gram.u))
            for (c, eigen) in zip(chunk, eigens) {
                let delta = c.setting.delta
                members.append(Member(
                    t: c.setting.t, w: c.w.converted(), q: eigen.vectors.converted(), eigenvalues: eigen.values,
                    projection: Matrix.product(c.gram.v, .transposed, eigen.vectors),
                    alpha: 2 * delta / Double(d * p), beta: 2 * delta.squareRoot() / (Double(d) * Double(p).squareRoot())))
            }
        }
        self.members = members
    }

    public var times: [Double] { members.map(\.t) }

    /// Writes A_t(τ) of member `k` into `a` (d×p); τ = +∞ gives the minimizer. `scaled` (d×p) is scratch.
    public func readout(_ k: Int, tau: Double, into a: inout Matrix<Float>, scaled: inout Matrix<Float>) {
        let m = members[k]
        precondition(a.rows == d && a.cols == p && scaled.rows == d && scaled.cols == p, "readout buffers must be d×p")
        let time = Double(d * d) * tau
        m.eigenvalues.withUnsafeBufferPointer { lambda in
            m.projection.storage.withUnsafeBufferPointer { pp in
                scaled.storage.withUnsafeMutableBufferPointer { c in
                    for j in 0..<p {
                        let x = m.alpha * lambda[j]
                        let g = tau.isInfinite ? 1 / x : (x == 0 ? time : -rfExpm1(-x * time) / x)
                        let f = -m.beta * g
                        for i in 0..<d { c[i * p + j] = Float(f * pp[i * p + j]) }
                    }
                }
            }
        }
        a.gemm(scaled, .none, m.q, .transposed)
    }
}
