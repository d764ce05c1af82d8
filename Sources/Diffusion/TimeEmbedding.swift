import Foundation

/// Sinusoidal embedding of the diffusion step (Vaswani et al.; Ho et al.): for i < E/2,
/// e[i] = sin(k·ω_i), e[E/2 + i] = cos(k·ω_i), ω_i = 10000^(−i/(E/2)). No parameters, so no backward.
///
/// Shapes: steps [B], e [B×E] (E even).
public enum TimeEmbedding {
    /// Overwrites e.
    public static func forward(_ e: UnsafeMutablePointer<Float>, steps: UnsafePointer<Int32>, rows: Int, width: Int) {
        for r in 0..<rows { row(e + r * width, step: Int(steps[r]), width: width) }
    }

    /// The embeddings of steps 0..<count, one row each: a network looks its rows up instead of calling sin and
    /// cos B·E times a step.
    public static func table(steps count: Int, width: Int) -> [Float] {
        var t = [Float](repeating: 0, count: count * width)
        t.withUnsafeMutableBufferPointer { p in
            for k in 0..<count { row(p.baseAddress! + k * width, step: k, width: width) }
        }
        return t
    }

    static func row(_ e: UnsafeMutablePointer<Float>, step: Int, width: Int) {
        let half = width / 2, k = Double(step)
        for i in 0..<half {
            let w = pow(10000.0, -Double(i) / Double(half))
            e[i] = Float(sin(k * w))
            e[half + i] = Float(cos(k * w))
        }
    }
}
