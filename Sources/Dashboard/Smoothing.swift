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
