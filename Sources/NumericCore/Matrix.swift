/// A dense row-major matrix with contiguous storage: element (i, j) is `storage[i * cols + j]`.
///
/// A vector is a matrix with one row or one column. `Matrix<Float>` is the working type of the models;
/// `Matrix<Double>` is used where precision matters (covariances, square roots, spectra).
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    public private(set) var rows: Int
    public private(set) var cols: Int
    /// Row-major elements; `storage.count == rows * cols` always.
    public var storage: [Scalar]

    /// A rows×cols matrix with every element equal to `value`.
    public init(rows: Int, cols: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = Array(repeating: value, count: rows * cols)
    }

    /// Wraps row-major `storage` of `rows * cols` elements.
    public init(rows: Int, cols: Int, storage: [Scalar]) {
        precondition(rows >= 0 && cols >= 0 && storage.count == rows * cols,
                     "storage of \(storage.count) elements does not fit \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    public var count: Int { storage.count }

    public subscript(row: Int, col: Int) -> Scalar {
        get {
            assert(row >= 0 && row < rows && col >= 0 && col < cols, "index (\(row), \(col)) outside \(rows)×\(cols)")
            return storage[row * cols + col]
        }
        set {
            assert(row >= 0 && row < rows && col >= 0 && col < cols, "index (\(row), \(col)) outside \(rows)×\(cols)")
            storage[row * cols + col] = newValue
        }
    }

    /// A copy of row `i`.
    public func row(_ i: Int) -> [Scalar] {
        Array(storage[(i * cols)..<((i + 1) * cols)])
    }

    /// The transpose, as a new matrix.
    @inlinable  // specialized at the call site: unspecialized, every element goes through value witnesses
    public func transposed() -> Matrix {
        var t = Matrix(rows: cols, cols: rows)
        storage.withUnsafeBufferPointer { src in
            t.storage.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows {
                    for j in 0..<cols { dst[j * rows + i] = src[i * cols + j] }
                }
            }
        }
        return t
    }

    /// Reinterprets the same elements with a new shape of equal size.
    public func reshaped(rows newRows: Int, cols newCols: Int) -> Matrix {
        Matrix(rows: newRows, cols: newCols, storage: storage)
    }

    /// The rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        return Matrix(rows: range.count, cols: cols,
                      storage: Array(storage[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }

    /// The matrix converted element by element to another precision.
    @inlinable  // specialized at the call site: unspecialized, each conversion is a generic call
    public func converted<Other: BLASScalar>(to: Other.Type = Other.self) -> Matrix<Other> {
        Matrix<Other>(rows: rows, cols: cols, storage: storage.map { Other($0) })
    }
}
