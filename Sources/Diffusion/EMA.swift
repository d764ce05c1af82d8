/// Exponential moving average of the weights: ē ← β·ē + (1 − β)·p after every update, starting from p.
public final class EMA {
    public let decay: Float
    public let weights: FloatBuffer

    public init(decay: Double, from parameters: FloatBuffer) {
        self.decay = Float(decay)
        weights = FloatBuffer(count: parameters.count)
        weights.copy(from: parameters)
    }

    public func update(from parameters: FloatBuffer) {
        UpdateKernels.ema(weights.base, from: parameters.base, count: weights.count, decay: decay)
    }
}
