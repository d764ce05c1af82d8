/// The Gaussian-equivalence coefficients of σ = tanh at diffusion time t (docs/science.md §4), by
/// Gauss–Hermite quadrature. With Γ_t² = e^{−2t}σ_x² + Δ_t and u, v, z iid N(0, 1):
/// μ_1 = E[σ(Γ_t z) z], ‖σ‖² = E[σ(Γ_t z)²], a_t = μ_1/Γ_t, b_t = √Δ_t μ_1/Γ_t,
/// v_t² = E_u[(E_v σ(e^{−t}σ_x u + √Δ_t v))²] − a_t² e^{−2t} σ_x², s_t² = ‖σ‖² − a_t² e^{−2t} σ_x² − v_t² − b_t².
public struct RFCoefficients: Sendable, Equatable {
    public let t: Double
    public let sigmaX: Double
    public let mu1: Double
    public let sigmaNorm2: Double
    public let a: Double
    public let b: Double
    public let v2: Double
    public let s2: Double

    public init(t: Double, sigmaX: Double = 1, nodes: Int = 80) {
        let gh = GaussHermite(count: nodes)
        let decay = rfExp(-t)
        let delta = -rfExpm1(-2 * t)
        let gamma = (decay * decay * sigmaX * sigmaX + delta).squareRoot()
        self.t = t
        self.sigmaX = sigmaX
        mu1 = gh.expectation { rfTanh(gamma * $0) * $0 }
        sigmaNorm2 = gh.expectation { let y = rfTanh(gamma * $0); return y * y }
        a = mu1 / gamma
        b = delta.squareRoot() * mu1 / gamma
        let signal = a * a * decay * decay * sigmaX * sigmaX
        let noiseMeanSquare = gh.expectation { u in
            let inner = gh.expectation { v in rfTanh(decay * sigmaX * u + delta.squareRoot() * v) }
            return inner * inner
        }
        v2 = noiseMeanSquare - signal
        s2 = sigmaNorm2 - signal - v2 - b * b
    }

    /// Δ_t = 1 − e^{−2t}.
    public var delta: Double { -rfExpm1(-2 * t) }
    /// Γ_t² = e^{−2t}σ_x² + Δ_t, the variance of each coordinate of x_t.
    public var gamma2: Double { rfExp(-2 * t) * sigmaX * sigmaX + delta }
}

/// The asymptotic timescales and bulk edges of Theorem 3.2 for given ψ_p = p/d, ψ_n = n/d.
public struct RFTheoryTimescales: Sendable, Equatable {
    /// [lo, hi] of the bulk ρ_1: s_t² + v_t²(1 ∓ √(ψ_p/ψ_n))².
    public let rho1Edges: (lo: Double, hi: Double)
    /// ψ_p/(Δ_t λ_min), with λ_min the left edge of ρ_1 (τ units).
    public let tauMem: Double
    /// 1/Δ_t (τ units): the scale set by the bulk ρ_2 at λ ~ ψ_p.
    public let tauGen: Double
    /// λ_sc ≈ s_t² + Δ_t v_t² ψ_p/ψ_n: the finite-d cluster below ρ_1 that drives the visible rise of L_test.
    public let lambdaSmallCluster: Double
    /// ψ_p/(Δ_t λ_sc) (τ units): the tau_mem the losses show.
    public let tauMemSmallCluster: Double
    /// The spectrum's three parts and their weights (Theorem 3.2, ψ_p > ψ_n ≫ 1), which sum to 1: the atom at
    /// s_t² (weight 1 − (1 + ψ_n)/ψ_p, clamped at 0), the bulk ρ_1 (ψ_n/ψ_p) and the bulk ρ_2 (1/ψ_p).
    public let atom: (lambda: Double, mass: Double)
    public let rho1Mass: Double
    public let rho2Mass: Double

    public init(coefficients c: RFCoefficients, psiP: Double, psiN: Double) {
        let r = (psiP / psiN).squareRoot()
        let lo = c.s2 + c.v2 * (1 - r) * (1 - r)
        let hi = c.s2 + c.v2 * (1 + r) * (1 + r)
        rho1Edges = (lo, hi)
        tauMem = psiP / (c.delta * lo)
        tauGen = 1 / c.delta
        lambdaSmallCluster = c.s2 + c.delta * c.v2 * psiP / psiN
        tauMemSmallCluster = psiP / (c.delta * lambdaSmallCluster)
        atom = (c.s2, max(1 - (1 + psiN) / psiP, 0))
        rho1Mass = psiN / psiP
        rho2Mass = 1 / psiP
    }

    public static func == (x: RFTheoryTimescales, y: RFTheoryTimescales) -> Bool {
        x.rho1Edges == y.rho1Edges && x.tauMem == y.tauMem && x.tauGen == y.tauGen
            && x.lambdaSmallCluster == y.lambdaSmallCluster && x.atom == y.atom && x.rho1Mass == y.rho1Mass
            && x.rho2Mass == y.rho2Mass
    }
}
