import CInceptionKernels

/// Images as the FID network's preprocessing takes them: pixels as Float in [0, 255], NHWC, 1 (grey) or 3 (RGB)
/// channels, any size (each is resized to 299×299).
public struct InceptionImages: Sendable, Equatable {
    public let count: Int
    public let height: Int
    public let width: Int
    /// 1 (repeated into RGB) or 3.
    public let channels: Int
    /// count×height×width×channels, row-major.
    public let pixels: [Float]

    public init(count: Int, height: Int, width: Int, channels: Int, pixels: [Float]) {
        precondition(channels == 1 || channels == 3, "images have 1 or 3 channels, got \(channels)")
        precondition(height >= 1 && width >= 1 && pixels.count == count * height * width * channels,
                     "\(pixels.count) pixels do not fill \(count)×\(height)×\(width)×\(channels)")
        self.count = count
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
    }

    /// The images `first..<first+n` (the same pixels).
    public func subset(_ range: Range<Int>) -> InceptionImages {
        let per = height * width * channels
        return InceptionImages(count: range.count, height: height, width: width, channels: channels,
                               pixels: Array(pixels[range.lowerBound * per..<range.upperBound * per]))
    }

    /// Images from an array of shape (N, H, W) (grey), (N, H, W, C) or (N, C, H, W) with C ∈ {1, 3} — NHWC when
    /// the last dimension is 1 or 3, else NCHW — and values mapped to [0, 255] by `InceptionImages.pixelScale`.
    public static func fromArray(shape: [Int], values: [Float], bytes: Bool) throws -> InceptionImages {
        let layout: (n: Int, h: Int, w: Int, c: Int, channelsFirst: Bool)
        switch shape.count {
        case 3:
            layout = (shape[0], shape[1], shape[2], 1, false)
        case 4 where shape[3] == 1 || shape[3] == 3:
            layout = (shape[0], shape[1], shape[2], shape[3], false)
        case 4 where shape[1] == 1 || shape[1] == 3:
            layout = (shape[0], shape[2], shape[3], shape[1], true)
        default:
            throw InceptionImagesError("expected images of shape (N, H, W), (N, H, W, C) or (N, C, H, W) with C = 1 or 3, found \(shape)")
        }
        guard layout.n >= 1, layout.h >= 1, layout.w >= 1 else {
            throw InceptionImagesError("no images in an array of shape \(shape)")
        }
        let scale = try pixelScale(values, bytes: bytes)
        var pixels = [Float](repeating: 0, count: values.count)
        let (n, h, w, c) = (layout.n, layout.h, layout.w, layout.c)
        for i in 0..<n {
            for y in 0..<h {
                for x in 0..<w {
                    for ch in 0..<c {
                        let src = layout.channelsFirst ? ((i * c + ch) * h + y) * w + x : ((i * h + y) * w + x) * c + ch
                        pixels[((i * h + y) * w + x) * c + ch] = scale(values[src])
                    }
                }
            }
        }
        return InceptionImages(count: n, height: h, width: w, channels: c, pixels: pixels)
    }

    /// The map to [0, 255] pixel values: bytes (uint8) as they are; floats in [0, 1] times 255; floats in [−1, 1]
    /// (some below 0) as (x + 1)·127.5. Any other range, or a non-finite value, is refused with the range found.
    public static func pixelScale(_ values: [Float], bytes: Bool) throws -> @Sendable (Float) -> Float {
        if bytes { return { $0 } }
        var lo = Float.infinity, hi = -Float.infinity
        for v in values {
            guard v.isFinite else { throw InceptionImagesError("images contain NaN or infinite values") }
            lo = min(lo, v)
            hi = max(hi, v)
        }
        if lo >= 0 && hi <= 1 { return { $0 * 255 } }
        if lo >= -1 && hi <= 1 { return { ($0 + 1) * 127.5 } }
        throw InceptionImagesError("float images must lie in [0, 1] or [-1, 1], found values in [\(lo), \(hi)] (uint8 images are taken as 0…255)")
    }
}

extension InceptionImages {
    /// Image `i` resized to `height`×`width` (bilinear, half-pixel centres, no antialiasing; grey repeated into
    /// RGB) and mapped by x/128 − 1: the model input's preprocessing at any output size, NHWC.
    package func modelInput(_ i: Int, height oh: Int, width ow: Int) -> [Float] {
        var out = [Float](repeating: 0, count: oh * ow * 3)
        let per = height * width * channels
        pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { o in
                gw_inception_resize(o.baseAddress!, oh, ow, px.baseAddress! + i * per, height, width, channels)
            }
        }
        return out
    }
}

/// Input that cannot be read as images; prints as one line.
public struct InceptionImagesError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
