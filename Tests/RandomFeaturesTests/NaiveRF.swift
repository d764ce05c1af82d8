import NumericCore
@testable import RandomFeatures

/// Direct per-sample reference of the RF loss over fixed noise draws, in Float64:
/// L = (1/(d·M)) Σ_m ‖√Δ_t A σ_m/√p + ξ_m‖² over the M = n·draws noisy inputs, σ_m = tanh(W x_t^m/√d).
struct NaiveRFLoss {
    let d: Int, p: Int
    let delta: Double
    /// M×p features and M×d noises.
    var features: [[Double]] = []
    var noises: [[Double]] = []

    init(setting: RFSetting, w: Matrix<Double>, x: Matrix<Double>, draws: Int, rng: inout Xoshiro256) {
        d = setting.d; p = setting.p; delta = setting.delta
        for nu in 0..<x.rows {
            for _ in 0..<draws {
                var xi = [Double](repeating: 0, count: d)
                var xt = [Double](repeating: 0, count: d)
                for j in 0..<d {
                    let g = rng.nextNormal()
                    xi[j] = Double(Float(g))
                    xt[j] = setting.decay * x[nu, j] + setting.delta.squareRoot() * g
                }
                var f = [Double](repeating: 0, count: p)
                for i in 0..<p {
                    var z = 0.0
                    for j in 0..<d { z += w[i, j] * Double(Float(xt[j])) }
                    f[i] = Double(Float(tanh(Double(Float(z / Double(d).squareRoot())))))
                }
                features.append(f)
                noises.append(xi)
            }
        }
    }

    func residual(_ a: [Double], _ m: Int) -> [Double] {
        (0..<d).map { r in
            var s = 0.0
            for i in 0..<p { s += a[r * p + i] * features[m][i] }
            return delta.squareRoot() * s / Double(p).squareRoot() + noises[m][r]
        }
    }

    func loss(_ a: [Double]) -> Double {
        var total = 0.0
        for m in features.indices { total += residual(a, m).reduce(0) { $0 + $1 * $1 } }
        return total / Double(d * features.count)
    }

    /// ∇L = (2/(d·M)) Σ_m (√Δ_t/√p)·res_m σ_mᵀ.
    func gradient(_ a: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: d * p)
        let scale = 2 * delta.squareRoot() / (Double(p).squareRoot() * Double(d * features.count))
        for m in features.indices {
            let res = residual(a, m)
            for r in 0..<d { for i in 0..<p { g[r * p + i] += scale * res[r] * features[m][i] } }
        }
        return g
    }
}

#if canImport(Glibc)
import Glibc
#endif
