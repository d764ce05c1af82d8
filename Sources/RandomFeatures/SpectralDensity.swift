/// The asymptotic spectral density of U (Theorem 3.1 of Paper B, isotropic data), by solving its fixed-point
/// equations at z = λ + iε with continuation in ε.
///
/// Unknowns q(z) = (1/p)Tr(U − z)⁻¹ and r (= s):
///   D = 1 + (a_t² e^{−2t} ψ_p/ψ_n)·r + (ψ_p v_t²/ψ_n)·q,   r = 1/(b_t²ψ_p + 1/q + ψ_p a_t² e^{−2t}/D),
///   ψ_p(s_t² − z) + ψ_p v_t²/D + (1 − ψ_p)/q − r/q² = 0,
/// and ρ(λ) = Im q(λ + i0⁺)/π. Newton's method on the two complex equations, starting from q = r = −1/z at a
/// large ε and reusing each solution as the start at the next, smaller ε.
public struct SpectralDensity: Sendable {
    public let coefficients: RFCoefficients
    public let psiP: Double
    public let psiN: Double

    public init(coefficients: RFCoefficients, psiP: Double, psiN: Double) {
        self.coefficients = coefficients
        self.psiP = psiP
        self.psiN = psiN
    }

    /// ρ(λ), with the final imaginary part `epsilon` (smaller resolves edges better; must stay > 0).
    public func density(at lambda: Double, epsilon: Double) -> Double {
        guard let q = resolvent(at: lambda, epsilon: epsilon) else { return .nan }
        return max(0, q.im) / Double.pi
    }

    /// ρ on each λ of `grid`.
    public func density(on grid: [Double], relativeEpsilon: Double = 1e-7) -> [Double] {
        grid.map { density(at: $0, epsilon: max(relativeEpsilon * $0, 1e-12)) }
    }

    /// q(λ + iε) by continuation from ε₀ = 10·(|λ| + ψ_p) down to `epsilon`; nil when Newton fails to converge.
    public func resolvent(at lambda: Double, epsilon: Double) -> Complex? {
        var eps = max(epsilon, 10 * (abs(lambda) + psiP))
        var z = Complex(lambda, eps)
        var q = -1 / z
        var r = q
        while true {
            z = Complex(lambda, eps)
            guard let solved = newton(z: z, q: q, r: r) else { return nil }
            (q, r) = solved
            if eps <= epsilon { return q }
            eps = max(epsilon, eps * 0.7)
        }
    }

    /// Newton iterations on (F1, F2) = 0 from (q, r); nil if not converged.
    func newton(z: Complex, q q0: Complex, r r0: Complex) -> (Complex, Complex)? {
        let c = coefficients
        let e2t = rfExp(-2 * c.t)
        let kr = c.a * c.a * e2t * psiP / psiN
        let kq = psiP * c.v2 / psiN
        let cr = psiP * c.a * c.a * e2t
        let b2p = c.b * c.b * psiP
        var q = q0, r = r0
        for _ in 0..<100 {
            let dd = 1 + kr * r + kq * q
            let e = b2p + 1 / q + cr / dd
            let f1 = r - 1 / e
            let f2 = psiP * (c.s2 - z) + psiP * c.v2 / dd + (1 - psiP) / q - r / (q * q)
            let dd2 = dd * dd, q2 = q * q
            let deq = -1 / q2 - cr * kq / dd2
            let der = -cr * kr / dd2
            let e2 = e * e
            let j11 = deq / e2, j12 = 1 + der / e2
            let j21 = -psiP * c.v2 * kq / dd2 - (1 - psiP) / q2 + 2 * r / (q2 * q)
            let j22 = -psiP * c.v2 * kr / dd2 - 1 / q2
            let det = j11 * j22 - j12 * j21
            if det.magnitude == 0 || !det.magnitude.isFinite { return nil }
            var dq = (j22 * f1 - j12 * f2) / det
            var dr = (j11 * f2 - j21 * f1) / det
            // Damp steps that would move q by more than half its size.
            let limit = 0.5 * q.magnitude
            if dq.magnitude > limit {
                let shrink = limit / dq.magnitude
                dq = dq * shrink
                dr = dr * shrink
            }
            q = q - dq
            r = r - dr
            if dq.magnitude <= 1e-13 * q.magnitude && dr.magnitude <= 1e-13 * max(r.magnitude, 1e-300) {
                return (q, r)
            }
        }
        return nil
    }
}

/// A minimal complex number for the fixed-point solver.
public struct Complex: Sendable, Equatable {
    public var re: Double
    public var im: Double
    public init(_ re: Double, _ im: Double) { self.re = re; self.im = im }

    public var magnitude: Double { (re * re + im * im).squareRoot() }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static func * (a: Complex, b: Complex) -> Complex { Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re) }
    static func / (a: Complex, b: Complex) -> Complex {
        let den = b.re * b.re + b.im * b.im
        return Complex((a.re * b.re + a.im * b.im) / den, (a.im * b.re - a.re * b.im) / den)
    }
    static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    static func + (a: Double, b: Complex) -> Complex { Complex(a + b.re, b.im) }
    static func - (a: Double, b: Complex) -> Complex { Complex(a - b.re, -b.im) }
    static func * (a: Double, b: Complex) -> Complex { Complex(a * b.re, a * b.im) }
    static func * (a: Complex, b: Double) -> Complex { Complex(a.re * b, a.im * b) }
    static func / (a: Double, b: Complex) -> Complex { Complex(a, 0) / b }
    static func / (a: Complex, b: Double) -> Complex { Complex(a.re / b, a.im / b) }
}

extension SpectralDensity {
    /// A log-spaced λ grid that covers ρ_1 and ρ_2 but not the spike at s_t²: from s_t² + 10⁻³v_t² up to three
    /// times the scale of ρ_2, ψ_p(b_t² + a_t²e^{−2t}σ_x² + v_t²/ψ_n), past the right edge of ρ_1.
    public func defaultGrid(count: Int) -> [Double] {
        let c = coefficients
        let r = (psiP / psiN).squareRoot()
        let rho1Hi = c.s2 + c.v2 * (1 + r) * (1 + r)
        let rho2Scale = psiP * (c.b * c.b + c.a * c.a * rfExp(-2 * c.t) * c.sigmaX * c.sigmaX + c.v2 / psiN)
        return logGrid(from: c.s2 + 1e-3 * c.v2, to: 3 * max(rho2Scale, rho1Hi) + c.s2, count: count)
    }
}
