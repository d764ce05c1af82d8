import Dispatch
import Foundation

/// Products and factorizations on `Matrix`, each a thin shape-checked wrapper over one BLAS/LAPACK call.
extension Matrix {
    /// Accumulates `self ← α·op(a)·op(b) + β·self` (sgemm/dgemm). `self` must already have the result's shape.
    public mutating func gemm(
        _ a: Matrix, _ transA: Transpose = .none, _ b: Matrix, _ transB: Transpose = .none,
        alpha: Scalar = 1, beta: Scalar = 0
    ) {
        let (m, k) = transA == .none ? (a.rows, a.cols) : (a.cols, a.rows)
        let (kb, n) = transB == .none ? (b.rows, b.cols) : (b.cols, b.rows)
        precondition(k == kb, "gemm inner dimensions differ: \(k) vs \(kb)")
        precondition(rows == m && cols == n, "gemm result is \(rows)×\(cols), expected \(m)×\(n)")
        if m == 0 || n == 0 { return }
        let lda = max(a.cols, 1), ldb = max(b.cols, 1), ldc = max(cols, 1)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                storage.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transA, transB, m: m, n: n, k: k, alpha: alpha,
                                a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                beta: beta, c: pc.baseAddress!, ldc: ldc)
                }
            }
        }
    }

    /// Accumulates `self ← α·a·b + β·self` with neither operand transposed.
    public mutating func gemm(_ a: Matrix, _ b: Matrix, alpha: Scalar = 1, beta: Scalar = 0) {
        gemm(a, .none, b, .none, alpha: alpha, beta: beta)
    }

    /// a·b as a new matrix.
    public static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
        product(a, .none, b, .none)
    }

    /// op(a)·op(b) as a new matrix.
    public static func product(
        _ a: Matrix, _ transA: Transpose = .none, _ b: Matrix, _ transB: Transpose = .none
    ) -> Matrix {
        let m = transA == .none ? a.rows : a.cols
        let n = transB == .none ? b.cols : b.rows
        var c = Matrix(rows: m, cols: n)
        c.gemm(a, transA, b, transB)
        return c
    }

    /// Accumulates `y ← α·op(self)·x + β·y` (sgemv/dgemv).
    public func gemv(_ trans: Transpose = .none, x: [Scalar], into y: inout [Scalar], alpha: Scalar = 1, beta: Scalar = 0) {
        let (outCount, inCount) = trans == .none ? (rows, cols) : (cols, rows)
        precondition(x.count == inCount && y.count == outCount,
                     "gemv shapes: matrix \(rows)×\(cols) \(trans), x \(x.count), y \(y.count)")
        if outCount == 0 { return }
        if inCount == 0 {
            for i in y.indices { y[i] *= beta }
            return
        }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    Scalar.gemv(trans, m: rows, n: cols, alpha: alpha, a: pa.baseAddress!, lda: max(cols, 1),
                                x: px.baseAddress!, incx: 1, beta: beta, y: py.baseAddress!, incy: 1)
                }
            }
        }
    }

    /// Accumulates the Gram matrix `self ← α·op(a)·op(a)ᵀ + β·self` (ssyrk/dsyrk) and mirrors the computed
    /// triangle so the whole symmetric matrix is valid.
    public mutating func syrk(_ a: Matrix, _ trans: Transpose = .none, alpha: Scalar = 1, beta: Scalar = 0) {
        let (n, k) = trans == .none ? (a.rows, a.cols) : (a.cols, a.rows)
        precondition(rows == n && cols == n, "syrk result is \(rows)×\(cols), expected \(n)×\(n)")
        if n == 0 { return }
        if k > 0 {
            a.storage.withUnsafeBufferPointer { pa in
                storage.withUnsafeMutableBufferPointer { pc in
                    Scalar.syrk(.upper, trans, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: max(a.cols, 1),
                                beta: beta, c: pc.baseAddress!, ldc: n)
                }
            }
        } else {
            for i in storage.indices { storage[i] *= beta }
        }
        symmetrize(from: .upper)
    }

    /// Copies one triangle of a square matrix onto the other.
    @inlinable  // specialized at the call site: unspecialized, every element goes through value witnesses
    public mutating func symmetrize(from triangle: Triangle) {
        precondition(rows == cols, "symmetrize needs a square matrix, got \(rows)×\(cols)")
        let n = rows
        storage.withUnsafeMutableBufferPointer { c in
            for i in 0..<n {
                for j in (i + 1)..<n {
                    if triangle == .upper { c[j * n + i] = c[i * n + j] } else { c[i * n + j] = c[j * n + i] }
                }
            }
        }
    }
}

