/// Checks the loaded BLAS/LAPACK kernels against naive Double-precision loops on odd-shaped random inputs.
///
/// Forcing a kernel family with `OPENBLAS_CORETYPE` is only safe if that family computes correctly on this
/// CPU; `genwindow doctor` and the tests run this on whatever kernels are active.
public enum KernelSelfCheck {
    public struct Result: Sendable {
        public let name: String
        public let relativeError: Double
        public let tolerance: Double
        public var passed: Bool { relativeError <= tolerance }
    }

    public static func run(seed: UInt64) -> [Result] {
        var rng = Xoshiro256(seed: seed)
        func random(_ r: Int, _ c: Int) -> Matrix<Float> { Matrix(rows: r, cols: c, storage: rng.normals(r * c)) }
        var results: [Result] = []

        // sgemm with both operands transposed, odd shapes, α and β.
        let a = random(67, 45), b = random(83, 67), c0 = random(45, 83)
        var c = c0
        c.gemm(a, .transposed, b, .transposed, alpha: 0.5, beta: 2)
        var worst = 0.0, scale = 1.0
        for i in 0..<45 {
            for j in 0..<83 {
                var s = 0.0
                for l in 0..<67 { s += Double(a[l, i]) * Double(b[j, l]) }
                let expected = 0.5 * s + 2 * Double(c0[i, j])
                worst = max(worst, abs(Double(c[i, j]) - expected))
                scale = max(scale, abs(expected))
            }
        }
        results.append(Result(name: "sgemm", relativeError: worst / scale, tolerance: 1e-5))

        // sgemv, transposed.
        let m = random(71, 39), x = rng.normals(71, as: Float.self)
        var y = [Float](repeating: 0, count: 39)
        m.gemv(.transposed, x: x, into: &y)
        worst = 0; scale = 1
        for j in 0..<39 {
            var s = 0.0
            for i in 0..<71 { s += Double(m[i, j]) * Double(x[i]) }
            worst = max(worst, abs(Double(y[j]) - s))
            scale = max(scale, abs(s))
        }
        results.append(Result(name: "sgemv", relativeError: worst / scale, tolerance: 1e-5))

        // ssyrk: Gram matrix of a 53×29 block.
        let g = random(53, 29)
        var gram = Matrix<Float>(rows: 53, cols: 53)
        gram.syrk(g)
        worst = 0; scale = 1
        for i in 0..<53 {
            for j in 0..<53 {
                var s = 0.0
                for l in 0..<29 { s += Double(g[i, l]) * Double(g[j, l]) }
                worst = max(worst, abs(Double(gram[i, j]) - s))
                scale = max(scale, abs(s))
            }
        }
        results.append(Result(name: "ssyrk", relativeError: worst / scale, tolerance: 1e-5))

        // ssyevd: reconstruct A = V diag(w) Vᵀ.
        let n = 40
        let h = random(n, n)
        var sym = Matrix<Float>(rows: n, cols: n)
        sym.gemm(h, .none, h, .transposed)
        if let eig = try? SymmetricEigen(sym) {
            worst = 0; scale = 1
            for i in 0..<n {
                for j in 0..<n {
                    var s = 0.0
                    for k in 0..<n { s += Double(eig.vectors[i, k]) * Double(eig.values[k]) * Double(eig.vectors[j, k]) }
                    worst = max(worst, abs(s - Double(sym[i, j])))
                    scale = max(scale, abs(Double(sym[i, j])))
                }
            }
            results.append(Result(name: "ssyevd", relativeError: worst / scale, tolerance: 1e-4))
        } else {
            results.append(Result(name: "ssyevd", relativeError: .infinity, tolerance: 1e-4))
        }
        return results
    }
}
