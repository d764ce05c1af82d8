import NumericCore
import Testing
@testable import RandomFeatures

@Suite struct TrajectoryTests {
    /// One GD run on the exact-noise loss with the default schedule, logged on the default evaluation schedule.
    struct Logged {
        var tau: [Double] = [], train: [Double] = [], test: [Double] = []
        var discreteTrain: [Double] = [], discreteTest: [Double] = []
        var flowTrain: [Double] = [], flowTest: [Double] = []
        var afterWarmup: [Bool] = []
    }

    static func run(_ setting: RFSetting, tauMax: Double) throws -> Logged {
        let instance = RFInstance(setting)
        let train = RFNoiseAverage.exact(instance), test = RFNoiseAverage.population(instance)
        let closed = try ClosedFormTrajectory(train: train, test: test, delta: setting.delta)
        let eta = 0.9 * RFStepSchedule.stableStep(d: setting.d, p: setting.p, delta: setting.delta,
                                                 lambdaMax: closed.eigenvalues.last!)
        let schedule = RFStepSchedule(eta: eta, d: setting.d)
        var opt = RFOptimizer(.gd, loss: RFQuadraticLoss(train, delta: setting.delta))
        let testLoss = RFQuadraticLoss(test, delta: setting.delta)
        var evaluation = LogEvaluationSchedule()
        var remaining = [Double](repeating: 1, count: setting.p)
        var work = Matrix<Float>(rows: setting.d, cols: setting.p)
        var log = Logged()
        var tau = 0.0, warm = false
        while tau < tauMax {
            let lr = schedule.learningRate(atTau: tau)
            warm = warm || lr == eta
            opt.step(lr: lr)
            closed.advance(remaining: &remaining, lr: lr)
            tau += schedule.tauIncrement(lr: lr)
            guard evaluation.isDue(tau: tau) else { continue }
            log.tau.append(tau)
            log.train.append(opt.loss.value(opt.a, work: &work))
            log.test.append(testLoss.value(opt.a, work: &work))
            let discrete = closed.losses(weights: closed.weights(remaining: remaining, elapsedTime: tau * Double(setting.d * setting.d)))
            log.discreteTrain.append(discrete.train)
            log.discreteTest.append(discrete.test)
            let flow = closed.losses(tau: tau)
            log.flowTrain.append(flow.train)
            log.flowTest.append(flow.test)
            log.afterWarmup.append(warm)
        }
        return log
    }

    static func worst(_ a: [Double], _ b: [Double], where mask: [Bool]) -> Double {
        var w = 0.0
        for i in a.indices where mask[i] { w = max(w, abs(a[i] - b[i]) / abs(b[i])) }
        return w
    }

    @Test func closedFormMatchesGradientDescent() throws {
        let setting = RFSetting(d: 8, p: 128, n: 16, t: 0.1, seed: 5)
        let c = RFCoefficients(t: setting.t)
        let tauMax = 3 * RFTheoryTimescales(coefficients: c, psiP: setting.psiP, psiN: setting.psiN).tauMemSmallCluster
        let log = try Self.run(setting, tauMax: tauMax)
        let all = [Bool](repeating: true, count: log.tau.count)
        #expect(log.afterWarmup.filter { $0 }.count > 20)
        // The discrete-GD closed form is the same function as the iterates: agreement to Float32 rounding.
        #expect(Self.worst(log.train, log.discreteTrain, where: all) < 1e-4)
        #expect(Self.worst(log.test, log.discreteTest, where: all) < 1e-4)
        // The gradient-flow closed form in τ runs slightly behind GD for modes with η α λ not small (here
        // λ_ρ1/λ_max ≈ 0.03, so about 3% in τ): within 5e-3 after the warm-up at this small ψ_p.
        #expect(Self.worst(log.train, log.flowTrain, where: log.afterWarmup) < 5e-3)
        #expect(Self.worst(log.test, log.flowTest, where: log.afterWarmup) < 5e-3)
        // And the run shows both phases: the test loss falls, then rises above its minimum.
        let minimum = log.test.min()!
        #expect(minimum < log.test[0] - 0.05)
        #expect(log.test.last! > minimum + 0.05)
    }

    /// n > p (n* = p for RF): no memorization phase. At n = 32p the test loss ends within 0.1% of its minimum
    /// (the small rise left at finite n/p shrinks fast: 1.1% at n = 8p, 0.03% at n = 32p), while at n = p/4 it
    /// rises by more than 20%.
    @Test func architecturalRegularization() throws {
        func rise(n: Int) throws -> (rise: Double, minimum: Double) {
            let setting = RFSetting(d: 8, p: 32, n: n, t: 0.1, seed: 6)
            let log = try Self.run(setting, tauMax: 20_000)
            let k = log.train.count
            if n > setting.p { #expect(abs(log.train[k - 1] - log.train[k - 5]) < 1e-5, "not converged at n = \(n)") }
            let minimum = log.test.min()!
            return (log.test.last! - minimum, minimum)
        }
        let large = try rise(n: 1024)
        let small = try rise(n: 8)
        #expect(large.rise < 1e-3 * large.minimum, "n > p: test loss rose by \(large.rise)")
        #expect(small.rise > 0.2 * small.minimum, "n < p: test loss rose by only \(small.rise)")
    }
}
