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
        let e = weights.base, p = parameters.base, b = decay
        for i in 0..<weights.count { e[i] = b * e[i] + (1 - b) * p[i] }
    }
}
