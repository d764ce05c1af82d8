import NumericCore

/// Nearest-neighbour memorization test (shared/science.md §1) on raw values: sample x is memorized when
/// ‖x − a1‖ / ‖x − a2‖ < k, a1 and a2 its nearest and second-nearest training points.
struct NeighbourRatios {
    /// Per sample: index of a1, distances d1 ≤ d2, ratio d1/d2.
    var nearest: [Int]
    var d1: [Double]
    var d2: [Double]
    var ratio: [Double]

    /// Brute force: squared distances by one sgemm, then the two best candidates recomputed exactly in Double.
    init(samples: Matrix<Float>, training: Matrix<Float>) {
        let m = samples.rows, n = training.rows, d = samples.cols
        precondition(n >= 2 && training.cols == d, "need at least two training points of the samples' dimension")
        let cross = Matrix.product(samples, .none, training, .transposed)
        let tNorm = (0..<n).map { i in (0..<d).reduce(Float(0)) { $0 + training[i, $1] * training[i, $1] } }
        nearest = []; d1 = []; d2 = []; ratio = []
        for r in 0..<m {
            var best = (Float.infinity, -1), second = (Float.infinity, -1)
            for i in 0..<n {
                let q = tNorm[i] - 2 * cross[r, i]
                if q < best.0 { second = best; best = (q, i) } else if q < second.0 { second = (q, i) }
            }
            func exact(_ i: Int) -> Double {
                var s = 0.0
                for j in 0..<d { let t = Double(samples[r, j]) - Double(training[i, j]); s += t * t }
                return s.squareRoot()
            }
            var (a, b) = (exact(best.1), exact(second.1))
            var ia = best.1
            if b < a { swap(&a, &b); ia = second.1 }
            nearest.append(ia); d1.append(a); d2.append(b)
            ratio.append(b > 0 ? a / b : 0)
        }
    }

    /// Share of samples with ratio < k, and its 95% percentile-bootstrap interval.
    func memorizedFraction(k: Double, resamples: Int, seed: UInt64) -> (frac: Double, low: Double, high: Double) {
        let flags = ratio.map { $0 < k ? 1 : 0 }
        let m = flags.count
        guard m > 0 else { return (.nan, .nan, .nan) }
        let frac = Double(flags.reduce(0, +)) / Double(m)
        var rng = Xoshiro256(seed: seed, stream: 0xB007)
        var fractions = [Double]()
        fractions.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var c = 0
            for _ in 0..<m { c += flags[rng.nextInt(below: m)] }
            fractions.append(Double(c) / Double(m))
        }
        fractions.sort()
        guard resamples > 0 else { return (frac, frac, frac) }
        let lo = fractions[Int((0.025 * Double(resamples - 1)).rounded())]
        let hi = fractions[Int((0.975 * Double(resamples - 1)).rounded())]
        return (frac, lo, hi)
    }
}

/// Fréchet distance between Gaussian fits of two point sets in data space (shared/science.md §7, Float64):
/// ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2(Σ1^½ Σ2 Σ1^½)^½).
enum DataFrechet {
    static func between(_ a: Matrix<Float>, _ b: Matrix<Float>) throws -> Double {
        let (ma, ca) = moments(a), (mb, cb) = moments(b)
        let d = a.cols
        var meanTerm = 0.0
        for j in 0..<d { meanTerm += (ma[j] - mb[j]) * (ma[j] - mb[j]) }
        let rootA = try symmetricRoot(ca)
        let inner = Matrix.product(Matrix.product(rootA, .none, cb, .none), .none, rootA, .none)
        var symmetric = inner
        symmetric.symmetrize(from: .upper)
        let eig = try SymmetricEigen(symmetric, computeVectors: false)
        let traceRoot = eig.values.reduce(0.0) { $0 + max($1, 0).squareRoot() }
        var trace = 0.0
        for j in 0..<d { trace += ca[j, j] + cb[j, j] }
        return meanTerm + trace - 2 * traceRoot
    }

    private static func moments(_ x: Matrix<Float>) -> ([Double], Matrix<Double>) {
        let n = x.rows, d = x.cols
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(x[i, j]) } }
        for j in 0..<d { mean[j] /= Double(n) }
        var centred = Matrix<Double>(rows: n, cols: d)
        for i in 0..<n { for j in 0..<d { centred[i, j] = Double(x[i, j]) - mean[j] } }
        var cov = Matrix<Double>(rows: d, cols: d)
        cov.syrk(centred, .transposed, alpha: 1 / Double(max(n - 1, 1)))
        return (mean, cov)
    }

    private static func symmetricRoot(_ c: Matrix<Double>) throws -> Matrix<Double> {
        let eig = try SymmetricEigen(c)
        let d = c.rows
        var scaled = eig.vectors
        for i in 0..<d { for j in 0..<d { scaled[i, j] *= max(eig.values[j], 0).squareRoot() } }
        return Matrix.product(scaled, .none, eig.vectors, .transposed)
    }
}
