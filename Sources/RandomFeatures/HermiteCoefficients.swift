import NumericCore

/// The Hermite coefficients c_k(ν,i) = E_g[tanh(a_νi + s_i g)·He_k(g)] (k = 0…order) of every (point ν, feature i),
/// and Σ_ν E_g[tanh(a_νi + s_i g)²], by Gauss–Hermite quadrature vectorized over the features.
///
/// With y = e^{2a}·e^{2 s_i g_q}, tanh(a + s_i g_q) = (y − 1)/(y + 1): one exp per (ν, i), with the p×nodes table of
/// e^{2 s_i g_q} made once, instead of one tanh per (ν, i, node) (absolute error a few ulps, which is what an
/// expectation needs). The sums over the nodes are one GEMM per point with the nodes×(order+1) table w_q·He_k(g_q).
/// These m·p·nodes tanh values were the setup's largest scalar cost (`rf_setup_*`).
///
/// Orders below `float64Orders` are kept in Float64, the others in Float32 (`RFNoiseAverage.mehlerGram` sums their
/// terms in Float32: they are scaled by ρ^k/k!), which also halves the memory of the largest n×p tables.
struct HermiteCoefficients {
    /// Blocks k < `float64Orders`, each m×p row-major: element [k][ν][i] = c_k(ν, i).
    let low: [Double]
    /// Blocks k ≥ `float64Orders`, the same layout.
    let high: [Float]
    /// Σ_ν E_g[tanh(a_νi + s_i g)²] for each feature i.
    let squareSums: [Double]
    let order: Int
    let float64Orders: Int
    let m: Int
    let p: Int

    /// |a + s·g| above this makes tanh ±1 in Float64 (tanh(20) = 1 − 8.5e−18).
    static let saturation = 20.0

    init(shifts: Matrix<Double>, scales: [Double], order: Int, float64Orders: Int, quadrature gh: GaussHermite) {
        let m = shifts.rows, p = shifts.cols, nodes = gh.nodes.count, width = order + 1
        let lowCount = min(float64Orders, width)
        precondition(scales.count == p, "one scale per feature")
        let reach = gh.nodes.map(abs).max() ?? 0
        // e^{2 s g} of every (feature, node), and how far a may go before every node saturates.
        var growth = [Double](repeating: 0, count: p * nodes)
        var limit = [Double](repeating: 0, count: p)
        for i in 0..<p {
            precondition(scales[i] >= 0 && scales[i] * reach < 150, "noise scale \(scales[i]) out of range")
            for q in 0..<nodes { growth[i * nodes + q] = rfExp(2 * scales[i] * gh.nodes[q]) }
            limit[i] = Self.saturation + scales[i] * reach
        }
        // w_q·He_k(g_q): the weights of c_k as a (order+1)×nodes matrix.
        var hermite = Matrix<Double>(rows: width, cols: nodes)
        for q in 0..<nodes {
            let g = gh.nodes[q]
            var previous = 0.0, current = 1.0
            for k in 0..<width {
                hermite[k, q] = gh.weights[q] * current
                (previous, current) = (current, g * current - Double(k) * previous)
            }
        }
        var low = [Double](repeating: 0, count: lowCount * m * p)
        var high = [Float](repeating: 0, count: (width - lowCount) * m * p)
        var row = [Double](repeating: 0, count: width * p)  // c_k(ν, ·) of one point, k = 0…order
        var squares = [Double](repeating: 0, count: p)
        var values = [Double](repeating: 0, count: p * nodes)  // tanh(a_νi + s_i g_q), row i
        let weights = gh.weights
        shifts.storage.withUnsafeBufferPointer { pa in
            row.withUnsafeMutableBufferPointer { pr in
                for nu in 0..<m {
                    values.withUnsafeMutableBufferPointer { pt in
                        growth.withUnsafeBufferPointer { pg in
                            for i in 0..<p {
                                let a = pa[nu * p + i]
                                let row = i * nodes
                                var square = 0.0
                                if abs(a) > limit[i] {
                                    let sign: Double = a > 0 ? 1 : -1
                                    for q in 0..<nodes { pt[row + q] = sign }
                                    square = 1
                                } else {
                                    let ea = rfExp(2 * a)
                                    for q in 0..<nodes {
                                        let y = ea * pg[row + q]
                                        let t = (y - 1) / (y + 1)
                                        pt[row + q] = t
                                        square += weights[q] * t * t
                                    }
                                }
                                squares[i] += square
                            }
                        }
                        // c_k(ν, ·) for every k ← hermite (width×nodes) · valuesᵀ (nodes×p).
                        hermite.storage.withUnsafeBufferPointer { ph in
                            Double.gemm(.none, .transposed, m: width, n: p, k: nodes, alpha: 1, a: ph.baseAddress!,
                                        lda: nodes, b: pt.baseAddress!, ldb: nodes, beta: 0, c: pr.baseAddress!, ldc: p)
                        }
                    }
                    for k in 0..<width {
                        let offset = ((k < lowCount ? k : k - lowCount) * m + nu) * p
                        if k < lowCount {
                            for i in 0..<p { low[offset + i] = pr[k * p + i] }
                        } else {
                            for i in 0..<p { high[offset + i] = Float(pr[k * p + i]) }
                        }
                    }
                }
            }
        }
        self.low = low
        self.high = high
        self.float64Orders = lowCount
        squareSums = squares
        self.order = order
        self.m = m
        self.p = p
    }

    /// Block k < `float64Orders` (m×p).
    func float64Block(_ k: Int) -> Matrix<Double> {
        precondition(k < float64Orders, "order \(k) is kept in Float32")
        return Matrix(rows: m, cols: p, storage: Array(low[(k * m * p)..<((k + 1) * m * p)]))
    }
}
