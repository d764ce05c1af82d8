import NumericCore

/// The quadratic form of an RF loss: L(A) = c + (Δ_t/d)·Tr(A U Aᵀ)/p + (2√Δ_t/d)·Tr(A V)/√p.
///
/// U = E[σ σᵀ] (p×p), V = E[σ ξᵀ] (p×d) with σ = tanh(W x_t/√d), x_t = e^{−t}x + √Δ_t ξ, averaged over the
/// points (training set, fresh test points, or the population) and over ξ (exactly or over fixed draws);
/// c = E‖ξ‖²/d (1 exactly; the draws' own mean otherwise).
public struct RFGram: Sendable {
    /// p×p, symmetric.
    public var u: Matrix<Double>
    /// p×d.
    public var v: Matrix<Double>
    public var noiseEnergy: Double

    public init(u: Matrix<Double>, v: Matrix<Double>, noiseEnergy: Double) {
        self.u = u
        self.v = v
        self.noiseEnergy = noiseEnergy
    }
}

/// The three ways of building U and V (docs/science.md §4, "Noise average").
public enum RFNoiseAverage {
    /// Training-set U, V with E_ξ taken exactly: V_i = mean_ν E_g[tanh(a_νi + s_i g) g]·ŵ_i (Stein's lemma) and
    /// U = Σ_k (R^{∘k}/k!) ∘ (C_kᵀC_k/n) (Mehler series), R = ŴŴᵀ, C_k[ν,i] = E_g[tanh(a_νi + s_i g) He_k(g)],
    /// with a_νi = e^{−t} w_i·x_ν/√d, s_i = √Δ_t‖w_i‖/√d; the diagonal U_ii = mean_ν E_g[tanh²] exactly.
    public static func exact(_ instance: RFInstance) -> RFGram {
        let s = instance.setting
        let sqrtD = Double(s.d).squareRoot()
        var pre = Matrix<Double>(rows: s.n, cols: s.p)  // n×p: a_νi
        pre.gemm(instance.x, .none, instance.w, .transposed, alpha: s.decay / sqrtD)
        let norms = rowNorms(instance.w)
        let scales = norms.map { s.delta.squareRoot() * $0 / sqrtD }
        return mehlerGram(instance.w, norms: norms, shifts: pre, scales: scales, order: s.hermiteOrder,
                          nodes: s.quadratureNodes, vScale: 1)
    }

    /// The population Ũ, Ṽ (x ~ N(0, σ_x² I), exact E_ξ): the preactivations are N(0, Γ_t²‖w_i‖²/d) with noise
    /// correlations R = ŴŴᵀ, so Ũ is the Mehler series with C̃_k[i] = E_g[tanh(S_i g) He_k(g)], S_i = Γ_t‖w_i‖/√d,
    /// and Ṽ_i = C̃_1[i]·(√Δ_t/Γ_t)·ŵ_i (Stein's lemma).
    public static func population(_ instance: RFInstance) -> RFGram {
        let s = instance.setting
        let gamma = (s.decay * s.decay * s.sigmaX * s.sigmaX + s.delta).squareRoot()
        let norms = rowNorms(instance.w)
        let scales = norms.map { gamma * $0 / Double(s.d).squareRoot() }
        return mehlerGram(instance.w, norms: norms, shifts: Matrix(rows: 1, cols: s.p), scales: scales,
                          order: s.hermiteOrder, nodes: s.quadratureNodes, vScale: s.delta.squareRoot() / gamma)
    }