/// Eigenvalues in ascending order and the matching orthonormal eigenvectors as the columns of `vectors`.
public struct SymmetricEigen<Scalar: BLASScalar>: Sendable {
    public let values: [Scalar]
    /// n×n; column j is the eigenvector of `values[j]`. Empty (0×0) when only values were asked for.
    public let vectors: Matrix<Scalar>

    /// Decomposes the symmetric matrix `a` (only its upper triangle is read) with LAPACK's divide-and-conquer
    /// solver (`ssyevd`/`dsyevd`) on one OpenBLAS thread: measured here (BENCHMARKS.md, "Threads") one thread is
    /// as fast or faster than two at p = 400…1600, and several threads can be an order of magnitude slower when
    /// the cores are busy. Independent decompositions run side by side with `decomposeAll` instead.
    public init(_ a: Matrix<Scalar>, computeVectors: Bool = true) throws {
        self = try BLASRuntime.withThreads(1) { try SymmetricEigen(decomposing: a, computeVectors: computeVectors) }
    }

    /// LAPACK's drivers for all eigenpairs of a symmetric matrix. Both reduce to tridiagonal form (dsytrd, half of
    /// it matrix-vector products) and transform the vectors back (dormtr); they differ in the tridiagonal solver.
    public enum Driver: String, Sendable, CaseIterable {
        /// Divide and conquer (`ssyevd`/`dsyevd`).
        case divideAndConquer = "syevd"
        /// Relatively robust representations (`ssyevr`/`dsyevr`): O(n²) for the tridiagonal eigenvectors.
        case relativelyRobust = "syevr"
    }

    /// Eigenvalues and vectors of the symmetric `a` (upper triangle read) by `driver`, on one OpenBLAS thread.
    public init(_ a: Matrix<Scalar>, driver: Driver) throws {
        switch driver {
        case .divideAndConquer: try self.init(a)
        case .relativelyRobust: self = try BLASRuntime.withThreads(1) { try SymmetricEigen(robust: a) }
        }
    }

    private init(robust a: Matrix<Scalar>) throws {
        precondition(a.rows == a.cols, "eigendecomposition needs a square matrix, got \(a.rows)×\(a.cols)")
        let n = a.rows
        var work = a.storage
        var w = [Scalar](repeating: 0, count: n)
        var z = [Scalar](repeating: 0, count: n * n)
        if n > 0 {
            let info = work.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    z.withUnsafeMutableBufferPointer { pz in
                        Scalar.syevr(.upper, n: n, a: pa.baseAddress!, lda: n, w: pw.baseAddress!, z: pz.baseAddress!, ldz: n)
                    }
                }
            }
            if info != 0 {
                throw LAPACKError(routine: Scalar.self == Float.self ? "ssyevr" : "dsyevr", info: info)
            }
        }
        values = w
        vectors = Matrix(rows: n, cols: n, storage: z)
    }

    private init(decomposing a: Matrix<Scalar>, computeVectors: Bool) throws {
        precondition(a.rows == a.cols, "eigendecomposition needs a square matrix, got \(a.rows)×\(a.cols)")
        let n = a.rows
        var work = a.storage
        var w = [Scalar](repeating: 0, count: n)
        if n > 0 {
            let info = work.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    Scalar.syevd(vectors: computeVectors, .upper, n: n, a: pa.baseAddress!, lda: n, w: pw.baseAddress!)
                }
            }
            if info != 0 {
                throw LAPACKError(routine: Scalar.self == Float.self ? "ssyevd" : "dsyevd", info: info)
            }
        }
        values = w
        vectors = computeVectors ? Matrix(rows: n, cols: n, storage: work) : Matrix(rows: 0, cols: 0)
    }

    /// Decomposes independent matrices side by side, each on one OpenBLAS thread, at most `BLASRuntime.threads`
    /// at once (so the cores BLAS may use stay busy without oversubscription). The results equal those of
    /// `SymmetricEigen(_:)` on each matrix, in order; the first failure (in order) is thrown.
    public static func decomposeAll(_ matrices: [Matrix<Scalar>], computeVectors: Bool = true) throws -> [SymmetricEigen] {
        let workers = max(1, min(BLASRuntime.threads, matrices.count))
        let slots = EigenSlots<Scalar>(count: matrices.count)
        BLASRuntime.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: matrices.count, by: workers) {
                    slots.set(i, Result { try SymmetricEigen(decomposing: matrices[i], computeVectors: computeVectors) })
                }
            }
        }
        return try slots.results.map { try $0!.get() }
    }
}

/// One result slot per matrix of `decomposeAll`, each written by exactly one worker.
private final class EigenSlots<Scalar: BLASScalar>: @unchecked Sendable {
    private(set) var results: [Result<SymmetricEigen<Scalar>, any Error>?]
    private let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<SymmetricEigen<Scalar>, any Error>) {
        lock.lock()
        results[i] = r
        lock.unlock()
    }
}
