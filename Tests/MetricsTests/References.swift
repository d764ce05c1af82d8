import NumericCore

/// Independent textbook references the Metrics kernels are checked against.
enum Reference {
    /// Brute-force nearest and second-nearest rows: every squared distance Σₖ (qₖ − rₖ)² in Float64, ties to the
    /// lower index.
    static func topTwo(_ q: Matrix<Float>, _ r: Matrix<Float>) -> (nn1: [Int], nn2: [Int], d1: [Double], d2: [Double]) {
        var nn1: [Int] = [], nn2: [Int] = [], d1: [Double] = [], d2: [Double] = []
        for i in 0..<q.rows {
            var dist: [(Double, Int)] = []
            for j in 0..<r.rows {
                var s = 0.0
                for k in 0..<q.cols {
                    let t = Double(q[i, k]) - Double(r[j, k])
                    s += t * t
                }
                dist.append((s, j))
            }
            dist.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            nn1.append(dist[0].1); nn2.append(dist[1].1)
            d1.append(dist[0].0.squareRoot()); d2.append(dist[1].0.squareRoot())
        }
        return (nn1, nn2, d1, d2)
    }

    /// Sample mean and unbiased covariance by the definition.
    static func meanAndCovariance(_ x: Matrix<Float>) -> ([Double], [[Double]]) {
        let n = x.rows, d = x.cols
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for k in 0..<d { mean[k] += Double(x[i, k]) / Double(n) } }
        var cov = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for a in 0..<d {
            for b in 0..<d {
                var s = 0.0
                for i in 0..<n { s += (Double(x[i, a]) - mean[a]) * (Double(x[i, b]) - mean[b]) }
                cov[a][b] = s / Double(n - 1)
            }
        }
        return (mean, cov)
    }

    static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        let n = a.count, m = b[0].count, k = b.count
        var c = [[Double]](repeating: [Double](repeating: 0, count: m), count: n)
        for i in 0..<n { for j in 0..<m { for l in 0..<k { c[i][j] += a[i][l] * b[l][j] } } }
        return c
    }

    /// Inverse by Gauss–Jordan elimination with partial pivoting.
    static func inverse(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var m = a, inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for c in 0..<n {
            let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, p); inv.swapAt(c, p)
            let d = m[c][c]
            for j in 0..<n { m[c][j] /= d; inv[c][j] /= d }
            for r in 0..<n where r != c {
                let f = m[r][c]
                if f == 0 { continue }
                for j in 0..<n { m[r][j] -= f * m[c][j]; inv[r][j] -= f * inv[c][j] }
            }
        }
        return inv
    }

    /// The principal square root of a matrix with positive real eigenvalues (Denman–Beavers iteration) — the
    /// general, non-symmetric `sqrtm` that pytorch-fid applies to Σ₁Σ₂.
    static func sqrtm(_ a: [[Double]]) -> [[Double]] {
        var y = a, z = (0..<a.count).map { i in (0..<a.count).map { $0 == i ? 1.0 : 0.0 } }
        for _ in 0..<60 {
            let yi = inverse(y), zi = inverse(z)
            for i in 0..<a.count {
                for j in 0..<a.count {
                    let ny = 0.5 * (y[i][j] + zi[i][j]), nz = 0.5 * (z[i][j] + yi[i][j])
                    y[i][j] = ny; z[i][j] = nz
                }
            }
        }
        return y
    }

    /// FD by the textbook formula ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 sqrtm(Σ₁Σ₂)).
    static func frechetDistance(_ a: Matrix<Float>, _ b: Matrix<Float>) -> Double {
        let (m1, c1) = meanAndCovariance(a), (m2, c2) = meanAndCovariance(b)
        let root = sqrtm(multiply(c1, c2))
        var fd = 0.0
        for k in 0..<m1.count { fd += (m1[k] - m2[k]) * (m1[k] - m2[k]) + c1[k][k] + c2[k][k] - 2 * root[k][k] }
        return fd
    }
}
