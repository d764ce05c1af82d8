import NumericCore
@testable import RandomFeatures
import Testing

/// The Mehler series as computed (vectorized quadrature, upper triangles, orders k ≥ 2 in Float32) against the
/// naive form: every coefficient by scalar quadrature with tanh, every order in Float64 on full matrices.
@Suite("Mehler series against the naive form")
struct MehlerSeriesTests {
    /// The naive form: every order's C_kᵀC_k/m mirrored, R^{∘k}/k! and U updated on all p² entries, in Float64.
    static func fullMatrixGram(_ w: Matrix<Double>, norms: [Double], shifts: Matrix<Double>, scales: [Double],
                               order: Int, nodes: Int, vScale: Double) -> RFGram {
        let p = w.rows, d = w.cols, m = shifts.rows
        let gh = GaussHermite(count: nodes)
        var unit = w
        for i in 0..<p { for j in 0..<d { unit[i, j] /= norms[i] } }
        var coeffs = [Matrix<Double>](repeating: Matrix(rows: m, cols: p), count: order + 1)
        var diagonal = [Double](repeating: 0, count: p)
        var ck = [Double](repeating: 0, count: order + 1)
        ck.withUnsafeMutableBufferPointer { buf in
            for nu in 0..<m {
                for i in 0..<p {
                    gh.tanhHermiteCoefficients(a: shifts[nu, i], s: scales[i], into: buf)
                    for k in 0...order { coeffs[k].storage[nu * p + i] = buf[k] }
                    diagonal[i] += gh.tanhSquareMean(a: shifts[nu, i], s: scales[i])
                }
            }
        }
        var r = Matrix<Double>(rows: p, cols: p)
        r.syrk(unit)
        var rk = Matrix<Double>(rows: p, cols: p, repeating: 1)
        var mk = Matrix<Double>(rows: p, cols: p)
        var u = Matrix<Double>(rows: p, cols: p)
        for k in 0...order {
            mk.syrk(coeffs[k], .transposed, alpha: 1 / Double(m))
            for e in 0..<(p * p) {
                u.storage[e] += rk.storage[e] * mk.storage[e]
                rk.storage[e] *= r.storage[e] / Double(k + 1)
            }
        }
        for i in 0..<p { u[i, i] = diagonal[i] / Double(m) }
        var v = Matrix<Double>(rows: p, cols: d)
        for i in 0..<p {
            var c1 = 0.0
            for nu in 0..<m { c1 += coeffs[1].storage[nu * p + i] }
            for j in 0..<d { v[i, j] = c1 / Double(m) * vScale * unit[i, j] }
        }
        return RFGram(u: u, v: v, noiseEnergy: 1)
    }

    /// U within 1e−7 of its largest entry (the Float32 orders), V within 1e−12 (Float64 throughout).
    @Test(arguments: [(3, 7, 5), (4, 33, 12), (2, 64, 1), (25, 200, 40)])
    func agreesWithTheNaiveForm(d: Int, p: Int, n: Int) {
        let setting = RFSetting(d: d, p: p, n: n, t: 0.3, hermiteOrder: 6, quadratureNodes: 20)
        let instance = RFInstance(setting)
        var shifts = Matrix<Double>(rows: n, cols: p)
        shifts.gemm(instance.x, .none, instance.w, .transposed, alpha: setting.decay / Double(d).squareRoot())
        let norms = RFNoiseAverage.rowNorms(instance.w)
        let scales = norms.map { setting.delta.squareRoot() * $0 / Double(d).squareRoot() }
        let fast = RFNoiseAverage.mehlerGram(instance.w, norms: norms, shifts: shifts, scales: scales, order: 6,
                                             nodes: 20, vScale: 1)
        let reference = Self.fullMatrixGram(instance.w, norms: norms, shifts: shifts, scales: scales, order: 6,
                                            nodes: 20, vScale: 1)
        let scale = reference.u.storage.map(abs).max()!
        let worstU = zip(fast.u.storage, reference.u.storage).map { abs($0 - $1) }.max()!
        let worstV = zip(fast.v.storage, reference.v.storage).map { abs($0 - $1) }.max()!
        #expect(worstU <= 1e-7 * scale, "max |ΔU| = \(worstU) of \(scale)")
        #expect(worstV <= 1e-12, "max |ΔV| = \(worstV)")
        #expect(fast.u == fast.u.transposed(), "U is symmetric")
    }

    /// The vectorized coefficients against scalar quadrature with tanh, including saturated preactivations.
    @Test func hermiteCoefficientsAgreeWithScalarQuadrature() {
        let shifts: [Double] = [-60, -21.5, -3, -0.2, 0, 1e-9, 0.4, 2.5, 19, 45]
        let scales: [Double] = [0.05, 0.43, 1.3]
        let m = shifts.count / 2, p = scales.count * 2
        var a = Matrix<Double>(rows: m, cols: p)
        for nu in 0..<m { for i in 0..<p { a[nu, i] = shifts[(nu * p + i) % shifts.count] } }
        let s = (0..<p).map { scales[$0 % scales.count] }
        let gh = GaussHermite(count: 40)
        let fast = HermiteCoefficients(shifts: a, scales: s, order: 10, float64Orders: 2, quadrature: gh)
        var c = [Double](repeating: 0, count: 11)
        var squares = [Double](repeating: 0, count: p)
        for nu in 0..<m {
            for i in 0..<p {
                c.withUnsafeMutableBufferPointer { gh.tanhHermiteCoefficients(a: a[nu, i], s: s[i], into: $0) }
                squares[i] += gh.tanhSquareMean(a: a[nu, i], s: s[i])
                for k in 0...10 {
                    let value = k < 2 ? fast.low[(k * m + nu) * p + i] : Double(fast.high[((k - 2) * m + nu) * p + i])
                    // Float32 storage rounds the higher orders; the sums themselves agree to a few ulps of Σ|w He_k|.
                    let tolerance = k < 2 ? 1e-13 : 1e-6 * abs(c[k]) + 1e-12
                    #expect(abs(value - c[k]) <= tolerance, "c_\(k)(a = \(a[nu, i]), s = \(s[i])): \(value) vs \(c[k])")
                }
            }
        }
        for i in 0..<p { #expect(abs(fast.squareSums[i] - squares[i]) <= 1e-13 * Double(m)) }
    }
}
