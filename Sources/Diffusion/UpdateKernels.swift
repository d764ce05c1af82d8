import CKernels
import NumericCore

/// The element-wise loops of a parameter update besides Adam (NumericCore's `Adam`) — gradient norm, clipping,
/// SGD with momentum, EMA — as the vectorized C kernels of CKernels; SGD can fold the EMA into its pass
/// (`average`), which saves reading the parameters again: the update is memory-bound.
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

    /// SGD with heavy-ball momentum: g′ = g + λp (coupled) or g; m ← μm + g′; p ← decay·p − lr·m; then, with
    /// `average`, the EMA of the new p.
    static func sgd(
        p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, count: Int,
        momentum mu: Float, lr: Float, decay: Float, coupledDecay wd: Float?, average: FoldedAverage? = nil
    ) {
        gw_sgd(p, g, m, count, mu, lr, decay, wd == nil ? 0 : 1, wd ?? 0, average.c)
    }

    /// Exponential moving average: e ← β·e + (1 − β)·p.
    static func ema(_ e: UnsafeMutablePointer<Float>, from p: UnsafePointer<Float>, count: Int, decay b: Float) {
        gw_ema(e, p, count, b)
    }
}
