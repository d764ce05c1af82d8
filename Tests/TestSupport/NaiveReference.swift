import NumericCore

/// Textbook triple-loop references that the BLAS-backed kernels are tested against (computed in Double).
public enum NaiveReference {
    /// op(A)·op(B) with every product summed in Double.
    public static func product<T: BLASScalar>(_ a: Matrix<T>, _ ta: Transpose, _ b: Matrix<T>, _ tb: Transpose) -> Matrix<Double> {
        let m = ta == .none ? a.rows : a.cols
        let k = ta == .none ? a.cols : a.rows
        let n = tb == .none ? b.cols : b.rows
        var c = Matrix<Double>(rows: m, cols: n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k {
                    let x = ta == .none ? a[i, l] : a[l, i]
                    let y = tb == .none ? b[l, j] : b[j, l]
                    s += Double(x) * Double(y)
                }
                c[i, j] = s
            }
        }
        return c
    }

    /// Largest |x − y| over two equally shaped matrices, relative to the largest |y| (or 1).
    public static func relativeError<T: BLASScalar>(_ x: Matrix<T>, _ y: Matrix<Double>) -> Double {
        precondition(x.rows == y.rows && x.cols == y.cols, "shape mismatch")
        var maxDiff = 0.0, scale = 1.0
        for i in 0..<x.count {
            maxDiff = max(maxDiff, abs(Double(x.storage[i]) - y.storage[i]))
            scale = max(scale, abs(y.storage[i]))
        }
        return maxDiff / scale
    }

    /// A rows×cols matrix of N(0,1) values from `rng`.
    public static func randomMatrix<T: BLASScalar>(_ rows: Int, _ cols: Int, _ rng: inout Xoshiro256, as: T.Type = T.self) -> Matrix<T> {
        Matrix(rows: rows, cols: cols, storage: rng.normals(rows * cols))
    }
}
