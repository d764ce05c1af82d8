import NumericCore

/// The value range one side of a measurement (a sample dump, a training set, a reference) is stored in, by the
/// scale rule of docs/measurement.md.
///
/// Training and reference rows are read on their own (`detect(_:isUInt8:)`): uint8 data is `[0, 255]`; floats are
/// `[0, 255]` when their 99th percentile exceeds 10, else `[-1, 1]` when their 1st percentile is below −0.25, else
/// `[0, 1]`. Samples are read against the training rows' range (`detect(_:isUInt8:training:)`), because a
/// diffusion model's samples overshoot their range (genwindow's DDPM on [−1, 1] digits: percentiles −2.3 and 2.1
/// late in training, ±10⁴ before it; a PyTorch model on [0, 1] digits without clipping: −0.65 and 1.5). So a dump
/// is 8-bit when it is uint8, or floats whose 99th percentile exceeds 10 with no negative values of comparable
/// size; else `[-1, 1]` when at least 45% of its values are below −0.05 (genwindow's DDPM on [−1, 1] digits: 49–68%
/// at every evaluation), `[0, 1]` when at most 25% are (clipped samples: none), and in between, where an
/// overshooting [0, 1] model early in training lies (20–44%), the training rows' range.
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
    public static let rule = "training rows: uint8 or 99th percentile > 10: [0, 255], else 1st percentile < -0.25: [-1, 1], else [0, 1]; "
        + "samples: uint8, or 99th percentile > 10 with 1st percentile > -(99th)/20: [0, 255]; else at least 45% of values below -0.05: "
        + "[-1, 1], at most 25%: [0, 1], between: the training rows' range ([0, 255] training rows: 35% splits)"

    /// The scale of training or reference rows by the rule (`isUInt8`: the values were stored as uint8).
    /// Non-finite values are ignored.
    public static func detect(_ values: [Float], isUInt8: Bool) -> ValueScale {
        if isUInt8 { return .bytes }
        guard let (low, high) = percentiles(values) else { return .unit }
        if high > 10 { return .bytes }
        return low < -0.25 ? .signed : .unit
    }

    /// The scale of samples compared with training rows in `training`, by the rule.
    public static func detect(_ values: [Float], isUInt8: Bool, training: ValueScale) -> ValueScale {
        if isUInt8 { return .bytes }
        let finite = values.filter(\.isFinite)
        guard let (low, high) = percentiles(finite) else { return training }
        if high > 10 && low > -high / 20 { return .bytes }
        let negative = Double(finite.lazy.filter { $0 < -0.05 }.count) / Double(finite.count)
        if negative >= 0.45 { return .signed }
        if negative <= 0.25 { return .unit }
        return training == .bytes ? (negative >= 0.35 ? .signed : .unit) : training
    }

    /// The 1st and 99th percentiles (nearest rank) of the finite values; nil when there are none.
    private static func percentiles(_ values: [Float]) -> (low: Float, high: Float)? {
        let finite = values.lazy.filter(\.isFinite).sorted()
        guard !finite.isEmpty else { return nil }
        let rank = { (q: Double) in finite[min(max(Int((q * Double(finite.count)).rounded(.up)) - 1, 0), finite.count - 1)] }
        return (rank(0.01), rank(0.99))
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
