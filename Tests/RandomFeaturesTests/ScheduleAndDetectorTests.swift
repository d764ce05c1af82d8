import Testing
@testable import RandomFeatures
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ScheduleAndDetectorTests {
    @Test func warmupGrowsTauByTenPercentUntilTheFullStep() {
        let s = RFStepSchedule(eta: 100, d: 5)
        #expect(s.learningRate(atTau: 0) == 1)
        var tau = 0.0
        var lrs: [Double] = []
        for _ in 0..<80 {
            let lr = s.learningRate(atTau: tau)
            lrs.append(lr)
            let next = tau + s.tauIncrement(lr: lr)
            if lr > 1 && lr < 100 { #expect(abs(next / tau - 1.1) < 1e-12) }
            tau = next
        }
        #expect(lrs.last == 100)
        #expect(lrs.filter { $0 < 100 }.count > 30)
        #expect(zip(lrs, lrs.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func evaluationScheduleIsLogSpaced() {
        var e = LogEvaluationSchedule(perDecade: 20)
        let first = e.isDue(tau: 0)
        #expect(first)
        var due: [Double] = []
        for k in 1...100_000 where e.isDue(tau: Double(k)) { due.append(Double(k)) }
        #expect(due.first == 1)
        // 5 decades at 20 per decade, fewer early where steps are coarser than the grid.
        #expect(due.count > 70 && due.count <= 101)
        for (a, b) in zip(due, due.dropFirst()) where a > 100 {
            #expect(b / a > 1.09 && b / a < 1.14)
        }
    }

    @Test func tauGenIsTheFirstPointWith95PercentOfTheDrop() {
        let tau = [0.0, 1, 2, 3, 4, 5, 6]
        let test = [1.0, 0.8, 0.55, 0.52, 0.50, 0.6, 0.7]
        let d = RFTimescaleDetectors.tauGen(tau: tau, test: test)!
        #expect(d.tau == 3 && d.index == 3 && !d.provisional)
        let still = RFTimescaleDetectors.tauGen(tau: Array(tau[0..<5]), test: Array(test[0..<5]))!
        #expect(still.provisional)
    }

    /// L_gen = a logistic in ln τ centred at ln 300: the fastest growth is recovered by the parabola refinement.
    @Test func tauMemFindsTheSteepestRiseOfTheGeneralizationGap() {
        var tau: [Double] = [0], train: [Double] = [1], test: [Double] = [1]
        for j in 0...80 {
            let t = pow(10, Double(j) / 20)
            tau.append(t)
            let gap = 1 / (1 + exp(-(log(t) - log(300)) / 0.7))
            let fall = 0.3 * exp(-t)
            train.append(0.6 + fall - 0.3 * gap)
            test.append(0.6 + fall + 0.7 * gap)
        }
        let d = RFTimescaleDetectors.tauMem(tau: tau, train: train, test: test)!
        #expect(abs(log(d.tau / 300)) < 0.02)
        #expect(!d.provisional)
        let early = RFTimescaleDetectors.tauMem(tau: Array(tau[0..<50]), train: Array(train[0..<50]), test: Array(test[0..<50]))!
        #expect(early.provisional)
    }

    /// A small early bump of L_gen's growth rate (as right after the test minimum in real runs) that the rate only
    /// partly comes down from is not announced as settled; the main rise later is.
    @Test func tauMemDoesNotSettleOnAnEarlyBump() {
        var tau: [Double] = [0], train: [Double] = [1], test: [Double] = [1]
        for j in 0...100 {
            let t = pow(10, Double(j) / 20)
            tau.append(t)
            let bump = 0.05 / (1 + exp(-(log(t) - log(25)) / 0.5))
            let main = 1 / (1 + exp(-(log(t) - log(3000)) / 0.7))
            let rise = 0.04 * log(1 + t / 10)
            train.append(0.6 - 0.2 * main)
            test.append(0.6 + bump + rise + 0.8 * main)
        }
        // By τ = 100 the early bump has passed but the rate has not halved: provisional.
        let n100 = 41
        let live = RFTimescaleDetectors.tauMem(tau: Array(tau[0..<n100]), train: Array(train[0..<n100]), test: Array(test[0..<n100]))!
        #expect(live.tau < 100)
        #expect(live.provisional)
        let final = RFTimescaleDetectors.tauMem(tau: tau, train: train, test: test)!
        #expect(abs(log(final.tau / 3000)) < 0.1)
        #expect(!final.provisional)
    }
}
