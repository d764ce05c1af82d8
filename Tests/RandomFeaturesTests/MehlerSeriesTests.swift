import NumericCore
@testable import RandomFeatures
import Testing

/// The Mehler series computed on upper triangles (one mirror at the end) against the full-matrix loop it
/// replaced: the same U and V bit for bit.
@Suite("Mehler series on upper triangles")
struct MehlerSeriesTests {
    /// The full-matrix form: every order's C_kᵀC_k/m mirrored, R^{∘k}/k! and U updated on all p² entries.
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

    @Test(arguments: [(3, 7, 5), (4, 33, 12), (2, 64, 1)])
    func sameAsTheFullMatrixLoop(d: Int, p: Int, n: Int) {
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
        #expect(fast.u == reference.u)
        #expect(fast.v == reference.v)
    }
}
