import CKernels

/// SiLU (swish) activation y = x·σ(x), element-wise over `count` values (vectorized C kernels: a libm call per
/// element cost more than the layer's GEMM at small widths).
public enum SiLU {
    /// Overwrites y.
    public static func forward(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        gw_silu_forward(y, x, count)
    }

    /// Writes dx = dy·(σ(x) + x·σ(x)(1 − σ(x))); dx may be dy.
    public static func backward(_ dx: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>,
                                _ x: UnsafePointer<Float>, count: Int) {
        gw_silu_backward(dx, dy, x, count)
    }
}
