import Foundation

/// Layer normalization over each row: y = (x − μ)/σ·g + b, σ = √(var + 1e−5).
///
/// Shapes: x, y [B×W]; g, b [W]; cached mean, rstd [B].
public enum LayerNorm {
    static let epsilon: Float = 1e-5

    /// Overwrites y, mean and rstd.
    public static func forward(_ y: UnsafeMutablePointer<Float>, _ mean: UnsafeMutablePointer<Float>,
                               _ rstd: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                               _ g: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let xr = x + r * width, yr = y + r * width
            var m: Float = 0
            for j in 0..<width { m += xr[j] }
            m /= Float(width)
            var v: Float = 0
            for j in 0..<width { let c = xr[j] - m; v += c * c }
            v /= Float(width)
            let s = 1 / sqrtf(v + epsilon)
            for j in 0..<width { yr[j] = (xr[j] - m) * s * g[j] + b[j] }
            mean[r] = m
            rstd[r] = s
        }
    }

    /// Adds into dx, dg and db.
    public static func backward(_ dx: UnsafeMutablePointer<Float>, _ dg: UnsafeMutablePointer<Float>,
                                _ db: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>,
                                _ x: UnsafePointer<Float>, _ mean: UnsafePointer<Float>, _ rstd: UnsafePointer<Float>,
                                _ g: UnsafePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let xr = x + r * width, dyr = dy + r * width, dxr = dx + r * width
            let m = mean[r], s = rstd[r]
            var meanDn: Float = 0, meanDnXhat: Float = 0
            for j in 0..<width {
                let xhat = (xr[j] - m) * s
                let dn = dyr[j] * g[j]
                meanDn += dn
                meanDnXhat += dn * xhat
                dg[j] += dyr[j] * xhat
                db[j] += dyr[j]
            }
            meanDn /= Float(width)
            meanDnXhat /= Float(width)
            for j in 0..<width {
                let xhat = (xr[j] - m) * s
                dxr[j] += s * (dyr[j] * g[j] - meanDn - xhat * meanDnXhat)
            }
        }
    }
}