    /// U, V over `draws` noise draws for each of the n rows of `x` (n·draws noisy inputs), accumulated in chunks
    /// of `chunk` inputs with ssyrk/sgemm; the (n·draws)×p feature matrix is never formed.
    public static func draws(_ setting: RFSetting, w: Matrix<Double>, x: Matrix<Double>, draws: Int,
                             rng: inout Xoshiro256, chunk: Int = 512) -> RFGram {
        let d = setting.d, p = setting.p
        let wf: Matrix<Float> = w.converted()
        let total = x.rows * draws
        let rowsPerChunk = max(1, min(chunk, total))
        var u = Matrix<Float>(rows: p, cols: p)
        var v = Matrix<Float>(rows: p, cols: d)
        var xt = Matrix<Float>(rows: rowsPerChunk, cols: d)     // noisy inputs
        var xi = Matrix<Float>(rows: rowsPerChunk, cols: d)     // their noise
        var f = Matrix<Float>(rows: rowsPerChunk, cols: p)      // features tanh(W x_t/√d)
        let decay = setting.decay, sqrtDelta = setting.delta.squareRoot()
        let invSqrtD = Float(1 / Double(d).squareRoot())
        var energy = 0.0
        var done = 0
        while done < total {
            let m = min(rowsPerChunk, total - done)
            if m < rowsPerChunk {
                xt = Matrix(rows: m, cols: d); xi = Matrix(rows: m, cols: d); f = Matrix(rows: m, cols: p)
            }
            x.storage.withUnsafeBufferPointer { px in
                xt.storage.withUnsafeMutableBufferPointer { pt in
                    xi.storage.withUnsafeMutableBufferPointer { pn in
                        for r in 0..<m {
                            let nu = (done + r) / draws
                            for j in 0..<d {
                                let g = rng.nextNormal()
                                energy += g * g
                                pn[r * d + j] = Float(g)
                                pt[r * d + j] = Float(decay * px[nu * d + j] + sqrtDelta * g)
                            }
                        }
                    }
                }
            }
            f.gemm(xt, .none, wf, .transposed, alpha: invSqrtD)
            f.storage.withUnsafeMutableBufferPointer { pf in
                for i in 0..<pf.count { pf[i] = Float(rfTanh(Double(pf[i]))) }
            }
            u.syrkAccumulate(f)
            v.gemm(f, .transposed, xi, .none, alpha: 1, beta: 1)
            done += m
        }
        u.symmetrize(from: .upper)
        let scale = 1 / Double(total)
        var ud: Matrix<Double> = u.converted()
        var vd: Matrix<Double> = v.converted()
        ud.storage.withUnsafeMutableBufferPointer { Elementwise.scale($0, by: scale) }
        vd.storage.withUnsafeMutableBufferPointer { Elementwise.scale($0, by: scale) }
        return RFGram(u: ud, v: vd, noiseEnergy: energy * scale / Double(d))
    }

    /// ‖w_i‖ for each row of W.
    static func rowNorms(_ w: Matrix<Double>) -> [Double] {
        (0..<w.rows).map { i in
            var s = 0.0
            for j in 0..<w.cols { s += w[i, j] * w[i, j] }
            return s.squareRoot()
        }
    }

    /// Orders of the Mehler series summed in Float64 (dsyrk); the higher ones are summed in Float32 (ssyrk, about
    /// twice dgemm's speed). The k = 0, 1 terms carry U's large entries (the mean features, the linear part); a term
    /// k ≥ 2 is scaled by ρ^k/k! (|ρ_ij| = O(1/√d) off the diagonal), so Float32's relative error 6e−8 on it moves
    /// U by less than 1e−7 of its largest entry (MehlerSeriesTests checks against all-Float64 sums).
    public static let float64Orders = 2

    /// One order of the Mehler series over the upper triangle: U += (R^{∘k}/k!) ∘ M_k, then R^{∘k}/k! becomes
    /// R^{∘(k+1)}/(k+1)! (`divisor` = k + 1); M_k in Float32 or Float64.
    @inline(__always)
    private static func addOrder<S: BinaryFloatingPoint>(_ mk: UnsafeBufferPointer<S>, u: UnsafeMutableBufferPointer<Double>,
                                                         rk: UnsafeMutableBufferPointer<Double>, r: UnsafeBufferPointer<Double>,
                                                         p: Int, divisor: Double) {
        for i in 0..<p {
            for e in (i * p + i)..<(i * p + p) {
                u[e] += rk[e] * Double(mk[e])
                rk[e] *= r[e] / divisor
            }
        }
    }

