import Foundation

/// SiLU (swish) activation y = x·σ(x), element-wise over `count` values.
public enum SiLU {
    /// Overwrites y.
    public static func forward(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = x[i]
            y[i] = v / (1 + expf(-v))
        }
    }

    /// Writes dx = dy·(σ(x) + x·σ(x)(1 − σ(x))).
    public static func backward(_ dx: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>,
                                _ x: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = x[i]
            let s = 1 / (1 + expf(-v))
            dx[i] = dy[i] * (s + v * s * (1 - s))
        }
    }
}
