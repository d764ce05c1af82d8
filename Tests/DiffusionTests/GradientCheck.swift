import Diffusion
import NumericCore

/// Central-difference gradient checks: a "fake loss" Σ out·dout with a random upstream gradient, perturbed
/// one input at a time (h = 1e−2, Float32), compared as whole tensors.
enum GradientCheck {
    /// ‖a − b‖ / max(‖a‖, ‖b‖).
    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        var diff = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            diff += Double(a[i] - b[i]) * Double(a[i] - b[i])
            na += Double(a[i]) * Double(a[i])
            nb += Double(b[i]) * Double(b[i])
        }
        return diff.squareRoot() / max(na.squareRoot(), nb.squareRoot(), 1e-30)
    }

    /// Numerical gradient of `loss` with respect to every element of `values` (restored afterwards).
    static func numerical(_ values: UnsafeMutablePointer<Float>, count: Int, h: Float = 1e-2,
                          loss: () -> Double) -> [Float] {
        (0..<count).map { i in
            let keep = values[i]
            values[i] = keep + h
            let plus = loss()
            values[i] = keep - h
            let minus = loss()
            values[i] = keep
            return Float((plus - minus) / (2 * Double(h)))
        }
    }

    static func dot(_ a: UnsafePointer<Float>, _ b: [Float]) -> Double {
        var s = 0.0
        for i in b.indices { s += Double(a[i]) * Double(b[i]) }
        return s
    }

    static func random(_ count: Int, seed: UInt64, std: Double = 1) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        return rng.normals(count, std: std)
    }
}
