import NumericCore

/// The value range one side of a measurement (a sample dump, a training set, a reference) is stored in, by the
/// scale rule of docs/measurement.md: `[0, 255]` for uint8 data or floats whose maximum exceeds 1.5, else
/// `[-1, 1]` when any value is below −0.01, else `[0, 1]`.
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
    public static let rule = "uint8 or max > 1.5: [0, 255]; else any value < -0.01: [-1, 1]; else [0, 1]"

    /// The scale `values` are in by the rule (`isUInt8`: the values were stored as uint8). Non-finite values are
    /// ignored.
    public static func detect(_ values: [Float], isUInt8: Bool) -> ValueScale {
        if isUInt8 { return .bytes }
        var high = -Float.infinity, low = Float.infinity
        for v in values where v.isFinite {
            high = max(high, v)
            low = min(low, v)
        }
        if high > 1.5 { return .bytes }
        return low < -0.01 ? .signed : .unit
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
