/// The two times read off a logged (τ, L_train, L_test) series (docs/science.md §4, "Measuring the two times").
public enum RFTimescaleDetectors {
    /// A detected time: τ, the index of the logged point it belongs to, and whether later points may still move it.
    public struct Detection: Sendable, Equatable {
        public var tau: Double
        public var index: Int
        /// The extremum is the last logged point: the run has not passed it yet.
        public var provisional: Bool
        /// Safe to announce while the run goes on: later points are not expected to move it.
        public var settled: Bool

        public init(tau: Double, index: Int, provisional: Bool, settled: Bool? = nil) {
            self.tau = tau
            self.index = index
            self.provisional = provisional
            self.settled = settled ?? !provisional
        }
    }

    /// tau_gen: the first logged τ at which L_test has made `fraction` (95%) of its drop from the first point to
    /// its minimum so far. Provisional while the minimum is the last point.
    public static func tauGen(tau: [Double], test: [Double], fraction: Double = 0.95) -> Detection? {
        guard tau.count >= 2, let first = test.first else { return nil }
        var minIndex = 0
        for i in test.indices where test[i] < test[minIndex] { minIndex = i }
        let drop = first - test[minIndex]
        guard drop > 0 else { return nil }
        let level = first - fraction * drop
        guard let i = test.indices.first(where: { test[$0] <= level }) else { return nil }
        return Detection(tau: tau[i], index: i, provisional: minIndex == test.count - 1)
    }

    /// The least rise of the test loss above its minimum, at the detected τ, for a tau_mem to be settled.
    public static let settledRise = 0.01
    /// The test loss's rise above its running minimum that `testLossRise` reports.
    public static let warningRise = 0.1

    /// tau_mem: after the test-loss minimum, the τ at which L_gen = L_test − L_train grows fastest per unit of ln τ.
    ///
    /// Slopes of L_gen between consecutive points (τ > 0) are placed at the midpoints in ln τ; the largest is
    /// refined by a parabola through it and its neighbours. Provisional when the largest slope is the last one
    /// (the run has not yet passed the maximum). Settled only once the growth rate has fallen below
    /// `settledFraction` of its peak (a local maximum the rate has not clearly come down from may still be
    /// overtaken) and the test loss at the peak stands at least `settledRise` above its minimum: right after the
    /// minimum L_gen has a small early bump (τ ≈ 20–60, a finite-n effect of learning the data's Gaussian part,
    /// of relative size ~1/n), which at n ≥ 400 passes the first rule with the test loss still flat.
    public static func tauMem(tau: [Double], train: [Double], test: [Double], settledFraction: Double = 0.5,
                              settledRise: Double = settledRise) -> Detection? {
        let count = min(tau.count, train.count, test.count)
        var minIndex = 0
        for i in 0..<count where test[i] < test[minIndex] { minIndex = i }
        var x: [Double] = [], slope: [Double] = []
        var i = minIndex
        while i + 1 < count {
            if tau[i] > 0 && tau[i + 1] > tau[i] {
                let x0 = rfLog(tau[i]), x1 = rfLog(tau[i + 1])
                x.append((x0 + x1) / 2)
                slope.append(((test[i + 1] - train[i + 1]) - (test[i] - train[i])) / (x1 - x0))
            }
            i += 1
        }
        guard !slope.isEmpty else { return nil }
        var best = 0
        for k in slope.indices where slope[k] > slope[best] { best = k }
        guard slope[best] > 0 else { return nil }
        var peak = x[best]
        if best > 0 && best + 1 < slope.count {
            let (xa, xb, xc) = (x[best - 1], x[best], x[best + 1])
            let (ya, yb, yc) = (slope[best - 1], slope[best], slope[best + 1])
            let denominator = (xa - xb) * (xa - xc) * (xb - xc)
            let a2 = (xc * (yb - ya) + xb * (ya - yc) + xa * (yc - yb)) / denominator
            let a1 = (xc * xc * (ya - yb) + xb * xb * (yc - ya) + xa * xa * (yb - yc)) / denominator
            if a2 < 0 { peak = min(max(-a1 / (2 * a2), xa), xc) }
        }
        let tauPeak = rfExp(peak)
        var nearest = 0
        for j in 0..<count where tau[j] > 0 {
            if nearest == 0 || abs(rfLog(tau[j]) - peak) < abs(rfLog(tau[nearest]) - peak) { nearest = j }
        }
        let passed = best < slope.count - 1
        let rise = test[minIndex] > 0 ? test[nearest] / test[minIndex] - 1 : .infinity
        return Detection(tau: tauPeak, index: nearest, provisional: !passed,
                         settled: passed && slope[slope.count - 1] < settledFraction * slope[best] && rise >= settledRise)
    }

    /// Whether a live run announces `detection` at time `now`: settled, and the run has reached 3× its τ.
    public static func announcesLive(_ detection: Detection, now: Double) -> Bool {
        detection.settled && now >= 3 * detection.tau
    }

    /// The index of the first logged point at which the test loss stands `rise` (10%) above its running minimum:
    /// an early warning that the test loss is climbing, which comes well before tau_mem can be located (the
    /// fastest growth is known only once passed). nil while it has not happened.
    public static func testLossRise(test: [Double], rise: Double = warningRise) -> Int? {
        var best = Double.infinity
        for (i, value) in test.enumerated() {
            best = min(best, value)
            if best > 0 && value > (1 + rise) * best { return i }
        }
        return nil
    }
}
