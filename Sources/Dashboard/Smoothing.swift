import Foundation
import TerminalUI

/// TensorBoard's debiased exponential moving average, one point at a time.
///
/// `last = last·w + (1−w)·y`, shown as `last / (1 − wⁿ)` where n counts the finite points so far, so the
/// start is not pulled towards zero. Non-finite points pass through unchanged and do not advance n
/// (tensorboard `line_chart_v2/data_transformer.ts`, `classicSmoothing`).
public struct DebiasedEMA: Sendable {
    public let weight: Double
    private var last = 0.0
    private var weightPower = 1.0

    public init(weight: Double) {
        precondition(weight >= 0 && weight < 1, "smoothing weight must be in [0, 1)")
        self.weight = weight
    }

    public mutating func next(_ y: Double) -> Double {
        guard y.isFinite else { return y }
        last = last * weight + (1 - weight) * y
        weightPower *= weight
        return last / (1 - weightPower)
    }

    /// The smoothed copy of a whole sequence.
    public static func smooth(_ ys: [Double], weight: Double) -> [Double] {
        var ema = DebiasedEMA(weight: weight)
        return ys.map { ema.next($0) }
    }
}

/// How the loss curves are smoothed (`S` cycles).
public enum SmoothingKind: Sendable, Equatable, CaseIterable {
    /// TensorBoard's debiased EMA, one weight per logged point.
    case ema
    /// The debiased EMA weighted by the step gap: a point `Δ` steps after the last decays the average by
    /// `w^(Δ/unit)` with `unit` a thousandth of the run's steps, so a run logged every step and one logged every
    /// 100 steps smooth alike.
    case timeWeightedEMA
    /// The mean of the last `1/(1 − w)` points (rounded; 3, 10 or 100 at 0.6, 0.9, 0.99).
    case runningAverage

    /// The legend's words for a weight.
    func label(weight: Double) -> String {
        switch self {
        case .ema: "EMA " + NumberFormat.value(weight)
        case .timeWeightedEMA: "time-weighted EMA " + NumberFormat.value(weight)
        case .runningAverage: "running mean of \(Smoother.window(weight))"
        }
    }
}

/// One smoothing of a series, one point at a time (see `SmoothingKind`). Non-finite points pass through.
public struct Smoother: Sendable {
    public let kind: SmoothingKind
    public let weight: Double
    /// The time-weighted EMA's step unit.
    public let unit: Double
    private var ema: DebiasedEMA
    private var total = 0.0, norm = 0.0, lastStep: Double?
    private var recent: [Double] = []
    private var next = 0
    private var sum = 0.0

    public init(kind: SmoothingKind, weight: Double, unit: Double = 1) {
        self.kind = kind
        self.weight = weight
        self.unit = max(unit, .leastNormalMagnitude)
        ema = DebiasedEMA(weight: weight)
    }

    /// The running mean's window for a weight.
    static func window(_ weight: Double) -> Int { max(Int((1 / (1 - weight)).rounded()), 1) }

    public mutating func next(step: Double, value: Double) -> Double {
        guard value.isFinite, weight > 0 else { return value }
        switch kind {
        case .ema:
            return ema.next(value)
        case .timeWeightedEMA:
            let decay = lastStep.map { pow(weight, max(step - $0, 0) / unit) } ?? 0
            lastStep = step
            total = total * decay + value
            norm = norm * decay + 1
            return total / norm
        case .runningAverage:
            let size = Smoother.window(weight)
            if recent.count < size {
                recent.append(value)
            } else {
                sum -= recent[next]
                recent[next] = value
                next = (next + 1) % size
            }
            sum += value
            return sum / Double(recent.count)
        }
    }
}
