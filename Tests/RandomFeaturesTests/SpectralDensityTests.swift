import NumericCore
import Testing
@testable import RandomFeatures
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SpectralDensityTests {
    let coefficients = RFCoefficients(t: 0.1)

    /// The λ at which the mass of ρ on [lo, hi] reaches each fraction in `qs`.
    static func quantiles(grid: [Double], rho: [Double], lo: Double, hi: Double, _ qs: [Double]) -> [Double] {
        let idx = grid.indices.filter { grid[$0] >= lo && grid[$0] <= hi }
        var cumulative = [0.0]
        for k in idx.dropFirst() { cumulative.append(cumulative.last! + (grid[k] - grid[k - 1]) * (rho[k] + rho[k - 1]) / 2) }
        let total = cumulative.last!
        return qs.map { q in
            let target = q * total
            let j = cumulative.firstIndex { $0 >= target }!
            if j == 0 { return grid[idx[0]] }
            let f = (target - cumulative[j - 1]) / (cumulative[j] - cumulative[j - 1])
            return grid[idx[j - 1]] + f * (grid[idx[j]] - grid[idx[j - 1]])
        }
    }

    /// Far from the real axis q(z) ≈ −1/z (a unit mass).
    @Test func resolventIsNormalized() throws {
        let solver = SpectralDensity(coefficients: coefficients, psiP: 16, psiN: 2)
        let q = try #require(solver.resolvent(at: 0, epsilon: 1e5))
        let z = Complex(0, 1e5)
        let expected = -1 / z
        #expect(abs(q.im - expected.im) / abs(expected.im) < 1e-3)
    }

    /// Theorem 3.1 at ψ_p > ψ_n ≫ 1 reproduces the ρ_1 edges of Theorem 3.2, and the masses ψ_n/ψ_p and 1/ψ_p.
    @Test func largePsiLimitReproducesTheorem32() {
        let psiN = 2000.0, psiP = 8000.0
        let solver = SpectralDensity(coefficients: coefficients, psiP: psiP, psiN: psiN)
        let edges = RFTheoryTimescales(coefficients: coefficients, psiP: psiP, psiN: psiN).rho1Edges
        let grid = logGrid(from: edges.lo * 0.7, to: edges.hi * 1.3, count: 600)
        let support = DensitySupport(grid: grid, rho: solver.density(on: grid))
        let rho1 = support.pieces.max { $0.mass < $1.mass }!
        #expect(abs(rho1.lo - edges.lo) / edges.lo < 0.02, "left edge \(rho1.lo) vs \(edges.lo)")
        #expect(abs(rho1.hi - edges.hi) / edges.hi < 0.02, "right edge \(rho1.hi) vs \(edges.hi)")
        #expect(abs(rho1.mass - psiN / psiP) / (psiN / psiP) < 0.02, "ρ_1 mass \(rho1.mass)")
    }

    /// The bulk ρ_2 carries mass 1/ψ_p and ρ_1 (with the finite-ψ cluster below it) ψ_n/ψ_p.
    @Test func bulkMasses() {
        for (psiP, psiN) in [(64.0, 4.0), (16.0, 2.0)] {
            let solver = SpectralDensity(coefficients: coefficients, psiP: psiP, psiN: psiN)
            let grid = solver.defaultGrid(count: 1500)
            let support = DensitySupport(grid: grid, rho: solver.density(on: grid))
            let rho2 = support.pieces.last!
            #expect(rho2.lo > 1, "ρ_2 starts at \(rho2.lo)")
            #expect(abs(rho2.mass - 1 / psiP) * psiP < 0.01, "ρ_2 mass \(rho2.mass) at ψ_p = \(psiP)")
            let rho = solver.density(on: grid)
            var below = 0.0
            for k in 1..<grid.count where grid[k - 1] > coefficients.s2 * 1.1 && grid[k] < rho2.lo {
                below += (grid[k] - grid[k - 1]) * (rho[k] + rho[k - 1]) / 2
            }
            #expect(abs(below - psiN / psiP) / (psiN / psiP) < 0.02, "ρ_1 mass \(below) at ψ_p = \(psiP)")
        }
    }

    /// Against the exact U at d = 100, p = 1600, n = 200: the 5% and 95% mass points of ρ_2 (top d eigenvalues)
    /// and the 95% point of ρ_1 (the next n) within 5%. ρ_1's lower side overlaps the finite-d spread of the
    /// s_t² spike (which pushes the n-th eigenvalue up), so its 10% point is held to 10% (5.3% at this seed).
    /// About 8 s in a debug build: set GENWINDOW_HEAVY_TESTS=1.
    @Test(.enabled(if: getenv("GENWINDOW_HEAVY_TESTS") != nil))
    func theoryMatchesEmpiricalSpectrumAtD100() throws {
        let setting = RFSetting(d: 100, p: 1600, n: 200, t: 0.1, seed: 1)
        let u = RFNoiseAverage.exact(RFInstance(setting)).u
        let eigenvalues = Array(try SymmetricEigen(u, computeVectors: false).values.reversed())
        let solver = SpectralDensity(coefficients: coefficients, psiP: setting.psiP, psiN: setting.psiN)
        let grid = solver.defaultGrid(count: 2000)
        let rho = solver.density(on: grid)
        let support = DensitySupport(grid: grid, rho: rho)
        let rho2 = support.pieces.last!
        let rho1 = support.pieces.dropLast().max { $0.mass < $1.mass }!
        func empirical(_ values: ArraySlice<Double>, _ q: Double) -> Double {
            let sorted = values.sorted()
            return sorted[Int((q * Double(sorted.count - 1)).rounded())]
        }
        let top = eigenvalues[0..<setting.d], next = eigenvalues[setting.d..<(setting.d + setting.n)]
        let t2 = Self.quantiles(grid: grid, rho: rho, lo: rho2.lo, hi: rho2.hi, [0.05, 0.95])
        let t1 = Self.quantiles(grid: grid, rho: rho, lo: rho1.lo, hi: rho1.hi, [0.10, 0.95])
        let edges = [(t2[0], empirical(top, 0.05), 0.05), (t2[1], empirical(top, 0.95), 0.05),
                     (t1[1], empirical(next, 0.95), 0.05), (t1[0], empirical(next, 0.10), 0.10)]
        for (theory, measured, tolerance) in edges {
            #expect(abs(theory - measured) / measured < tolerance, "theory \(theory) vs empirical \(measured)")
        }
    }
}
