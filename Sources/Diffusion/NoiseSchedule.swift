import Foundation

/// The DDPM noise schedule over steps k = 1…T: x_k = √ᾱ_k x₀ + √(1 − ᾱ_k) ε, with ᾱ_0 = 1.
///
/// In the Ornstein–Uhlenbeck picture of docs/science.md §2, step k is diffusion time t = −½ log ᾱ_k.
public struct NoiseSchedule: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// β linear from 1e−4 to 2e−2 (Ho et al.; both papers).
        case linear
        /// Nichol & Dhariwal's cosine ᾱ with offset s = 0.008, β capped at 0.999.
        case cosine
    }

    public let kind: Kind
    public let steps: Int
    /// ᾱ_k for k = 0…T (index k), in Double.
    public let alphaBar: [Double]

    public init(_ kind: Kind = .linear, steps T: Int = 1000) {
        precondition(T >= 2, "a schedule needs at least 2 steps")
        self.kind = kind
        steps = T
        var ab = [1.0]
        switch kind {
        case .linear:
            var prod = 1.0
            for k in 1...T {
                let beta = 1e-4 + (2e-2 - 1e-4) * Double(k - 1) / Double(T - 1)
                prod *= 1 - beta
                ab.append(prod)
            }
        case .cosine:
            let s = 0.008
            func f(_ k: Int) -> Double { let c = cos((Double(k) / Double(T) + s) / (1 + s) * Double.pi / 2); return c * c }
            var prod = 1.0
            for k in 1...T {
                let beta = min(1 - f(k) / f(k - 1), 0.999)
                prod *= 1 - beta
                ab.append(prod)
            }
        }
        alphaBar = ab
    }

    /// OU diffusion time of step k: −½ log ᾱ_k.
    public func time(ofStep k: Int) -> Double { -0.5 * log(alphaBar[k]) }

    /// The step whose diffusion time is closest to `t` (t = 0.01 ↔ k ≈ 40 for the linear schedule).
    public func step(nearestTime t: Double) -> Int {
        (1...steps).min { abs(time(ofStep: $0) - t) < abs(time(ofStep: $1) - t) }!
    }
}
