/// Anything that predicts the noise ε in x_k = √ᾱ_k x₀ + √(1 − ᾱ_k) ε: the trained network, the exact
/// empirical optimum, a guided combination. Samplers take any of them.
public protocol Denoiser: AnyObject {
    /// Data dimension d.
    var dimension: Int { get }
    /// The most rows one call accepts.
    var maxRows: Int { get }
    /// Writes ε̂ [rows×d] for x [rows×d] at steps [rows], with class labels [rows] (nil or row value C: none).
    func predictNoise(_ out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, steps: UnsafePointer<Int32>,
                      labels: UnsafePointer<Int32>?, rows: Int)
}

/// The MLP network with one set of weights (trained or EMA).
public final class MLPDenoiser: Denoiser {
    public let network: MLPNetwork
    public let parameters: FloatBuffer

    public init(network: MLPNetwork, parameters: FloatBuffer) {
        precondition(parameters.count == network.layout.count, "parameter count does not match the network")
        self.network = network
        self.parameters = parameters
    }

    public var dimension: Int { network.config.dimension }
    public var maxRows: Int { network.maxRows }

    public func predictNoise(_ out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, steps: UnsafePointer<Int32>,
                             labels: UnsafePointer<Int32>?, rows: Int) {
        network.forward(out, x: x, steps: steps, labels: labels, rows: rows, parameters: parameters.base)
    }
}

/// Classifier-free guidance: ε = ε(x, ∅) + s·(ε(x, c) − ε(x, ∅)); s = 1 is the plain conditional model.
public final class GuidedDenoiser: Denoiser {
    public let base: Denoiser
    public let scale: Float
    /// The "no label" class index.
    public let nullClass: Int32
    private let unconditional: FloatBuffer
    private let nullLabels: UnsafeMutablePointer<Int32>

    public init(_ base: Denoiser, scale: Float, nullClass: Int) {
        self.base = base
        self.scale = scale
        self.nullClass = Int32(nullClass)
        unconditional = FloatBuffer(count: base.maxRows * base.dimension)
        nullLabels = .allocate(capacity: base.maxRows)
        nullLabels.initialize(repeating: Int32(nullClass), count: base.maxRows)
    }

    deinit { nullLabels.deallocate() }

    public var dimension: Int { base.dimension }
    public var maxRows: Int { base.maxRows }

    public func predictNoise(_ out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, steps: UnsafePointer<Int32>,
                             labels: UnsafePointer<Int32>?, rows: Int) {
        base.predictNoise(out, x: x, steps: steps, labels: labels, rows: rows)
        guard labels != nil, scale != 1 else { return }
        base.predictNoise(unconditional.base, x: x, steps: steps, labels: nullLabels, rows: rows)
        let u = unconditional.base
        for i in 0..<(rows * dimension) { out[i] = u[i] + scale * (out[i] - u[i]) }
    }
}
