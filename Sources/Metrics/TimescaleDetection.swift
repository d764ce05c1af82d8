/// What a detector found in a metrics series: used live (while the run grows) and on finished runs.
public enum TimescaleDetection: Equatable, Sendable {
    /// Live run, nothing detected so far.
    case notYet
    /// Finished run, never detected.
    case notReached
    /// Detected at this training step. `provisional`: later evaluations may still move or withdraw it (a live
    /// run whose criterion is not yet confirmed, or whose reference value — e.g. the FID minimum — may still fall).
    case detected(step: Int, provisional: Bool)

    /// The step when detected (provisionally or not).
    public var step: Int? {
        if case .detected(let step, _) = self { step } else { nil }
    }
}

/// Whether a series is still growing (live run) or complete (finished or saved run).
public enum SeriesState: Sendable, Equatable {
    case live
    case finished
}

/// One evaluation of a scalar metric.
public struct SeriesPoint: Sendable, Equatable {
    public var step: Int
    public var value: Double

    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}

/// One evaluation of the memorized fraction with the lower end of its confidence interval.
public struct MemorizationPoint: Sendable, Equatable {
    public var step: Int
    public var memFrac: Double
    public var ciLow: Double

    public init(step: Int, memFrac: Double, ciLow: Double) {
        self.step = step
        self.memFrac = memFrac
        self.ciLow = ciLow
    }
}

/// When the generalization time tau_gen has been reached, on a series that falls towards a plateau (FID; the RF
/// model's tau_gen is RandomFeatures' `RFTimescaleDetectors`). Printed with every detection, so every threshold is
/// explicit. The evaluation of one series is `flags` (GeneralizationFlags.swift).
public struct GeneralizationCriterion: Sendable, Equatable, CustomStringConvertible {
    public enum Rule: Sendable, Equatable {
        /// value ≤ min + relative·|min| + absolute, `min` the series' reference minimum so far (FID plateau).
        case nearMinimum(relative: Double, absolute: Double)
    }

    public var rule: Rule
    /// Consecutive evaluations that must satisfy the rule; tau_gen is the first of them.
    public var persistence: Int
    /// The reference minimum is the lowest median of this many consecutive values (1: the lowest value), so that
    /// one lucky low evaluation does not lower the bar for all the others.
    public var smoothing: Int
    /// An evaluation counts only once log value has come this fraction of the way from the first value down to
    /// the lowest value (0: no such condition). Keeps the slow start of a run from looking like a plateau: while
    /// the minimum is the latest value, every value near it would otherwise qualify.
    public var fall: Double

    public init(rule: Rule, persistence: Int, smoothing: Int = 1, fall: Double = 0) {
        precondition(persistence >= 1, "persistence must be at least 1")
        precondition(smoothing >= 1, "smoothing must be at least 1")
        precondition(fall >= 0 && fall < 1, "fall must be in [0, 1)")
        self.rule = rule
        self.persistence = persistence
        self.smoothing = smoothing
        self.fall = fall
    }

    /// FID within 5% of its minimum for 3 consecutive evaluations.
    public static let fid = GeneralizationCriterion(rule: .nearMinimum(relative: 0.05, absolute: 0), persistence: 3)

    /// The FID plateau of the DDPM and of external runs (`--fid-plateau`, `--persistence`, `--fid-smoothing`,
    /// `--fid-fall`): value ≤ (1 + relative)·min.
    public static func fidPlateau(relative: Double, persistence: Int, smoothing: Int,
                                  fall: Double) -> GeneralizationCriterion {
        GeneralizationCriterion(rule: .nearMinimum(relative: relative, absolute: 0), persistence: persistence,
                                smoothing: smoothing, fall: fall)
    }

    public var description: String {
        var parts: [String]
        switch rule {
        case .nearMinimum(let r, let a):
            parts = ["tau_gen: value ≤ min + \(r)·|min|\(a == 0 ? "" : " + \(a)")"]
        }
        if fall > 0 {
            parts[0] += " and log value ≤ log first − \(fall)·(log first − log \(smoothing > 1 ? "lowest" : "min"))"
        }
        if smoothing > 1 { parts.append("min the lowest median of \(smoothing) consecutive values") }
        if smoothing > 1 && fall > 0 { parts.append("lowest the lowest value") }
        parts.append("for \(persistence) consecutive evaluations")
        return parts.joined(separator: smoothing > 1 ? ", " : " ")
    }
}

/// When the memorization time tau_mem has been reached, on the memorized-fraction series (docs/science.md §3).
public struct MemorizationCriterion: Sendable, Equatable, CustomStringConvertible {
    /// Satisfied when the interval's lower end exceeds this (nil: not used).
    public var lowerBoundAbove: Double?
    /// Satisfied when f_mem is at least this (nil: not used).
    public var fractionFloor: Double?
    /// Consecutive evaluations that must satisfy it; tau_mem is the first of them.
    public var persistence: Int

    public init(lowerBoundAbove: Double?, fractionFloor: Double?, persistence: Int) {
        precondition(persistence >= 1, "persistence must be at least 1")
        precondition(lowerBoundAbove != nil || fractionFloor != nil, "a memorization criterion needs a threshold")
        self.lowerBoundAbove = lowerBoundAbove
        self.fractionFloor = fractionFloor
        self.persistence = persistence
    }

