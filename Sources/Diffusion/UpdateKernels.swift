/// The element-wise loops of a parameter update — gradient norm, clipping, Adam, SGD with momentum, EMA — over
/// 16 floats at a time (AVX-512 width; two AVX2 registers elsewhere) with a scalar tail.
///
/// Every element goes through exactly the operations, in the same order, as the scalar formula in each doc
/// comment (no fused multiply–adds), so results are bit-identical to the plain loop. The norm is the exception:
/// it sums in eight Float64 lanes, a fixed order, so it is reproducible but may differ from a sequential sum in
/// the last bits.
enum UpdateKernels {
    typealias V = SIMD16<Float>
    static let width = V.scalarCount

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// Σ gᵢ² in Float64: lane j sums the elements i ≡ j (mod 8), the lanes are then added in order 0…7, then
    /// the tail.
    static func squaredNorm(_ g: UnsafePointer<Float>, count: Int) -> Double {
        var lanes = SIMD8<Double>()
        var i = 0
        while i + 8 <= count {
            let x = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
            let d = SIMD8<Double>(Double(x[0]), Double(x[1]), Double(x[2]), Double(x[3]),
                                  Double(x[4]), Double(x[5]), Double(x[6]), Double(x[7]))
            lanes += d * d
            i += 8
        }
        var s = 0.0
        for j in 0..<8 { s += lanes[j] }
        while i < count {
            s += Double(g[i]) * Double(g[i])
            i += 1
        }
        return s
    }

    /// gᵢ ← f·gᵢ.
    static func scale(_ g: UnsafeMutablePointer<Float>, by f: Float, count: Int) {
        var i = 0
        while i + width <= count {
            store(f * load(g + i), g + i)
            i += width
        }
        while i < count {
            g[i] *= f
            i += 1
        }
    }

    /// Adam with bias-corrected moments and optional weight decay:
    /// g′ = g + λp (coupled) or g; m ← β₁m + (1 − β₁)g′; v ← β₂v + (1 − β₂)g′g′;
    /// p ← decay·p − lr·(m·c₁) / (√(v·c₂) + ε), with c₁ = 1/(1 − β₁ᵗ), c₂ = 1/(1 − β₂ᵗ).
    static func adam(
        p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, count: Int, beta1 b1: Float, beta2 b2: Float, c1: Float, c2: Float,
        lr: Float, epsilon eps: Float, decay: Float, coupledDecay wd: Float?
    ) {
        let a1 = 1 - b1, a2 = 1 - b2
        var i = 0
        while i + width <= count {
            let pi = load(p + i)
            var gi = load(g + i)
            if let wd { gi = gi + wd * pi }
            let mi = b1 * load(m + i) + a1 * gi
            let vi = b2 * load(v + i) + a2 * gi * gi
            store(mi, m + i)
            store(vi, v + i)
            store(decay * pi - lr * (mi * c1) / ((vi * c2).squareRoot() + eps), p + i)
            i += width
        }
        while i < count {
            let gi = wd.map { g[i] + $0 * p[i] } ?? g[i]
            m[i] = b1 * m[i] + a1 * gi
            v[i] = b2 * v[i] + a2 * gi * gi
            p[i] = decay * p[i] - lr * (m[i] * c1) / ((v[i] * c2).squareRoot() + eps)
            i += 1
        }
    }

    /// SGD with heavy-ball momentum: g′ = g + λp (coupled) or g; m ← μm + g′; p ← decay·p − lr·m.
    static func sgd(
        p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, count: Int,
        momentum mu: Float, lr: Float, decay: Float, coupledDecay wd: Float?
    ) {
        var i = 0
        while i + width <= count {
            let pi = load(p + i)
            var gi = load(g + i)
            if let wd { gi = gi + wd * pi }
            let mi = mu * load(m + i) + gi
            store(mi, m + i)
            store(decay * pi - lr * mi, p + i)
            i += width
        }
        while i < count {
            let gi = wd.map { g[i] + $0 * p[i] } ?? g[i]
            m[i] = mu * m[i] + gi
            p[i] = decay * p[i] - lr * m[i]
            i += 1
        }
    }

    /// Exponential moving average: e ← β·e + (1 − β)·p.
    static func ema(_ e: UnsafeMutablePointer<Float>, from p: UnsafePointer<Float>, count: Int, decay b: Float) {
        let a = 1 - b
        var i = 0
        while i + width <= count {
            store(b * load(e + i) + a * load(p + i), e + i)
            i += width
        }
        while i < count {
            e[i] = b * e[i] + a * p[i]
            i += 1
        }
    }
}
