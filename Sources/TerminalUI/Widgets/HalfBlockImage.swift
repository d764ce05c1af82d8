/// An 8-bit greyscale image, row-major (0 black … 255 white).
public struct GrayImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "image needs width × height pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }

    /// The image shrunk by an integer `factor` (each output pixel the rounded mean of a factor × factor block,
    /// partial blocks at the edges averaged over the pixels they have).
    public func downsampled(by factor: Int) -> GrayImage {
        guard factor > 1 else { return self }
        let w = (width + factor - 1) / factor, h = (height + factor - 1) / factor
        var out = [UInt8](repeating: 0, count: w * h)
        for oy in 0..<h {
            for ox in 0..<w {
                var sum = 0, n = 0
                for y in (oy * factor)..<min((oy + 1) * factor, height) {
                    for x in (ox * factor)..<min((ox + 1) * factor, width) { sum += Int(pixels[y * width + x]); n += 1 }
                }
                out[oy * w + ox] = UInt8((sum + n / 2) / n)
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }
}

/// A greyscale image drawn two pixels per cell: `▀` with the upper pixel as foreground and the lower as
/// background (24-bit greys on truecolor terminals, the 256-colour grey ramp otherwise), or, without colour or
/// Unicode, one character of an ASCII density ramp per cell for the mean of its two pixels.
public struct HalfBlockImage {
    public var image: GrayImage
    public var colorDepth: ColorDepth
    public var unicode: Bool

    /// Dark to light.
    public static let densityRamp: [Unicode.Scalar] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

    public init(image: GrayImage, colorDepth: ColorDepth, unicode: Bool) {
        self.image = image
        self.colorDepth = colorDepth
        self.unicode = unicode
    }

    /// Cells the image takes: its width, and half its height rounded up.
    public var size: (columns: Int, rows: Int) { (image.width, (image.height + 1) / 2) }

    /// True when the half-block form is drawn (colours and Unicode available); 8-colour terminals have no greys.
    public var usesBlocks: Bool { unicode && colorDepth >= .palette256 }

    /// The colour of one grey level: 24-bit, or the nearest of palette black (16), the ramp 232–255 and white
    /// (231).
    public func color(_ v: UInt8) -> Color {
        if colorDepth == .trueColor { return .rgb(v, v, v) }
        let ramp = (0..<24).map { 8 + 10 * $0 }
        var best = (distance: Int(v), color: Color.palette(16))
        if 255 - Int(v) < best.distance { best = (255 - Int(v), .palette(231)) }
        for (i, level) in ramp.enumerated() where abs(level - Int(v)) < best.distance {
            best = (abs(level - Int(v)), .gray(i))
        }
        return best.color
    }

    /// Draws the image with its top-left at (`x`, `y`), clipped to `clip`. A missing lower pixel (odd height)
    /// is the terminal background.
    public func render(x: Int, y: Int, clip: Rect, into buffer: inout CellBuffer) {
        let (cols, rows) = size
        for r in 0..<rows {
            for c in 0..<cols {
                let upper = image[c, 2 * r]
                let lower: UInt8? = 2 * r + 1 < image.height ? image[c, 2 * r + 1] : nil
                let cell: Cell
                if usesBlocks {
                    cell = Cell("▀", style: Style(foreground: color(upper), background: lower.map(color) ?? .default))
                } else {
                    let mean = lower.map { (Int(upper) + Int($0) + 1) / 2 } ?? Int(upper)
                    cell = Cell(HalfBlockImage.densityRamp[mean * HalfBlockImage.densityRamp.count / 256])
                }
                buffer.set(x + c, y + r, cell, clip: clip)
            }
        }
    }
}
