import NumericCore
import RunFormat

/// The `samples` record the dashboard's samples pane draws, as every measurer writes it: the first few samples
/// and their nearest training rows as 8-bit intensities (row-major, `shape`), with their distance ratios.
public enum PreviewRecord {
    /// `count` samples of `samples` beside their nearest rows of `training` (from `memorization`); `intensity`
    /// gives pixel `p` of row `row` of a matrix as an intensity (clamped to [0, 1] here), for `pixels` pixels.
    public static func samples(step: Int, shape: [Int], count: Int, pixels: Int, samples: Matrix<Float>,
                               training: Matrix<Float>, memorization: MemorizationResult,
                               intensity: (Matrix<Float>, _ row: Int, _ pixel: Int) -> Float) -> RunRecord {
        func quantize(_ m: Matrix<Float>, row: Int) -> JSONValue {
            .array((0..<pixels).map { p in .number(Double(Int((min(max(intensity(m, row, p), 0), 1) * 255).rounded()))) })
        }
        return .other(type: "samples", fields: [
            "step": .number(Double(step)),
            "shape": .array(shape.map { .number(Double($0)) }),
            "samples": .array((0..<count).map { quantize(samples, row: $0) }),
            "neighbours": .array((0..<count).map { quantize(training, row: memorization.nn1[$0]) }),
            "ratios": .array((0..<count).map { .number((memorization.ratio[$0] * 1e4).rounded() / 1e4) }),
        ])
    }
}
