/// A terminal colour: the terminal's own default, an index into the 256-colour xterm palette (0–15 the named
/// ANSI colours, 16–231 a 6×6×6 cube, 232–255 a grey ramp), or a 24-bit RGB colour for truecolor terminals
/// (reduced to the palette where the terminal has fewer colours).
public struct Color: Hashable, Sendable {
    /// -1 for the terminal default, 0…255 a palette entry, `rgbFlag | 0xRRGGBB` a 24-bit colour.
    private let code: Int32
    private static let rgbFlag: Int32 = 1 << 24

    public static let `default` = Color(code: -1)
    public static let black = Color(code: 0)
    public static let red = Color(code: 1)
    public static let green = Color(code: 2)
    public static let yellow = Color(code: 3)
    public static let blue = Color(code: 4)
    public static let magenta = Color(code: 5)
    public static let cyan = Color(code: 6)
    public static let white = Color(code: 7)
    public static let brightBlack = Color(code: 8)

    private init(code: Int32) { self.code = code }

    /// -1 for the default colour, else the palette entry (for RGB colours the nearest of the 256).
    public var index: Int16 {
        guard let (r, g, b) = trueColor else { return Int16(code) }
        return Color.nearestOf256(r, g, b)
    }

    /// The components of an RGB colour; nil for the default and palette colours.
    public var trueColor: (UInt8, UInt8, UInt8)? {
        guard code >= Color.rgbFlag else { return nil }
        return (UInt8((code >> 16) & 0xFF), UInt8((code >> 8) & 0xFF), UInt8(code & 0xFF))
    }

    /// A 24-bit colour.
    public static func rgb(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Color {
        Color(code: rgbFlag | Int32(r) << 16 | Int32(g) << 8 | Int32(b))
    }

    /// btop's reduction of 24-bit colour to the palette: greys to the 232–255 ramp, the rest to the cube.
    private static func nearestOf256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int16 {
        let (ri, gi, bi) = (Int(r), Int(g), Int(b))
        if ri / 11 == gi / 11 && gi / 11 == bi / 11 {
            let level = min(max((ri - 3) / 10, 0), 23)
            return Int16(232 + level)
        }
        let q = { (v: Int) in (v * 5 + 127) / 255 }
        return Int16(16 + 36 * q(ri) + 6 * q(gi) + q(bi))
    }

    /// A palette entry, 0…255.
    public static func palette(_ i: UInt8) -> Color { Color(code: Int32(i)) }

    /// A colour of the 6×6×6 cube; each component 0…5.
    public static func cube(_ r: Int, _ g: Int, _ b: Int) -> Color {
        let cr: Int = min(max(r, 0), 5), cg: Int = min(max(g, 0), 5), cb: Int = min(max(b, 0), 5)
        return Color(code: Int32(16 + 36 * cr + 6 * cg + cb))
    }

    /// A grey of the 24-step ramp, 0 (near black) … 23 (near white).
    public static func gray(_ level: Int) -> Color { Color(code: Int32(232 + min(max(level, 0), 23))) }

    /// The nearest colour on a terminal that has only `count` colours (8, 16, 256, or 2^24 for direct colour);
    /// `default` stays.
    public func reduced(toPaletteOf count: Int) -> Color {
        if trueColor != nil {
            if count >= 1 << 24 { return self }
            return Color.palette(UInt8(index)).reduced(toPaletteOf: count)
        }
        guard index >= 0, count < 256, Int(index) >= count else { return self }
        let (r, g, b) = rgb
        if count >= 16, Int(index) >= 16 {
            let bright = max(r, g, b) > 0.75
            let base = Color.nearestOfEight(r, g, b)
            return bright && base.index != 0 ? .palette(UInt8(base.index + 8)) : base
        }
        if Int(index) < 16 { return .palette(UInt8(index % 8)) }
        return Color.nearestOfEight(r, g, b)
    }

    /// Approximate components in 0…1 (xterm's palette); the default colour is mid-grey.
    public var rgb: (Double, Double, Double) {
        if let (r, g, b) = trueColor { return (Double(r) / 255, Double(g) / 255, Double(b) / 255) }
        let i = Int(index)
        switch i {
        case ..<0: return (0.5, 0.5, 0.5)
        case 0..<16:
            let level = i >= 8 ? 1.0 : 0.5
            return (i & 1 != 0 ? level : 0, i & 2 != 0 ? level : 0, i & 4 != 0 ? level : 0)
        case 16..<232:
            let c = i - 16
            let steps = [0.0, 0.37, 0.53, 0.69, 0.84, 1.0]
            return (steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
        default:
            let v = (8.0 + 10.0 * Double(i - 232)) / 255.0
            return (v, v, v)
        }
    }

    private static func nearestOfEight(_ r: Double, _ g: Double, _ b: Double) -> Color {
        let hi = max(r, g, b)
        if hi < 0.2 { return .black }
        let t = hi * 0.6
        let bits = (r >= t ? 1 : 0) | (g >= t ? 2 : 0) | (b >= t ? 4 : 0)
        return .palette(UInt8(bits))
    }
}

/// Text attributes a terminal can combine.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)
}

/// Foreground, background and attributes of one cell.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    public func with(_ extra: TextAttributes) -> Style {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }
}
