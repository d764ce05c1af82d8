import NumericCore

/// A training set and a held-out test set of one data source, already normalized as the models see them.
///
/// Rows are points (n×d, Float32). Labels are class indices in 0..<classes (empty when the source has none).
public struct Dataset: Sendable {
    /// The source, e.g. "digits" or "gmm".
    public var name: String
    /// n×d training points.
    public var train: Matrix<Float>
    /// n class labels, or empty.
    public var trainLabels: [Int]
    /// m×d held-out points (never trained on).
    public var test: Matrix<Float>
    /// m class labels, or empty.
    public var testLabels: [Int]
    /// Number of classes (0: unlabelled).
    public var classes: Int
    /// Image shape [height, width] for image data, [d] otherwise.
    public var shape: [Int]
    /// How raw values were mapped to model space.
    public var scaling: Scaling
    /// The per-feature training mean subtracted under `.meanCentred` (d values), empty otherwise.
    public var offset: [Float]

    public var dimension: Int { train.cols }
    public var isImage: Bool { shape.count == 2 }

    /// Maps a model-space point back to raw pixel intensity in [0, 1] (images) by undoing the scaling.
    public func pixelIntensity(_ value: Float, feature: Int) -> Float {
        let v = offset.isEmpty ? value : value + offset[feature]
        return (v + 1) / 2
    }
}

/// How values reach model space.
public enum Scaling: String, Sendable, CaseIterable {
    /// Pixels mapped linearly to [−1, 1] (Paper A); synthetic data is left as drawn.
    case unitRange = "minus-one-one"
    /// As `unitRange`, then the training set's per-feature mean subtracted from train and test (Paper B).
    case meanCentred = "mean-centred"
}

/// A problem loading data: one line naming the file or setting to fix.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
