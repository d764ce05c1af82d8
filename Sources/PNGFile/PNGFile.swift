import CPNG

/// An 8-bit RGB image, row-major, 3 bytes per pixel.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "RGB image needs width × height × 3 bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A width × height image of one colour.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8)) {
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { p[3 * i] = fill.0; p[3 * i + 1] = fill.1; p[3 * i + 2] = fill.2 }
        self.init(width: width, height: height, pixels: p)
    }

    public mutating func set(_ x: Int, _ y: Int, _ rgb: (UInt8, UInt8, UInt8)) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let i = 3 * (y * width + x)
        pixels[i] = rgb.0; pixels[i + 1] = rgb.1; pixels[i + 2] = rgb.2
    }
}

/// A PNG could not be written or read.
public struct PNGError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// PNG files through libpng's simplified API (no setjmp needed).
public enum PNGFile {
    /// Writes `image` as an 8-bit RGB PNG.
    public static func write(_ image: RGBImage, to path: String) throws(PNGError) {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = UInt32(PNG_FORMAT_RGB)
        let ok = image.pixels.withUnsafeBytes { buffer in
            png_image_write_to_file(&png, path, 0, buffer.baseAddress, Int32(image.width * 3), nil)
        }
        defer { png_image_free(&png) }
        guard ok != 0 else { throw PNGError(description: "\(path): cannot write the PNG (\(message(png)))") }
    }

    /// Reads a PNG (any format libpng reads) as 8-bit RGB.
    public static func read(_ path: String) throws(PNGError) -> RGBImage {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&png, path) != 0 else {
            throw PNGError(description: "\(path): cannot read the PNG (\(message(png)))")
        }
        png.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(png.width), height = Int(png.height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let ok = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&png, nil, buffer.baseAddress, Int32(width * 3), nil)
        }
        defer { png_image_free(&png) }
        guard ok != 0 else { throw PNGError(description: "\(path): cannot decode the PNG (\(message(png)))") }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// `decode` refuses images of this many pixels or more (a corrupt header must not allocate gigabytes).
    static let maxDecodedPixels = 1 << 26

    /// Decodes a PNG held in memory (an image summary's bytes; any format libpng reads) as 8-bit RGB; `name`
    /// names it in the error.
    public static func decode(_ bytes: [UInt8], name: String) throws(PNGError) -> RGBImage {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&png) }
        let decoded: (width: Int, height: Int, pixels: [UInt8])? = bytes.withUnsafeBytes { data in
            guard data.count > 0, png_image_begin_read_from_memory(&png, data.baseAddress, data.count) != 0 else { return nil }
            png.format = UInt32(PNG_FORMAT_RGB)
            let width = Int(png.width), height = Int(png.height)
            guard width * height < maxDecodedPixels else { return nil }
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            let ok = pixels.withUnsafeMutableBytes { buffer in
                png_image_finish_read(&png, nil, buffer.baseAddress, Int32(width * 3), nil)
            }
            return ok != 0 ? (width, height, pixels) : nil
        }
        guard let decoded, decoded.width > 0, decoded.height > 0 else {
            let reason = bytes.isEmpty ? "no bytes"
                : Int(png.width) * Int(png.height) >= maxDecodedPixels ? "\(png.width)×\(png.height) pixels is too large" : message(png)
            throw PNGError(description: "\(name): cannot decode the PNG (\(reason))")
        }
        return RGBImage(width: decoded.width, height: decoded.height, pixels: decoded.pixels)
    }

    private static func message(_ png: png_image) -> String {
        withUnsafeBytes(of: png.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
