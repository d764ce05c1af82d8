import CKernels

/// SiLU (swish) activation y = x·σ(x), element-wise over `count` values (vectorized C kernels: a libm call per
/// element cost more than the layer's GEMM at small widths). Forward keeps σ(x), so backward does no exp.
public enum SiLU {
    /// Overwrites y and sigmoid (σ(x), for `backward`).
    public static func forward(_ y: UnsafeMutablePointer<Float>, sigmoid: UnsafeMutablePointer<Float>,
                               _ x: UnsafePointer<Float>, count: Int) {
        gw_silu_forward(y, sigmoid, x, count)
    }

    /// Writes dx = dy·(s + x·s(1 − s)) with s = σ(x) from `forward`; dx may be dy.
    public static func backward(_ dx: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>,
                                _ x: UnsafePointer<Float>, sigmoid: UnsafePointer<Float>, count: Int) {
        gw_silu_backward(dx, dy, x, sigmoid, count)
    }
}
