import Metrics
import NumericCore
import Testing
@testable import RandomFeatures

/// The generative RF model's memorization physics on tiny problems, at d = 8 (a sample passes the k = 1/3 test
/// by chance with probability about k^d ≈ 2·10⁻⁴, so f_mem ≈ 0 means novel samples).
@Suite struct GenerativePhysicsTests {
    /// (f_mem, FID) of 200 RF samples at each τ; FID in data features against 2,000 fresh Gaussian points.
    static func measure(d: Int, p: Int, n: Int, taus: [Double]) throws -> [(memFrac: Double, fid: Double)] {
        let setting = RFSetting(d: d, p: p, n: n, t: 0.1, hermiteOrder: 6, quadratureNodes: 24, seed: 11)
        let instance = RFInstance(setting)
        let grid = RFDiffusionGrid(count: 8, tMin: 0.01, tMax: 3)
        let family = try RFScoreFamily(base: setting, x: instance.x, grid: grid, sharing: .shared)
        var scores = RFScoreBatch(family: family, batch: 200)
        var sampler = ReverseDiffusionSampler(kind: .ode, count: 200, dimension: d, seed: 1, stream: 7)
        var rng = Xoshiro256(seed: 2)
        let held = Matrix<Float>(rows: 2000, cols: d, storage: rng.normals(2000 * d))
        let reference = try FrechetReference(testSplit: held, size: 2000, seed: 0, space: DataFeatureSpace())
        let training: Matrix<Float> = instance.x.converted()
        return try taus.map { tau in
            scores.setTrainingTime(tau)
            sampler.run(&scores)
            let mem = MemorizedFraction.measure(samples: sampler.samples, training: training, bootstrapResamples: 0)
            return (mem.memFrac, try reference.distance(to: sampler.samples, in: DataFeatureSpace()))
        }
    }

    /// n ≪ p: novel samples early, when FID has made most of its drop; at long τ (up to the minimizer of each
    /// t's loss, τ = ∞) the samples fall onto training points.
    @Test func fewPointsAreMemorizedLateNotEarly() throws {
        let taus = [1, 5, 20, 1e3, 1e5, .infinity]
        let m = try Self.measure(d: 8, p: 256, n: 4, taus: taus)
        let early = m[0...2], late = m[3...]
        #expect(early.allSatisfy { $0.memFrac <= 0.01 })
        let best = m.map(\.fid).min()!
        #expect((m[0].fid - m[2].fid) >= 0.95 * (m[0].fid - best), "FID by τ = 20: \(m.map(\.fid))")
        #expect(m[5].memFrac >= 0.3, "f_mem: \(m.map(\.memFrac))")
        #expect(zip(late, late.dropFirst()).allSatisfy { $1.memFrac >= $0.memFrac }, "f_mem: \(m.map(\.memFrac))")
    }

    /// n > p: architectural regularization, no memorization even at the minimizer.
    @Test func manyPointsAreNeverMemorized() throws {
        let m = try Self.measure(d: 8, p: 16, n: 64, taus: [5, 100, 1e4, .infinity])
        #expect(m.allSatisfy { $0.memFrac <= 0.01 }, "f_mem: \(m.map(\.memFrac))")
    }
}
