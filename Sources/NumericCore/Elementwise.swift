/// Element-wise kernels over contiguous buffers: tight loops, no allocation. Shapes are the caller's to check;
/// each function states whether it overwrites or accumulates its output.
public enum Elementwise {
    /// y[i] += α·x[i] (overwrites y).
    @inlinable
    public static func axpy<T: BLASScalar>(_ alpha: T, _ x: UnsafeBufferPointer<T>, _ y: UnsafeMutableBufferPointer<T>) {
        precondition(x.count == y.count, "axpy length mismatch \(x.count) vs \(y.count)")
        for i in 0..<x.count { y[i] += alpha * x[i] }
    }

    /// x[i] *= α.
    @inlinable
    public static func scale<T: BLASScalar>(_ x: UnsafeMutableBufferPointer<T>, by alpha: T) {
        for i in 0..<x.count { x[i] *= alpha }
    }

    /// Σ x[i], accumulated in Double.
    @inlinable
    public static func sum<T: BLASScalar>(_ x: UnsafeBufferPointer<T>) -> Double {
        var s = 0.0
        for v in x { s += Double(v) }
        return s
    }

    /// Σ x[i]·y[i], accumulated in Double.
    @inlinable
    public static func dot<T: BLASScalar>(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>) -> Double {
        precondition(x.count == y.count, "dot length mismatch \(x.count) vs \(y.count)")
        var s = 0.0
        for i in 0..<x.count { s += Double(x[i]) * Double(y[i]) }
        return s
    }

    /// Σ x[i]², accumulated in Double.
    @inlinable
    public static func sumOfSquares<T: BLASScalar>(_ x: UnsafeBufferPointer<T>) -> Double {
        var s = 0.0
        for v in x { let d = Double(v); s += d * d }
        return s
    }

    /// True when every element is finite (no NaN, no ±∞).
    @inlinable
    public static func allFinite<T: BLASScalar>(_ x: UnsafeBufferPointer<T>) -> Bool {
        for v in x where !v.isFinite { return false }
        return true
    }
}

extension Array where Element: BLASScalar {
    /// Σ of the elements, accumulated in Double.
    @inlinable
    public func sumAsDouble() -> Double { withUnsafeBufferPointer { Elementwise.sum($0) } }
}