    /// U = Σ_{k≤order} (R^{∘k}/k!) ∘ mean_ν c_k(ν,·)c_k(ν,·)ᵀ with exact diagonal, and V_i = mean_ν c_1(ν,i)·vScale·ŵ_i,
    /// where c_k(ν,i) = E_g[tanh(shifts[ν,i] + scales[i]·g) He_k(g)] and R = ŴŴᵀ.
    ///
    /// Each order is one rank-m syrk of its m×p coefficient block (BLAS-3) followed by one Hadamard pass over the
    /// upper triangle; U is mirrored once at the end.
    static func mehlerGram(_ w: Matrix<Double>, norms: [Double], shifts: Matrix<Double>, scales: [Double],
                           order: Int, nodes: Int, vScale: Double) -> RFGram {
        let p = w.rows, d = w.cols, m = shifts.rows
        var unit = w  // p×d: ŵ_i
        for i in 0..<p { for j in 0..<d { unit[i, j] /= norms[i] } }
        let coefficients = HermiteCoefficients(shifts: shifts, scales: scales, order: order, float64Orders: float64Orders,
                                               quadrature: GaussHermite(count: nodes))
        var r = Matrix<Double>(rows: p, cols: p)
        r.syrk(unit)
        var rk = Matrix<Double>(rows: p, cols: p, repeating: 1)  // R^{∘k}/k!
        var wide = Matrix<Double>(rows: p, cols: p)               // C_kᵀC_k/m, k < float64Orders
        var narrow = Matrix<Float>(rows: order >= float64Orders ? p : 0, cols: order >= float64Orders ? p : 0)
        var u = Matrix<Double>(rows: p, cols: p)
        for k in 0...order {
            let single = k >= coefficients.float64Orders
            if single {
                let offset = (k - coefficients.float64Orders) * m * p
                coefficients.high.withUnsafeBufferPointer { pc in
                    narrow.storage.withUnsafeMutableBufferPointer { pm in
                        Float.syrk(.upper, .transposed, n: p, k: m, alpha: 1 / Float(m), a: pc.baseAddress! + offset,
                                   lda: p, beta: 0, c: pm.baseAddress!, ldc: p)
                    }
                }
            } else {
                coefficients.low.withUnsafeBufferPointer { pc in
                    wide.storage.withUnsafeMutableBufferPointer { pm in
                        Double.syrk(.upper, .transposed, n: p, k: m, alpha: 1 / Double(m), a: pc.baseAddress! + k * m * p,
                                    lda: p, beta: 0, c: pm.baseAddress!, ldc: p)
                    }
                }
            }
            let divisor = Double(k + 1)
            u.storage.withUnsafeMutableBufferPointer { pu in
                rk.storage.withUnsafeMutableBufferPointer { pr in
                    r.storage.withUnsafeBufferPointer { prr in
                        if single {
                            narrow.storage.withUnsafeBufferPointer { addOrder($0, u: pu, rk: pr, r: prr, p: p, divisor: divisor) }
                        } else {
                            wide.storage.withUnsafeBufferPointer { addOrder($0, u: pu, rk: pr, r: prr, p: p, divisor: divisor) }
                        }
                    }
                }
            }
        }
        u.symmetrize(from: .upper)
        for i in 0..<p { u[i, i] = coefficients.squareSums[i] / Double(m) }
        var v = Matrix<Double>(rows: p, cols: d)
        let first = coefficients.float64Block(1)
        for i in 0..<p {
            var c1 = 0.0
            for nu in 0..<m { c1 += first.storage[nu * p + i] }
            let coefficient = c1 / Double(m) * vScale
            for j in 0..<d { v[i, j] = coefficient * unit[i, j] }
        }
        return RFGram(u: u, v: v, noiseEnergy: 1)
    }
}

extension Matrix {
    /// `self += aᵀa` on the upper triangle only (ssyrk with β = 1); call `symmetrize(from: .upper)` when done.
    mutating func syrkAccumulate(_ a: Matrix) {
        precondition(rows == a.cols && cols == a.cols, "syrkAccumulate shapes")
        let n = rows, k = a.rows
        a.storage.withUnsafeBufferPointer { pa in
            storage.withUnsafeMutableBufferPointer { pc in
                Scalar.syrk(.upper, .transposed, n: n, k: k, alpha: 1, a: pa.baseAddress!, lda: n,
                            beta: 1, c: pc.baseAddress!, ldc: n)
            }
        }
    }
}
