import Foundation
import Metrics
import NumericCore
import Testing
@testable import RandomFeatures

/// Exact scores of known distributions, to test the sampler apart from any model.
enum ExactScores {
    /// x_0 ~ N(0, σ² I): s_t(x) = −x/(e^{−2t}σ² + Δ_t).
    struct Gaussian: DiffusionScore {
        let times: [Double]
        let sigma: Double
        mutating func evaluate(time k: Int, at x: Matrix<Float>, into out: inout Matrix<Float>) {
            let t = times[k]
            let variance = exp(-2 * t) * sigma * sigma + (1 - exp(-2 * t))
            for i in 0..<x.storage.count { out.storage[i] = Float(-Double(x.storage[i]) / variance) }
        }
    }

    /// The empirical optimum (docs/science.md §1): the score of (1/n) Σ_ν N(e^{−t}x_ν, Δ_t I),
    /// s_t(y) = (e^{−t}D(y) − y)/Δ_t with D(y) = Σ_ν softmax_ν(−‖y − e^{−t}x_ν‖²/(2Δ_t)) x_ν.
    struct Empirical: DiffusionScore {
        let times: [Double]
        let points: Matrix<Double>
        mutating func evaluate(time k: Int, at x: Matrix<Float>, into out: inout Matrix<Float>) {
            let t = times[k], decay = exp(-t), delta = 1 - exp(-2 * t)
            let n = points.rows, d = points.cols
            for r in 0..<x.rows {
                var logits = [Double](repeating: 0, count: n)
                for nu in 0..<n {
                    var s = 0.0
                    for j in 0..<d { let e = Double(x[r, j]) - decay * points[nu, j]; s += e * e }
                    logits[nu] = -s / (2 * delta)
                }
                let top = logits.max()!
                let weights = logits.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for j in 0..<d {
                    var mean = 0.0
                    for nu in 0..<n { mean += weights[nu] * points[nu, j] }
                    out[r, j] = Float((decay * mean / total - Double(x[r, j])) / delta)
                }
            }
        }
    }
}

@Suite struct SamplerTests {
    /// With the exact score of N(0, σ²I) and a fine grid, both samplers give the data's law. (At coarse grids both
    /// lose variance: the discretization, and Tweedie's denoiser at t_min, which returns a posterior mean.)
    @Test(arguments: ReverseDiffusionSampler.Kind.allCases)
    func exactGaussianScoreGivesTheDataVariance(kind: ReverseDiffusionSampler.Kind) {
        let grid = RFDiffusionGrid(count: 400, tMin: 1e-4, tMax: 8)
        for sigma in [0.5, 2.0] {
            var score = ExactScores.Gaussian(times: grid.times, sigma: sigma)
            var sampler = ReverseDiffusionSampler(kind: kind, count: 4000, dimension: 3, seed: 1, stream: 9)
            sampler.run(&score)
            let x = sampler.samples.storage.map(Double.init)
            let mean = x.reduce(0, +) / Double(x.count)
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
            #expect(abs(mean) < 0.05 * sigma)
            #expect(abs(variance / (sigma * sigma) - 1) < 0.05, "σ = \(sigma): variance \(variance)")
        }
    }

    @Test(arguments: ReverseDiffusionSampler.Kind.allCases)
    func empiricalOptimumReproducesTrainingPoints(kind: ReverseDiffusionSampler.Kind) {
        var rng = Xoshiro256(seed: 4)
        let points = Matrix<Double>(rows: 5, cols: 2, storage: rng.normals(10))
        var score = ExactScores.Empirical(times: RFDiffusionGrid(count: 30, tMin: 0.005, tMax: 4).times, points: points)
        var sampler = ReverseDiffusionSampler(kind: kind, count: 200, dimension: 2, seed: 2, stream: 9)
        sampler.run(&score)
        let mem = MemorizedFraction.measure(samples: sampler.samples, training: points.converted(), bootstrapResamples: 0)
        #expect(mem.memFrac >= 0.95)
    }

    @Test func rerunsAreIdenticalAndSeedsDiffer() {
        var score = ExactScores.Gaussian(times: RFDiffusionGrid(count: 5, tMin: 0.01, tMax: 2).times, sigma: 1)
        var a = ReverseDiffusionSampler(kind: .sde, count: 10, dimension: 2, seed: 3, stream: 9)
        a.run(&score)
        let first = a.samples
        a.run(&score)
        #expect(a.samples == first)
        var b = ReverseDiffusionSampler(kind: .sde, count: 10, dimension: 2, seed: 4, stream: 9)
        b.run(&score)
        #expect(b.samples != first)
    }
}

