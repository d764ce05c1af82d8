import NumericCore
import Testing
import TestSupport

@Suite("BLAS wrappers against naive loops")
struct MatrixBLASTests {
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (1, 7, 3), (3, 1, 17), (7, 17, 1), (17, 3, 7), (33, 65, 31), (64, 64, 64)]
    static let transposes: [(Transpose, Transpose)] = [(.none, .none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)]

    @Test("sgemm and dgemm match a Double triple loop", arguments: shapes)
    func gemmMatchesNaive(m: Int, n: Int, k: Int) {
        var rng = Xoshiro256(seed: UInt64(m * 10_000 + n * 100 + k))
        for (ta, tb) in Self.transposes {
            let a: Matrix<Float> = ta == .none ? NaiveReference.randomMatrix(m, k, &rng) : NaiveReference.randomMatrix(k, m, &rng)
            let b: Matrix<Float> = tb == .none ? NaiveReference.randomMatrix(k, n, &rng) : NaiveReference.randomMatrix(n, k, &rng)
            let c = Matrix.product(a, ta, b, tb)
            #expect(NaiveReference.relativeError(c, NaiveReference.product(a, ta, b, tb)) < 1e-5, "float \(ta) \(tb)")
            let ad = a.converted(to: Double.self), bd = b.converted(to: Double.self)
            let cd = Matrix.product(ad, ta, bd, tb)
            #expect(NaiveReference.relativeError(cd, NaiveReference.product(ad, ta, bd, tb)) < 1e-12, "double \(ta) \(tb)")
        }
    }

    @Test("gemm honours alpha and beta (accumulate in place)")
    func gemmAlphaBeta() {
        var rng = Xoshiro256(seed: 3)
        let a: Matrix<Float> = NaiveReference.randomMatrix(5, 4, &rng)
        let b: Matrix<Float> = NaiveReference.randomMatrix(4, 6, &rng)
        let c0: Matrix<Float> = NaiveReference.randomMatrix(5, 6, &rng)
        var c = c0
        c.gemm(a, b, alpha: -0.5, beta: 3)
        let ab = NaiveReference.product(a, .none, b, .none)
        var expected = Matrix<Double>(rows: 5, cols: 6)
        for i in 0..<30 { expected.storage[i] = -0.5 * ab.storage[i] + 3 * Double(c0.storage[i]) }
        #expect(NaiveReference.relativeError(c, expected) < 1e-5)
    }

    @Test("sgemv matches a naive loop, plain and transposed, with beta")
    func gemv() {
        var rng = Xoshiro256(seed: 4)
        let a: Matrix<Float> = NaiveReference.randomMatrix(9, 13, &rng)
        let x13: [Float] = rng.normals(13), x9: [Float] = rng.normals(9)
        var y = [Float](repeating: 1, count: 9)
        a.gemv(x: x13, into: &y, alpha: 2, beta: 0.5)
        for i in 0..<9 {
            var s = 0.0
            for j in 0..<13 { s += Double(a[i, j]) * Double(x13[j]) }
            #expect(abs(Double(y[i]) - (2 * s + 0.5)) < 1e-4)
        }
        var z = [Float](repeating: 0, count: 13)
        a.gemv(.transposed, x: x9, into: &z)
        for j in 0..<13 {
            var s = 0.0
            for i in 0..<9 { s += Double(a[i, j]) * Double(x9[i]) }
            #expect(abs(Double(z[j]) - s) < 1e-4)
        }
    }

    @Test("ssyrk fills the whole symmetric Gram matrix", arguments: [Transpose.none, .transposed])
    func syrk(trans: Transpose) {
        var rng = Xoshiro256(seed: 5)
        let a: Matrix<Float> = NaiveReference.randomMatrix(11, 7, &rng)
        let n = trans == .none ? 11 : 7
        var g = Matrix<Float>(rows: n, cols: n, repeating: 1)
        g.syrk(a, trans, alpha: 1, beta: 2)
        let other: Transpose = trans == .none ? .transposed : .none
        let ref = NaiveReference.product(a, trans, a, other)
        var expected = ref
        for i in 0..<expected.count { expected.storage[i] += 2 }
        #expect(NaiveReference.relativeError(g, expected) < 1e-5)
        #expect(g == g.transposed())
    }

    @Test("empty shapes are no-ops")
    func emptyShapes() {
        let a = Matrix<Float>(rows: 0, cols: 3), b = Matrix<Float>(rows: 3, cols: 4)
        #expect(Matrix.product(a, b).rows == 0)
        var c = Matrix<Float>(rows: 2, cols: 2, repeating: 5)
        c.gemm(Matrix(rows: 2, cols: 0), Matrix(rows: 0, cols: 2), beta: 0)
        #expect(c.storage == [0, 0, 0, 0], "k = 0 leaves β·C = 0")
    }

    @Test("transposed, reshaped, rows and converted keep element order")
    func layoutHelpers() {
        let m = Matrix<Float>(rows: 2, cols: 3, storage: [1, 2, 3, 4, 5, 6])
        #expect(m.transposed().storage == [1, 4, 2, 5, 3, 6])
        #expect(m.reshaped(rows: 3, cols: 2)[2, 1] == 6)
        #expect(m.rows(1..<2).storage == [4, 5, 6])
        #expect(m.row(0) == [1, 2, 3])
        #expect(m.converted(to: Double.self).storage == [1, 2, 3, 4, 5, 6])
        #expect(Matrix<Double>.identity(2).storage == [1, 0, 0, 1])
    }

    @Test("the active kernels pass the doctor's self-check")
    func kernelSelfCheck() {
        for result in KernelSelfCheck.run(seed: 11) {
            #expect(result.passed, "\(result.name) relative error \(result.relativeError)")
        }
    }
}
