import CKernels

/// The element-wise loops of a parameter update — gradient norm, clipping, Adam, SGD with momentum, EMA — as the
/// vectorized C kernels of CKernels; Adam and SGD can fold the EMA into their pass (`average`), which saves
/// reading the parameters again: the update is memory-bound.
///
/// Every element goes through exactly the operations, in the same order, as the scalar formula in each doc
/// comment (no fused multiply–adds), so results are bit-identical to the plain loop. The norm is the exception:
/// it sums in eight Float64 lanes, a fixed order, so it is reproducible but may differ from a sequential sum in
/// the last bits.
enum UpdateKernels {
    /// Σ gᵢ² in Float64: lane j sums the elements i ≡ j (mod 8), the lanes are then added in order 0…7, then
    /// the tail.
    static func squaredNorm(_ g: UnsafePointer<Float>, count: Int) -> Double {
        gw_squared_norm(g, count)
    }

    /// gᵢ ← f·gᵢ.
    static func scale(_ g: UnsafeMutablePointer<Float>, by f: Float, count: Int) {
        gw_scale(g, count, f)
    }

    /// Adam with bias-corrected moments and optional weight decay:
    /// g′ = g + λp (coupled) or g; m ← β₁m + (1 − β₁)g′; v ← β₂v + (1 − β₂)g′g′;
    /// p ← decay·p − lr·(m·c₁) / (√(v·c₂) + ε), with c₁ = 1/(1 − β₁ᵗ), c₂ = 1/(1 − β₂ᵗ); then, with `average`,
    /// the EMA of the new p exactly as `ema` computes it.
    static func adam(
        p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, count: Int, beta1 b1: Float, beta2 b2: Float, c1: Float, c2: Float,
        lr: Float, epsilon eps: Float, decay: Float, coupledDecay wd: Float?, average: Average? = nil
    ) {
        gw_adam(p, g, m, v, count, b1, b2, c1, c2, lr, eps, decay, wd == nil ? 0 : 1, wd ?? 0, Average.c(average))
    }

    /// SGD with heavy-ball momentum: g′ = g + λp (coupled) or g; m ← μm + g′; p ← decay·p − lr·m; then, with
    /// `average`, the EMA of the new p.
    static func sgd(
        p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, count: Int,
        momentum mu: Float, lr: Float, decay: Float, coupledDecay wd: Float?, average: Average? = nil
    ) {
        gw_sgd(p, g, m, count, mu, lr, decay, wd == nil ? 0 : 1, wd ?? 0, Average.c(average))
    }

    /// The EMA an update folds in: weights e and decay β (e ← β·e + (1 − β)·p).
    struct Average {
        let weights: UnsafeMutablePointer<Float>
        let decay: Float

        static func c(_ average: Average?) -> gw_average {
            gw_average(weights: average?.weights, decay: average?.decay ?? 0)
        }
    }

    /// Exponential moving average: e ← β·e + (1 − β)·p.
    static func ema(_ e: UnsafeMutablePointer<Float>, from p: UnsafePointer<Float>, count: Int, decay b: Float) {
        gw_ema(e, p, count, b)
    }
}