    /// The 95% interval's lower end above 0, or f_mem ≥ 1%, for 2 consecutive evaluations.
    public static let standard = MemorizationCriterion(lowerBoundAbove: 0, fractionFloor: 0.01, persistence: 2)

    func isSatisfied(by p: MemorizationPoint) -> Bool {
        if let b = lowerBoundAbove, p.ciLow > b { return true }
        if let f = fractionFloor, p.memFrac >= f { return true }
        return false
    }

    public var description: String {
        let parts = [lowerBoundAbove.map { "CI lower end > \($0)" }, fractionFloor.map { "f_mem ≥ \($0)" }]
            .compactMap { $0 }
        return "tau_mem: \(parts.joined(separator: " or ")) for \(persistence) consecutive evaluations"
    }
}

/// The generalization window [tau_gen, tau_mem) and the step at which to stop training inside it.
public struct GeneralizationWindow: Sendable, Equatable {
    public var tauGen: TimescaleDetection
    public var tauMem: TimescaleDetection
    /// The evaluation with the lowest FID at or after tau_gen and before tau_mem (before the end of the series
    /// while tau_mem is not reached); nil when tau_gen is not detected or the window is empty.
    public var earlyStop: Int?
    /// True when tau_mem ≤ tau_gen: memorization had begun before generation reached its plateau.
    public var isEmpty: Bool

    public init(tauGen: TimescaleDetection, tauMem: TimescaleDetection, earlyStop: Int?, isEmpty: Bool) {
        self.tauGen = tauGen
        self.tauMem = tauMem
        self.earlyStop = earlyStop
        self.isEmpty = isEmpty
    }
}

/// Pure detectors of the two timescales over (step, value) series. Steps must be strictly increasing;
/// non-finite values are skipped.
public enum TimescaleDetector {
    /// tau_gen: the first step from which `criterion` holds for `persistence` consecutive evaluations, against the
    /// reference minimum of the whole series given.
    ///
    /// Live, every detection is provisional (the minimum may still fall). A run of satisfying evaluations that
    /// reaches the end of the series but is shorter than `persistence` gives a provisional detection while live
    /// and `notReached` once finished (the series was still falling).
    public static func generalizationTime(
        _ series: [SeriesPoint], criterion: GeneralizationCriterion = .fid, state: SeriesState
    ) -> TimescaleDetection {
        let points = series.filter { $0.value.isFinite }
        guard !points.isEmpty else { return state == .live ? .notYet : .notReached }
        return detect(steps: points.map(\.step), flags: criterion.flags(points.map(\.value)),
                      persistence: criterion.persistence, state: state, alwaysProvisionalWhileLive: true)
    }

    /// tau_mem: the first step from which `criterion` holds for `persistence` consecutive evaluations. Confirmed
    /// detections are final even while live (later evaluations cannot change them).
    public static func memorizationTime(
        _ series: [MemorizationPoint], criterion: MemorizationCriterion = .standard, state: SeriesState
    ) -> TimescaleDetection {
        let points = series.filter { $0.memFrac.isFinite && $0.ciLow.isFinite }
        return detect(steps: points.map(\.step), flags: points.map(criterion.isSatisfied), persistence: criterion.persistence,
                      state: state, alwaysProvisionalWhileLive: false)
    }

    /// The window between the two detections and the suggested early-stopping step inside it.
    public static func window(
        fid: [SeriesPoint], memorization: [MemorizationPoint], state: SeriesState,
        generalization: GeneralizationCriterion = .fid, memorizationCriterion: MemorizationCriterion = .standard
    ) -> GeneralizationWindow {
        let tauGen = generalizationTime(fid, criterion: generalization, state: state)
        let tauMem = memorizationTime(memorization, criterion: memorizationCriterion, state: state)
        guard let gen = tauGen.step else {
            return GeneralizationWindow(tauGen: tauGen, tauMem: tauMem, earlyStop: nil, isEmpty: false)
        }
        if let mem = tauMem.step, mem <= gen {
            return GeneralizationWindow(tauGen: tauGen, tauMem: tauMem, earlyStop: nil, isEmpty: true)
        }
        let end = tauMem.step ?? Int.max
        let inside = fid.filter { $0.value.isFinite && $0.step >= gen && $0.step < end }
        let best = inside.min { $0.value < $1.value }
        return GeneralizationWindow(tauGen: tauGen, tauMem: tauMem, earlyStop: best?.step, isEmpty: false)
    }

    /// The first run of `persistence` true flags, with the live/finished rules shared by both detectors.
    static func detect(
        steps: [Int], flags: [Bool], persistence: Int, state: SeriesState, alwaysProvisionalWhileLive: Bool
    ) -> TimescaleDetection {
        var runStart = 0, runLength = 0
        for (i, flag) in flags.enumerated() {
            if flag {
                if runLength == 0 { runStart = i }
                runLength += 1
                if runLength == persistence {
                    return .detected(step: steps[runStart],
                                     provisional: alwaysProvisionalWhileLive && state == .live)
                }
            } else {
                runLength = 0
            }
        }
        if runLength > 0 && state == .live { return .detected(step: steps[runStart], provisional: true) }
        return state == .live ? .notYet : .notReached
    }
}
