import NumericCore

/// The value range one side of a measurement (a sample dump, a training set, a reference) is stored in, by the
/// scale rule of docs/measurement.md: `[0, 255]` for uint8 data; for floats, `[-1, 1]` when they straddle zero
/// (1st percentile below −0.25 and 99th percentile under 20 times its magnitude), else `[0, 255]` when the 99th
/// percentile exceeds 10, else `[0, 1]`. Percentiles, not the extremes, and a test on both ends: a diffusion
/// model's samples overshoot their range (genwindow's DDPM on [−1, 1] digits: percentiles −2.3 and 2.1 late in
/// training, ±10⁴ before it), and that must not move a dump to another range.
///
/// Samples are mapped affinely into the training rows' range before anything is measured, so a uint8 dump, a
/// [0, 1] dump and a [−1, 1] dump of the same images measure alike. The ratios d1/d2 of the memorization test do
/// not change under one affine map of both sides, so a dump already in the training rows' range (which is left
/// as it is) gives exactly `genwindow metrics memorized`'s numbers; the Fréchet distance is measured in the
/// training rows' range (for the built-in datasets, genwindow's own [−1, 1], as its DDPM records it).
public enum ValueScale: String, Sendable, CaseIterable {
    /// 8-bit intensities.
    case bytes = "[0, 255]"
    /// Intensities in [0, 1] (torchvision's `ToTensor`).
    case unit = "[0, 1]"
    /// Intensities in [−1, 1] (the usual diffusion-model range, and genwindow's built-in datasets).
    case signed = "[-1, 1]"

    /// The rule, as recorded in run headers.
    public static let rule = "uint8: [0, 255]; floats: 1st percentile < -0.25 and 99th < 20·|1st|: [-1, 1]; else 99th percentile > 10: [0, 255]; else [0, 1]"

    /// The scale `values` are in by the rule (`isUInt8`: the values were stored as uint8). Non-finite values are
    /// ignored.
    public static func detect(_ values: [Float], isUInt8: Bool) -> ValueScale {
        if isUInt8 { return .bytes }
        let finite = values.filter(\.isFinite).sorted()
        guard !finite.isEmpty else { return .unit }
        let rank = { (q: Double) in finite[min(max(Int((q * Double(finite.count)).rounded(.up)) - 1, 0), finite.count - 1)] }
        let (low, high) = (rank(0.01), rank(0.99))
        if low < -0.25 && high < 20 * -low { return .signed }
        return high > 10 ? .bytes : .unit
    }

    /// The ends of the range.
    public var bounds: (low: Float, high: Float) {
        switch self {
        case .bytes: (0, 255)
        case .unit: (0, 1)
        case .signed: (-1, 1)
        }
    }

    /// `values` mapped affinely from this range onto `target`'s (unchanged when they are the same).
    public func map(_ values: Matrix<Float>, to target: ValueScale) -> Matrix<Float> {
        guard target != self else { return values }
        let (a, b) = bounds, (c, d) = target.bounds
        let slope = (d - c) / (b - a)
        var out = values
        out.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = c + (p[i] - a) * slope }
        }
        return out
    }

    /// A value of this range as a pixel intensity in [0, 1] (clipped).
    public func intensity(_ value: Float) -> Float {
        let (a, b) = bounds
        return min(max((value - a) / (b - a), 0), 1)
    }
}
