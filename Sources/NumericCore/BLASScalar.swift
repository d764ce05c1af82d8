import CBLAS
import CLAPACKE

/// Whether a BLAS operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Which triangle of a symmetric matrix a BLAS/LAPACK routine reads or writes.
public enum Triangle: Sendable {
    case upper
    case lower

    var cblas: CBLAS_UPLO { self == .upper ? CblasUpper : CblasLower }
    var lapack: CChar { CChar(UInt8(ascii: self == .upper ? "U" : "L")) }
}

/// A LAPACK routine reported failure (`info != 0`).
public struct LAPACKError: Error, CustomStringConvertible, Equatable {
    public let routine: String
    public let info: Int32
    public var description: String { "\(routine) failed (info = \(info))" }
}

/// The element types OpenBLAS computes with: one protocol so every wrapper exists once for Float and Double.
///
/// All matrices are row-major; leading dimensions are row strides in elements.
public protocol BLASScalar: BinaryFloatingPoint & Sendable where Self.RawSignificand: FixedWidthInteger {
    /// C ← α·op(A)·op(B) + β·C (`cblas_sgemm` / `cblas_dgemm`).
    static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← α·op(A)·x + β·y for an m×n matrix A (`cblas_sgemv` / `cblas_dgemv`).
    static func gemv(
        _ trans: Transpose, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, incx: Int, beta: Self, y: UnsafeMutablePointer<Self>, incy: Int)
    /// C ← α·op(A)·op(A)ᵀ + β·C on one triangle of the n×n matrix C; op(A) is n×k (`cblas_ssyrk` / `cblas_dsyrk`).
    static func syrk(
        _ triangle: Triangle, _ trans: Transpose, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>,
        lda: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Eigenvalues (ascending) into `w` and, in place of `a`, eigenvectors as columns (`LAPACKE_ssyevd` / `_dsyevd`).
    static func syevd(
        vectors: Bool, _ triangle: Triangle, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        w: UnsafeMutablePointer<Self>) -> Int32
    /// All eigenvalues (ascending) into `w` and their eigenvectors as the columns of `z` (n×n, row stride `ldz`) by
    /// the relatively robust representations (`LAPACKE_ssyevr` / `_dsyevr`); `a` is overwritten.
    static func syevr(
        _ triangle: Triangle, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, w: UnsafeMutablePointer<Self>,
        z: UnsafeMutablePointer<Self>, ldz: Int) -> Int32
}

extension Float: BLASScalar {
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func gemv(
        _ trans: Transpose, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
    ) {
        cblas_sgemv(CblasRowMajor, trans.cblas, blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, blasint(incx), beta, y, blasint(incy))
    }

    public static func syrk(
        _ triangle: Triangle, _ trans: Transpose, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>,
        lda: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_ssyrk(CblasRowMajor, triangle.cblas, trans.cblas, blasint(n), blasint(k), alpha, a,
                    blasint(lda), beta, c, blasint(ldc))
    }

    public static func syevd(
        vectors: Bool, _ triangle: Triangle, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
        w: UnsafeMutablePointer<Float>
    ) -> Int32 {
        // The sizes LAPACK documents for ssyevd, given explicitly: LAPACKE_ssyevd's workspace query returns them as a
        // Float, which can round 1 + 6n + 2n² down once it exceeds 2²⁴ (n ≥ 2897; n = 2900 and 3200 do) and makes
        // ssyevd reject its own workspace.
        let lwork = vectors ? 1 + 6 * n + 2 * n * n : 2 * n + 1
        let liwork = vectors ? 3 + 5 * n : 1
        var work = [Float](repeating: 0, count: max(lwork, 1))
        var iwork = [Int32](repeating: 0, count: max(liwork, 1))
        return LAPACKE_ssyevd_work(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: vectors ? "V" : "N")), triangle.lapack,
                                   Int32(n), a, Int32(lda), w, &work, Int32(lwork), &iwork, Int32(liwork))
    }

    public static func syevr(
        _ triangle: Triangle, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, w: UnsafeMutablePointer<Float>,
        z: UnsafeMutablePointer<Float>, ldz: Int
    ) -> Int32 {
        var found: Int32 = 0
        var support = [Int32](repeating: 0, count: 2 * max(n, 1))
        return LAPACKE_ssyevr(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "A")), triangle.lapack,
                              Int32(n), a, Int32(lda), 0, 0, 0, 0, 0, &found, w, z, Int32(ldz), &support)
    }
}

extension Double: BLASScalar {
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas, blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func gemv(
        _ trans: Transpose, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, incx: Int, beta: Double, y: UnsafeMutablePointer<Double>, incy: Int
    ) {
        cblas_dgemv(CblasRowMajor, trans.cblas, blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, blasint(incx), beta, y, blasint(incy))
    }

    public static func syrk(
        _ triangle: Triangle, _ trans: Transpose, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>,
        lda: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dsyrk(CblasRowMajor, triangle.cblas, trans.cblas, blasint(n), blasint(k), alpha, a,
                    blasint(lda), beta, c, blasint(ldc))
    }

    public static func syevd(
        vectors: Bool, _ triangle: Triangle, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        w: UnsafeMutablePointer<Double>
    ) -> Int32 {
        LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: vectors ? "V" : "N")), triangle.lapack,
                       Int32(n), a, Int32(lda), w)
    }

    public static func syevr(
        _ triangle: Triangle, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, w: UnsafeMutablePointer<Double>,
        z: UnsafeMutablePointer<Double>, ldz: Int
    ) -> Int32 {
        var found: Int32 = 0
        var support = [Int32](repeating: 0, count: 2 * max(n, 1))
        return LAPACKE_dsyevr(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "A")), triangle.lapack,
                              Int32(n), a, Int32(lda), 0, 0, 0, 0, 0, &found, w, z, Int32(ldz), &support)
    }
}
