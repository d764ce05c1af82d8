/// A fixed-size Float32 buffer allocated once and freed with its owner: parameters, gradients, optimizer
/// moments, EMA weights and activation caches, so that nothing allocates inside a training step.
public final class FloatBuffer {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>

    /// `count` zeros.
    public init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    /// A copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { base.deallocate() }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    public subscript(i: Int) -> Float {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// Overwrites every element with the same-length `other`.
    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "copy between buffers of \(other.count) and \(count)")
        base.update(from: other.base, count: count)
    }

    public func fill(_ value: Float) { base.update(repeating: value, count: count) }

    /// The elements as an array (allocates; not for hot loops).
    public var array: [Float] { Array(buffer) }
}
