import Inception
import Metrics
import NumericCore

/// Inception-v3 pool3 features of image rows in a `ValueScale` (FID as pytorch-fid computes it): each row is an
/// image of `shape` ([H, W] grey or [H, W, C]) whose values become 0…255 intensities.
public struct InceptionFeatureSpace: FeatureSpace {
    public var name: String { "inception" }
    public let network: InceptionNetwork
    public let shape: [Int]
    public let scale: ValueScale

    public init(network: InceptionNetwork, shape: [Int], scale: ValueScale) {
        self.network = network
        self.shape = shape
        self.scale = scale
    }

    public func embed(_ x: Matrix<Float>) throws -> Matrix<Float> {
        network.features(of: try images(x), workspaces: InceptionWorkspace.make(BLASRuntime.threads))
    }

    /// The rows as images of 0…255 intensities.
    public func images(_ x: Matrix<Float>) throws -> InceptionImages {
        let (h, w) = (shape[0], shape[1])
        let c = shape.count > 2 ? shape[2] : 1
        guard x.cols == h * w * c else {
            throw FeatureSpaceError("Inception features: rows of \(x.cols) values are not \(h)×\(w)×\(c) images")
        }
        return InceptionImages(count: x.rows, height: h, width: w, channels: c, pixels: x.storage.map { scale.intensity($0) * 255 })
    }

    /// The statistics cache key of the rows' images: the one `metrics fd --features inception` and the DDPM's
    /// live FID use, so a reference fitted by any of them is read by the others.
    public func cacheKey(_ x: Matrix<Float>) throws -> String {
        let i = try images(x)
        return StatisticsCache.inceptionKey(weights: network.weightsFingerprint, shape: [i.count, i.height, i.width, i.channels],
                                            pixels: i.pixels)
    }
}

/// A feature space that expects its rows in another value range (the digits classifier takes genwindow's
/// [−1, 1]): rows are mapped from `scale` to `expected` first.
public struct RescaledFeatureSpace: FeatureSpace {
    public let base: any FeatureSpace
    public let scale: ValueScale
    public let expected: ValueScale

    public init(_ base: any FeatureSpace, from scale: ValueScale, to expected: ValueScale) {
        self.base = base
        self.scale = scale
        self.expected = expected
    }

    public var name: String { base.name }
    public func embed(_ x: Matrix<Float>) throws -> Matrix<Float> { try base.embed(scale.map(x, to: expected)) }
}
