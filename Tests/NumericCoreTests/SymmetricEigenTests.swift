import Foundation
import NumericCore
import Testing
import TestSupport

@Suite("Symmetric eigendecomposition (LAPACK syevd)")
struct SymmetricEigenTests {
    @Test("a known 2×2 matrix")
    func twoByTwo() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        let eig = try SymmetricEigen(Matrix<Double>(rows: 2, cols: 2, storage: [2, 1, 1, 2]))
        #expect(abs(eig.values[0] - 1) < 1e-12 && abs(eig.values[1] - 3) < 1e-12)
        let v = eig.vectors
        #expect(abs(abs(v[0, 0]) - 0.5.squareRoot()) < 1e-12)
        #expect(abs(v[0, 0] + v[1, 0]) < 1e-12)
        #expect(abs(v[0, 1] - v[1, 1]) < 1e-12)
    }

    @Test("a diagonal matrix gives its sorted diagonal")
    func diagonal() throws {
        var d = Matrix<Float>(rows: 4, cols: 4)
        for (i, x) in [3.0, -1.0, 7.0, 0.5].enumerated() { d[i, i] = Float(x) }
        let eig = try SymmetricEigen(d, computeVectors: false)
        #expect(eig.values == [-1, 0.5, 3, 7])
        #expect(eig.vectors.count == 0)
    }

    @Test("ssyevd decomposes n ≥ 2897, where LAPACKE's Float workspace query rounds the size down")
    func singlePrecisionLarge() throws {
        let n = 2900
        var a = Matrix<Float>(rows: n, cols: n)
        for i in 0..<n {
            a[i, i] = 2
            if i + 1 < n { a[i, i + 1] = -1; a[i + 1, i] = -1 }
        }
        let eig = try SymmetricEigen(a)
        // The path graph's Laplacian-like matrix: eigenvalues 2 − 2cos(kπ/(n+1)), k = 1…n.
        for k in [1, n / 2, n] {
            #expect(abs(Double(eig.values[k - 1]) - (2 - 2 * cos(Double(k) * .pi / Double(n + 1)))) < 1e-5)
        }
    }

    @Test("syevr gives syevd's eigenvalues and orthonormal eigenvectors", arguments: [1, 7, 60])
    func robustDriver(n: Int) throws {
        var rng = Xoshiro256(seed: UInt64(n) + 10)
        let h: Matrix<Double> = NaiveReference.randomMatrix(n, n + 2, &rng)
        var a = Matrix<Double>(rows: n, cols: n)
        a.syrk(h)
        let reference = try SymmetricEigen(a)
        let robust = try SymmetricEigen(a, driver: .relativelyRobust)
        let scale = reference.values.map(abs).max()!
        for (x, y) in zip(robust.values, reference.values) { #expect(abs(x - y) <= 1e-12 * scale) }
        var scaled = robust.vectors
        for i in 0..<n { for j in 0..<n { scaled[i, j] *= robust.values[j] } }
        #expect(NaiveReference.relativeError(Matrix.product(scaled, .none, robust.vectors, .transposed), a) < 1e-10)
        let gram = Matrix.product(robust.vectors, .transposed, robust.vectors, .none)
        #expect(NaiveReference.relativeError(gram, Matrix<Double>.identity(n)) < 1e-12)
        let single = try SymmetricEigen<Float>(a.converted(), driver: .relativelyRobust)
        for (x, y) in zip(single.values, reference.values) { #expect(abs(Double(x) - y) <= 1e-5 * scale) }
    }

    @Test("QᵀAQ by Cholesky equals the two products; nil for an indefinite A", arguments: [(1, 1), (6, 4), (40, 40)])
    func congruenceByCholesky(n: Int, k: Int) throws {
        var rng = Xoshiro256(seed: UInt64(n * 100 + k))
        let h: Matrix<Double> = NaiveReference.randomMatrix(n, n + 3, &rng)
        var a = Matrix<Double>(rows: n, cols: n)
        a.syrk(h)
        let q: Matrix<Double> = NaiveReference.randomMatrix(n, k, &rng)
        let expected = Matrix.product(q, .transposed, Matrix.product(a, .none, q))
        let fast = try #require(a.congruence(positiveDefiniteBy: q))
        #expect(NaiveReference.relativeError(fast, expected) < 1e-12)
        #expect(fast == fast.transposed())
        var indefinite = a
        indefinite[n - 1, n - 1] = -1
        #expect(indefinite.congruence(positiveDefiniteBy: q) == nil)
    }

    @Test("V diag(w) Vᵀ reconstructs a random SPD matrix and V is orthonormal", arguments: [1, 5, 30])
    func reconstruction(n: Int) throws {
        var rng = Xoshiro256(seed: UInt64(n))
        let h: Matrix<Double> = NaiveReference.randomMatrix(n, n + 2, &rng)
        var a = Matrix<Double>(rows: n, cols: n)
        a.syrk(h)
        let eig = try SymmetricEigen(a)
        #expect(eig.values == eig.values.sorted())
        var scaled = eig.vectors
        for i in 0..<n { for j in 0..<n { scaled[i, j] *= eig.values[j] } }
        let back = Matrix.product(scaled, .none, eig.vectors, .transposed)
        #expect(NaiveReference.relativeError(back, a) < 1e-10)
        let gram = Matrix.product(eig.vectors, .transposed, eig.vectors, .none)
        #expect(NaiveReference.relativeError(gram, Matrix<Double>.identity(n)) < 1e-12)
    }

    @Test("decomposeAll equals one decomposition at a time, in order, and reports a failure")
    func sideBySide() throws {
        var rng = Xoshiro256(seed: 21)
        let matrices: [Matrix<Double>] = [5, 40, 1, 17, 64].map { n in
            let w = Matrix<Double>(rows: n, cols: n, storage: rng.normals(n * n))
            var a = Matrix<Double>.identity(n)
            a.syrk(w, alpha: 1, beta: 1)
            return a
        }
        let together = try SymmetricEigen.decomposeAll(matrices)
        #expect(together.count == matrices.count)
        for (a, e) in zip(matrices, together) {
            let alone = try SymmetricEigen(a)
            #expect(e.values == alone.values && e.vectors == alone.vectors)
        }
        let broken = Matrix<Double>(rows: 2, cols: 2, storage: [.nan, 0, 0, 1])
        #expect(throws: LAPACKError.self) { try SymmetricEigen.decomposeAll([matrices[0], broken]) }
    }
}
