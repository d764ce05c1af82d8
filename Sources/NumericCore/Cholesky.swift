import CBLAS
import CLAPACKE

/// Cholesky factorization and triangular products on `Matrix<Double>`, for congruence transforms Lᵀ·A·L.
extension Matrix where Scalar == Double {
    /// The lower-triangular L with `self = L·Lᵀ` (LAPACKE_dpotrf; only the lower triangle of `self` is read), or
    /// nil when `self` is not numerically positive definite. The strict upper triangle of L is zero.
    public func choleskyLower() -> Matrix<Double>? {
        precondition(rows == cols, "Cholesky needs a square matrix, got \(rows)×\(cols)")
        let n = rows
        var l = self
        if n == 0 { return l }
        let info = l.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), p.baseAddress!, Int32(n))
        }
        if info != 0 { return nil }
        l.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { for j in (i + 1)..<n { p[i * n + j] = 0 } }
        }
        return l
    }

    /// Lᵀ·self·L for a lower-triangular n×n `l` (two cblas_dtrmm calls; only the lower triangle of `l` is read).
    public func congruence(byLower l: Matrix<Double>) -> Matrix<Double> {
        precondition(rows == cols && l.rows == rows && l.cols == cols, "congruence shapes \(rows)×\(cols), \(l.rows)×\(l.cols)")
        let n = rows
        var out = self
        if n == 0 { return out }
        l.storage.withUnsafeBufferPointer { pl in
            out.storage.withUnsafeMutableBufferPointer { po in
                cblas_dtrmm(CblasRowMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, blasint(n), blasint(n),
                            1, pl.baseAddress!, blasint(n), po.baseAddress!, blasint(n))
                cblas_dtrmm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, blasint(n), blasint(n),
                            1, pl.baseAddress!, blasint(n), po.baseAddress!, blasint(n))
            }
        }
        return out
    }
}

extension Matrix where Scalar == Double {
    /// Qᵀ·self·Q for a symmetric positive-definite `self` (n×n, lower triangle read) and an n×k `q`: XᵀX with
    /// X = LᵀQ and self = L·Lᵀ (dpotrf, dtrmm, dsyrk: n³/3 + n²k + nk² flops against the two products' 2n²k + 2nk²),
    /// symmetric by construction. nil when `self` is not numerically positive definite.
    public func congruence(positiveDefiniteBy q: Matrix<Double>) -> Matrix<Double>? {
        precondition(rows == cols && q.rows == rows, "congruence shapes \(rows)×\(cols), \(q.rows)×\(q.cols)")
        guard let l = choleskyLower() else { return nil }
        let n = rows, k = q.cols
        var x = q
        var out = Matrix<Double>(rows: k, cols: k)
        if n == 0 || k == 0 { return out }
        l.storage.withUnsafeBufferPointer { pl in
            x.storage.withUnsafeMutableBufferPointer { px in
                cblas_dtrmm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, blasint(n), blasint(k),
                            1, pl.baseAddress!, blasint(n), px.baseAddress!, blasint(k))
            }
        }
        out.syrk(x, .transposed)
        return out
    }
}
