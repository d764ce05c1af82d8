import NumericCore

/// A map from data rows to the feature vectors Fréchet distance is measured in. Callers hold `any FeatureSpace`,
/// so a new space (e.g. Inception-v3 pool3) is one more conforming type; its `name` goes into the run header and
/// beside every FD value.
public protocol FeatureSpace: Sendable {
    /// Short identifier recorded with every value, e.g. "data" or "classifier".
    var name: String { get }
    /// Features of each row: count×d_in → count×d_features.
    func embed(_ x: Matrix<Float>) throws -> Matrix<Float>
}

/// The raw vectors themselves — the natural space for Gaussian and mixture data, where FD is the squared
/// 2-Wasserstein distance between the Gaussian fits.
public struct DataFeatureSpace: FeatureSpace {
    public init() {}
    public var name: String { "data" }
    public func embed(_ x: Matrix<Float>) throws -> Matrix<Float> { x }
}
