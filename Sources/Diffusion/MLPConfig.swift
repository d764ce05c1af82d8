/// The shape of the residual-MLP ε-denoiser.
public struct MLPConfig: Equatable, Sendable {
    /// Data dimension d.
    public var dimension: Int
    /// Hidden width W.
    public var width: Int
    /// Number of residual blocks L.
    public var depth: Int
    /// Width of the sinusoidal step embedding (even).
    public var timeEmbedding: Int
    /// LayerNorm before each block's activation and before the output.
    public var layerNorm: Bool
    /// Number of classes C for conditioning (0: unconditional); the table has C + 1 rows (row C = no label).
    public var classes: Int

    public init(dimension: Int, width: Int, depth: Int, timeEmbedding: Int = 64, layerNorm: Bool = false,
                classes: Int = 0) {
        self.dimension = dimension
        self.width = width
        self.depth = depth
        self.timeEmbedding = timeEmbedding
        self.layerNorm = layerNorm
        self.classes = classes
    }

    /// Multiply–adds of one forward pass per row (the BLAS part), for throughput figures.
    public var forwardMultiplyAdds: Int {
        dimension * width + timeEmbedding * width + width * width + depth * 2 * width * width + width * dimension
    }
}
