/// Fully connected layer y = x·w + b: the one copy behind the DDPM's residual MLP and the feature classifier.
/// Forward and backward side by side, llm.c style, over raw buffers; the caller keeps the forward's input x as
/// the cache that backward reads (nothing is cached here), so a layer allocates nothing.
///
/// Shapes: x [B×I], w [I×O] (row-major: input-major, so y = x·w is one GEMM without a transpose), b [O], y [B×O].
public enum Linear {
    /// y = x·w + b (sgemm over b copied into every row). Overwrites y.
    public static func forward(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                               _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, in: Int, out: Int) {
        for r in 0..<rows { (y + r * out).update(from: b, count: out) }
        Float.gemm(.none, .none, m: rows, n: out, k: `in`, alpha: 1, a: x, lda: `in`, b: w, ldb: out,
                   beta: 1, c: y, ldc: out)
    }

    /// Adds into dw and db (overwrites them when `accumulateParameters` is false: no zeroing pass, and the GEMM
    /// does not read dw); writes dx (or adds into it when `accumulateInput`); dx may be nil when the input needs
    /// no gradient.
    public static func backward(_ dx: UnsafeMutablePointer<Float>?, _ dw: UnsafeMutablePointer<Float>,
                                _ db: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>,
                                _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                                rows: Int, in: Int, out: Int, accumulateInput: Bool = false,
                                accumulateParameters: Bool = true) {
        Float.gemm(.transposed, .none, m: `in`, n: out, k: rows, alpha: 1, a: x, lda: `in`, b: dy, ldb: out,
                   beta: accumulateParameters ? 1 : 0, c: dw, ldc: out)
        if !accumulateParameters { db.update(repeating: 0, count: out) }
        for r in 0..<rows {
            let row = dy + r * out
            for j in 0..<out { db[j] += row[j] }
        }
        if let dx {
            Float.gemm(.none, .transposed, m: rows, n: `in`, k: out, alpha: 1, a: dy, lda: out, b: w, ldb: out,
                       beta: accumulateInput ? 1 : 0, c: dx, ldc: `in`)
        }
    }
}
