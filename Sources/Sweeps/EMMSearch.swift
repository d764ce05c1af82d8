import RunFormat

/// Effective Model Memorization (Paper A): the largest training-set size n at which the trained model's
/// memorization ratio is still ≥ 1 − ε, found by geometric bracketing then bisection on n.
///
/// A pure state machine: `nextProbe` says which n to train next, `record` takes the probe's memorization ratio
/// (the highest mem_frac over its evaluations). Memorization is assumed to fall with n.
public struct EMMSearch: Sendable {
    public struct Probe: Equatable, Sendable {
        public var n: Int
        public var ratio: Double
        public var memorizes: Bool
    }

    /// How the search ended.
    public enum Outcome: Equatable, Sendable {
        /// EMM = `n`: n memorizes, `above` (the smallest larger n probed) does not.
        case estimate(n: Int, above: Int)
        /// Even the smallest allowed n does not memorize: EMM < nMin.
        case belowRange(nMin: Int)
        /// Even the largest allowed n memorizes: EMM ≥ nMax.
        case aboveRange(nMax: Int)
    }

    public let epsilon: Double
    public let start: Int
    public let nMin: Int
    public let nMax: Int
    /// Bracketing multiplies or divides n by this.
    public let factor: Double
    /// Bisection stops when the bracket [lo, hi) is at most max(1, tolerance·lo) wide.
    public let tolerance: Double
    public private(set) var probes: [Probe] = []
    /// Largest n seen to memorize; smallest n seen not to.
    public private(set) var lo: Int?
    public private(set) var hi: Int?

    public init(epsilon: Double, start: Int, nMin: Int = 1, nMax: Int = 1 << 20, factor: Double = 2, tolerance: Double = 0.05) {
        self.epsilon = epsilon
        self.nMin = max(1, nMin)
        self.nMax = max(self.nMin, nMax)
        self.start = min(max(start, self.nMin), self.nMax)
        self.factor = factor
        self.tolerance = tolerance
    }

    /// Whether a memorization ratio counts as memorizing: ratio ≥ 1 − ε.
    public func memorizes(_ ratio: Double) -> Bool { ratio >= 1 - epsilon }

    /// The n to train next, or nil when the search is over.
    public var nextProbe: Int? {
        switch (lo, hi) {
        case (nil, nil):
            return start
        case (let lo?, nil):
            return lo >= nMax ? nil : min(nMax, max(lo + 1, Int((Double(lo) * factor).rounded())))
        case (nil, let hi?):
            return hi <= nMin ? nil : max(nMin, min(hi - 1, Int((Double(hi) / factor).rounded())))
        case (let lo?, let hi?):
            if hi - lo <= max(1, Int(tolerance * Double(lo))) { return nil }
            let mid = Int((Double(lo) * Double(hi)).squareRoot().rounded())
            return min(hi - 1, max(lo + 1, mid))
        }
    }

    public var outcome: Outcome? {
        guard nextProbe == nil else { return nil }
        switch (lo, hi) {
        case (let lo?, let hi?): return .estimate(n: lo, above: hi)
        case (_?, nil): return .aboveRange(nMax: nMax)
        case (nil, _?): return .belowRange(nMin: nMin)
        case (nil, nil): return nil
        }
    }

    /// The search as `emm.json` records it: ε, the outcome (`estimate`, `below_range`, `above_range`), the EMM
    /// and its bracket [n that memorizes, smallest n that does not] (null ends where the range ran out), every
    /// probe in the order run, and the train options the probes shared.
    public func summary(trainOptions: [String]) -> JSONObject {
        var o: JSONObject = ["epsilon": .number(epsilon), "threshold": .number(1 - epsilon)]
        let bound = { (n: Int?) in n.map { JSONValue.number(Double($0)) } ?? .null }
        switch outcome {
        case .estimate(let n, let above)?: o["outcome"] = "estimate"; o["emm"] = bound(n); o["bracket"] = .array([bound(n), bound(above)])
        case .belowRange?: o["outcome"] = "below_range"; o["emm"] = .null; o["bracket"] = .array([.null, bound(hi)])
        case .aboveRange?: o["outcome"] = "above_range"; o["emm"] = bound(lo); o["bracket"] = .array([bound(lo), .null])
        case nil: o["outcome"] = "searching"; o["emm"] = .null; o["bracket"] = .array([bound(lo), bound(hi)])
        }
        o["probes"] = .array(probes.map { .object(["n": .number(Double($0.n)), "ratio": .number($0.ratio), "memorizes": .bool($0.memorizes)]) })
        o["train_options"] = .array(trainOptions.map { .string($0) })
        return o
    }

    /// Takes the memorization ratio of a probe at `n`.
    public mutating func record(n: Int, ratio: Double) {
        let m = memorizes(ratio)
        probes.append(Probe(n: n, ratio: ratio, memorizes: m))
        if m {
            lo = max(lo ?? n, n)
        } else {
            hi = min(hi ?? n, n)
        }
    }
}
