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
    /// PNG files in a folder (subfolders = classes), resized to `size`² (default: the first image's side).
    case pngFolder(path: String, size: Int?, skipBad: Bool)

    /// Parses `gaussian`, `gmm`, `digits`, `fashion-mnist` or `png:DIR`; `dimension`, `components`, `resize`
    /// and `skipBad` come from their own options.
    public static func parse(_ name: String, dimension: Int, components: Int, resize: Int?,
                             skipBad: Bool = false) throws -> DataSource {
        if name.hasPrefix("png:") {
            let path = String(name.dropFirst(4))
            guard !path.isEmpty else { throw DatasetError("png: needs a folder, e.g. png:images/") }
            return .pngFolder(path: path, size: resize, skipBad: skipBad)
        }
        switch name {
        case "gaussian": return .gaussian(dimension: dimension)
        case "gmm": return .gmm(dimension: dimension, components: components)
        case "digits": return .digits
        case "fashion-mnist": return .fashionMNIST(resize: resize)
        default:
            throw DatasetError("unknown dataset '\(name)' (expected gaussian, gmm, digits, fashion-mnist or png:DIR)")
        }
    }

    public var name: String {
        switch self {
        case .gaussian: "gaussian"
        case .gmm: "gmm"
        case .digits: "digits"
        case .fashionMNIST: "fashion-mnist"
        case .pngFolder(let path, _, _): "png:\(path)"
        }
    }
}