@Suite struct ScoreFamilyTests {
    static let base = RFSetting(d: 3, p: 40, n: 6, t: 0.1, seed: 7)

    /// A_t(τ) from the family, as Float64.
    static func readout(_ family: RFScoreFamily, _ k: Int, tau: Double) -> Matrix<Double> {
        var a = Matrix<Float>(rows: family.d, cols: family.p), scaled = a
        family.readout(k, tau: tau, into: &a, scaled: &scaled)
        return a.converted()
    }

    /// ∇L_train(A) = α·A U + β·Vᵀ in Float64.
    static func gradient(_ a: Matrix<Double>, _ gram: RFGram, delta: Double) -> Matrix<Double> {
        let d = a.rows, p = a.cols
        var g = gram.v.transposed()
        let beta = 2 * delta.squareRoot() / (Double(d) * Double(p).squareRoot())
        for i in 0..<g.storage.count { g.storage[i] *= beta }
        g.gemm(a, .none, gram.u, .none, alpha: 2 * delta / Double(d * p), beta: 1)
        return g
    }

    static func norm(_ m: Matrix<Double>) -> Double { m.storage.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    @Test func readoutFollowsGradientFlowAndMatchesTheClosedFormLosses() throws {
        let grid = RFDiffusionGrid(times: [0.05, 0.3])
        let instance = RFInstance(Self.base)
        let family = try RFScoreFamily(base: Self.base, x: instance.x, grid: grid, sharing: .shared)
        for (k, t) in grid.times.enumerated() {
            var setting = Self.base
            setting.t = t
            let train = RFNoiseAverage.exact(RFInstance(setting: setting, w: instance.w, x: instance.x))
            let closed = try ClosedFormTrajectory(train: train, test: RFNoiseAverage.population(instance), delta: setting.delta)
            let loss = RFQuadraticLoss(train, delta: setting.delta)
            for tau in [0.5, 20.0, 2000.0] {
                // dA/dτ = −d²∇L, by central differences in τ.
                let h = 1e-2 * tau
                let plus = Self.readout(family, k, tau: tau + h), minus = Self.readout(family, k, tau: tau - h)
                var derivative = plus
                for i in 0..<derivative.storage.count { derivative.storage[i] = (plus.storage[i] - minus.storage[i]) / (2 * h) }
                var flow = Self.gradient(Self.readout(family, k, tau: tau), train, delta: setting.delta)
                for i in 0..<flow.storage.count { flow.storage[i] *= -Double(setting.d * setting.d) }
                var difference = derivative
                for i in 0..<difference.storage.count { difference.storage[i] -= flow.storage[i] }
                #expect(Self.norm(difference) < 2e-3 * Self.norm(flow), "t = \(t), τ = \(tau)")
                var work = Matrix<Float>(rows: setting.d, cols: setting.p)
                let measured = loss.value(Self.readout(family, k, tau: tau).converted(), work: &work)
                let predicted = closed.losses(tau: tau).train
                #expect(abs(measured - predicted) < 1e-4 * abs(predicted), "t = \(t), τ = \(tau)")
            }
            // τ = ∞: the minimizer, where the gradient vanishes.
            let gradient = Self.gradient(Self.readout(family, k, tau: .infinity), train, delta: setting.delta)
            #expect(Self.norm(gradient) < 1e-3 * Self.norm(Self.gradient(Matrix(rows: 3, cols: 40), train, delta: setting.delta)))
        }
    }

    @Test func sharedFeaturesAreTheRunsAndIndependentOnesDiffer() throws {
        let grid = RFDiffusionGrid(times: [0.1, 0.5])
        let instance = RFInstance(Self.base)
        let shared = try RFScoreFamily(base: Self.base, x: instance.x, grid: grid, sharing: .shared)
        let independent = try RFScoreFamily(base: Self.base, x: instance.x, grid: grid, sharing: .independent)
        let w: Matrix<Float> = instance.w.converted()
        #expect(shared.members.allSatisfy { $0.w == w })
        #expect(independent.members[0].w != w && independent.members[1].w != w)
        #expect(independent.members[0].w != independent.members[1].w)
    }
}
