import Foundation

/// Sinusoidal embedding of the diffusion step (Vaswani et al.; Ho et al.): for i < E/2,
/// e[i] = sin(k·ω_i), e[E/2 + i] = cos(k·ω_i), ω_i = 10000^(−i/(E/2)). No parameters, so no backward.
///
/// Shapes: steps [B], e [B×E] (E even).
public enum TimeEmbedding {
    /// Overwrites e.
    public static func forward(_ e: UnsafeMutablePointer<Float>, steps: UnsafePointer<Int32>, rows: Int, width: Int) {
        let half = width / 2
        for i in 0..<half {
            let w = pow(10000.0, -Double(i) / Double(half))
            for r in 0..<rows {
                let k = Double(steps[r])
                e[r * width + i] = Float(sin(k * w))
                e[r * width + half + i] = Float(cos(k * w))
            }
        }
    }
}
