import NumericCore
import Testing
@testable import RandomFeatures

@Suite struct NoiseAverageTests {
    @Test func gaussHermiteIntegratesMoments() {
        let gh = GaussHermite(count: 40)
        #expect(abs(gh.expectation { _ in 1 } - 1) < 1e-12)
        #expect(abs(gh.expectation { $0 * $0 } - 1) < 1e-12)
        #expect(abs(gh.expectation { $0 * $0 * $0 * $0 } - 3) < 1e-10)
        #expect(abs(gh.expectation { cos($0) } - exp(-0.5)) < 1e-12)
    }

    @Test func hermiteCoefficientsOfTanhMatchDirectQuadrature() {
        let gh = GaussHermite(count: 60)
        var c = [Double](repeating: 0, count: 5)
        c.withUnsafeMutableBufferPointer { gh.tanhHermiteCoefficients(a: 0.3, s: 0.7, into: $0) }
        let he3: (Double) -> Double = { $0 * $0 * $0 - 3 * $0 }
        #expect(abs(c[1] - gh.expectation { tanh(0.3 + 0.7 * $0) * $0 }) < 1e-12)
        #expect(abs(c[3] - gh.expectation { tanh(0.3 + 0.7 * $0) * he3($0) }) < 1e-12)
        // Stein's lemma: E[f(a + s g) g] = s·E[f'(a + s g)].
        let stein = 0.7 * gh.expectation { 1 - pow(tanh(0.3 + 0.7 * $0), 2) }
        #expect(abs(c[1] - stein) < 1e-10)
    }

    @Test func coefficientsMatchMonteCarlo() {
        let t = 0.1
        let c = RFCoefficients(t: t)
        var rng = Xoshiro256(seed: 1)
        let gamma = c.gamma2.squareRoot()
        var mu1 = 0.0, norm2 = 0.0
        let count = 200_000
        for _ in 0..<count {
            let z = rng.nextNormal()
            mu1 += tanh(gamma * z) * z
            norm2 += pow(tanh(gamma * z), 2)
        }
        #expect(abs(mu1 / Double(count) - c.mu1) < 5e-3)
        #expect(abs(norm2 / Double(count) - c.sigmaNorm2) < 5e-3)
        #expect(c.v2 > 0 && c.s2 > 0 && c.b > 0)
        // The decomposition of ‖σ‖² into its four parts.
        #expect(abs(c.a * c.a * exp(-2 * t) + c.v2 + c.b * c.b + c.s2 - c.sigmaNorm2) < 1e-12)
    }

    /// Exact E_ξ (Stein + Mehler) against a large Monte-Carlo average over noise draws of the same points.
    @Test func exactNoiseAverageMatchesMonteCarlo() {
        let setting = RFSetting(d: 6, p: 10, n: 3, t: 0.1, seed: 4)
        let instance = RFInstance(setting)
        let exact = RFNoiseAverage.exact(instance)
        var rng = Xoshiro256(seed: 8)
        let draws = 60_000
        let mc = RFNoiseAverage.draws(setting, w: instance.w, x: instance.x, draws: draws, rng: &rng)
        // Monte-Carlo standard error ≈ 1/√(n·draws) ≈ 2.4e-3 per entry at most; allow 5 of them.
        let tol = 5 / Double(setting.n * draws).squareRoot()
        var worstU = 0.0, worstV = 0.0
        for e in 0..<exact.u.count { worstU = max(worstU, abs(exact.u.storage[e] - mc.u.storage[e])) }
        for e in 0..<exact.v.count { worstV = max(worstV, abs(exact.v.storage[e] - mc.v.storage[e])) }
        #expect(worstU < tol, "max |U_exact − U_mc| = \(worstU)")
        #expect(worstV < tol, "max |V_exact − V_mc| = \(worstV)")
        #expect(abs(mc.noiseEnergy - 1) < 0.01)
    }

    /// The population Ũ, Ṽ against Monte Carlo over fresh points and draws.
    @Test func populationMatchesMonteCarlo() {
        let setting = RFSetting(d: 5, p: 8, n: 40_000, t: 0.1, seed: 2)
        let instance = RFInstance(setting)
        let population = RFNoiseAverage.population(instance)
        var rng = Xoshiro256(seed: 3)
        let mc = RFNoiseAverage.draws(setting, w: instance.w, x: instance.x, draws: 2, rng: &rng)
        let tol = 5 / Double(setting.n * 2).squareRoot() * 2
        var worstU = 0.0, worstV = 0.0
        for e in 0..<population.u.count { worstU = max(worstU, abs(population.u.storage[e] - mc.u.storage[e])) }
        for e in 0..<population.v.count { worstV = max(worstV, abs(population.v.storage[e] - mc.v.storage[e])) }
        #expect(worstU < tol, "max |Ũ − U_mc| = \(worstU)")
        #expect(worstV < tol, "max |Ṽ − V_mc| = \(worstV)")
    }
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ScoreErrorTests {
    /// The job's score_error = (L_pop − 1)/Δ_t + 1/Γ_t² (the DSM identity for Gaussian data) equals a direct
    /// Monte-Carlo average of ‖s_A(x_t) + x_t/Γ_t²‖²/d over x_t ~ N(0, Γ_t² I).
    @Test func scoreErrorIdentityMatchesMonteCarlo() {
        let setting = RFSetting(d: 4, p: 16, n: 1, t: 0.1, seed: 9)
        let instance = RFInstance(setting)
        let population = RFQuadraticLoss(RFNoiseAverage.population(instance), delta: setting.delta)
        var rng = Xoshiro256(seed: 10)
        let a = Matrix<Float>(rows: 4, cols: 16, storage: rng.normals(64, std: 0.3))
        var work = Matrix<Float>(rows: 4, cols: 16)
        let gamma2 = exp(-0.2) + setting.delta
        let identity = (population.value(a, work: &work) - 1) / setting.delta + 1 / gamma2
        var total = 0.0
        let count = 100_000
        for _ in 0..<count {
            let x = (0..<4).map { _ in gamma2.squareRoot() * rng.nextNormal() }
            var f = [Double](repeating: 0, count: 16)
            for i in 0..<16 {
                var z = 0.0
                for j in 0..<4 { z += instance.w[i, j] * x[j] }
                f[i] = tanh(z / 2)
            }
            for r in 0..<4 {
                var s = 0.0
                for i in 0..<16 { s += Double(a[r, i]) * f[i] }
                let e = s / 4 + x[r] / gamma2
                total += e * e
            }
        }
        let mc = total / Double(count * 4)
        #expect(abs(mc - identity) / identity < 0.01, "Monte Carlo \(mc) vs identity \(identity)")
    }
}
