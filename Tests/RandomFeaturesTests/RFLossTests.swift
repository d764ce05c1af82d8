#if canImport(Glibc)
import Glibc
#endif
import NumericCore
import Testing
@testable import RandomFeatures

@Suite struct RFLossTests {
    let setting = RFSetting(d: 4, p: 12, n: 5, t: 0.1, noise: .draws(3, testPoints: 5), seed: 3)

    /// The draws-mode Gram form and the direct per-sample loss, on the same noise draws.
    func both() -> (RFQuadraticLoss, NaiveRFLoss) {
        let instance = RFInstance(setting)
        var rng = Xoshiro256(seed: 11)
        let gram = RFNoiseAverage.draws(setting, w: instance.w, x: instance.x, draws: 3, rng: &rng)
        var rng2 = Xoshiro256(seed: 11)
        let naive = NaiveRFLoss(setting: setting, w: instance.w, x: instance.x, draws: 3, rng: &rng2)
        return (RFQuadraticLoss(gram, delta: setting.delta), naive)
    }

    func randomA(seed: UInt64) -> Matrix<Float> {
        var rng = Xoshiro256(seed: seed)
        return Matrix(rows: setting.d, cols: setting.p, storage: rng.normals(setting.d * setting.p, std: 0.5))
    }

    @Test func gramLossEqualsPerSampleLoss() {
        let (loss, naive) = both()
        let a = randomA(seed: 5)
        var work = Matrix<Float>(rows: setting.d, cols: setting.p)
        let gram = loss.value(a, work: &work)
        let direct = naive.loss(a.storage.map(Double.init))
        #expect(abs(gram - direct) / direct < 1e-5)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let (loss, _) = both()
        let a = randomA(seed: 6)
        var grad = Matrix<Float>(rows: setting.d, cols: setting.p)
        loss.gradient(a, into: &grad)
        var rng = Xoshiro256(seed: 9)
        let dout: [Float] = rng.normals(a.count)
        // Fake loss Σ_e dout_e·∂L/∂A_e, by central differences along dout (whole-tensor check).
        let h: Float = 1e-2
        var plus = a, minus = a
        for e in 0..<a.count { plus.storage[e] += h * dout[e]; minus.storage[e] -= h * dout[e] }
        var work = Matrix<Float>(rows: setting.d, cols: setting.p)
        let numeric = (loss.value(plus, work: &work) - loss.value(minus, work: &work)) / (2 * Double(h))
        var analytic = 0.0
        for e in 0..<a.count { analytic += Double(grad.storage[e]) * Double(dout[e]) }
        #expect(abs(numeric - analytic) / max(abs(analytic), 1e-8) < 1e-3)
        // Entry by entry against the direct per-sample gradient.
        let (_, naive) = both()
        let direct = naive.gradient(a.storage.map(Double.init))
        var num = 0.0, den = 0.0
        for e in 0..<a.count { num += pow(Double(grad.storage[e]) - direct[e], 2); den += direct[e] * direct[e] }
        #expect((num / den).squareRoot() < 1e-4)
    }

    @Test func gramGDIteratesEqualPerSampleGDIterates() {
        let (loss, naive) = both()
        var opt = RFOptimizer(.gd, loss: loss)
        var direct = [Double](repeating: 0, count: setting.d * setting.p)
        let lr = 0.5 * RFStepSchedule.stableStep(d: setting.d, p: setting.p, delta: setting.delta,
                                                lambdaMax: 1.0 * Double(setting.p))
        for _ in 0..<20 {
            opt.step(lr: lr)
            let g = naive.gradient(direct)
            for e in direct.indices { direct[e] -= lr * g[e] }
        }
        var num = 0.0, den = 0.0
        for e in direct.indices { num += pow(Double(opt.a.storage[e]) - direct[e], 2); den += direct[e] * direct[e] }
        #expect(den > 0)
        #expect((num / den).squareRoot() < 1e-4)
    }

    @Test func adamReducesTheLoss() {
        let (loss, _) = both()
        var opt = RFOptimizer(.adam, loss: loss)
        var work = Matrix<Float>(rows: setting.d, cols: setting.p)
        let start = loss.value(opt.a, work: &work)
        for _ in 0..<200 { opt.step(lr: 0.01) }
        #expect(loss.value(opt.a, work: &work) < start - 0.05)
    }
}
