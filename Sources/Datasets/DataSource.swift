/// Where the data comes from, as named on the command line (`--data`).
public enum DataSource: Equatable, Sendable {
    /// Standard Gaussian N(0, I_d).
    case gaussian(dimension: Int)
    /// Equal-weight mixture of unit-variance Gaussians; with two components the means are ±1_d (Paper B).
    case gmm(dimension: Int, components: Int)
    /// UCI 8×8 handwritten digits (shipped with genwindow).
    case digits
    /// Fashion-MNIST 28×28 from Debian's `dataset-fashion-mnist`, optionally box-resized to `resize`².
    case fashionMNIST(resize: Int?)

    /// Parses `gaussian`, `gmm`, `digits` or `fashion-mnist`; `dimension`, `components` and `resize` come from
    /// their own options.
    public static func parse(_ name: String, dimension: Int, components: Int, resize: Int?) throws -> DataSource {
        switch name {
        case "gaussian": return .gaussian(dimension: dimension)
        case "gmm": return .gmm(dimension: dimension, components: components)
        case "digits": return .digits
        case "fashion-mnist": return .fashionMNIST(resize: resize)
        default:
            throw DatasetError("unknown dataset '\(name)' (expected gaussian, gmm, digits or fashion-mnist)")
        }
    }

    public var name: String {
        switch self {
        case .gaussian: "gaussian"
        case .gmm: "gmm"
        case .digits: "digits"
        case .fashionMNIST: "fashion-mnist"
        }
    }
}
