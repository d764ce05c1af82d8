/// A terminal colour: the terminal's own default, or an index into the 256-colour xterm palette
/// (0–15 the named ANSI colours, 16–231 a 6×6×6 cube, 232–255 a grey ramp).
public struct Color: Hashable, Sendable {
    /// -1 for the terminal default, else 0…255.
    public let index: Int16

    public static let `default` = Color(index: -1)
    public static let black = Color(index: 0)
    public static let red = Color(index: 1)
    public static let green = Color(index: 2)
    public static let yellow = Color(index: 3)
    public static let blue = Color(index: 4)
    public static let magenta = Color(index: 5)
    public static let cyan = Color(index: 6)
    public static let white = Color(index: 7)
    public static let brightBlack = Color(index: 8)

    private init(index: Int16) { self.index = index }

    /// A palette entry, 0…255.
    public static func palette(_ i: UInt8) -> Color { Color(index: Int16(i)) }

    /// A colour of the 6×6×6 cube; each component 0…5.
    public static func cube(_ r: Int, _ g: Int, _ b: Int) -> Color {
        let cr: Int = min(max(r, 0), 5), cg: Int = min(max(g, 0), 5), cb: Int = min(max(b, 0), 5)
        return Color(index: Int16(16 + 36 * cr + 6 * cg + cb))
    }

    /// A grey of the 24-step ramp, 0 (near black) … 23 (near white).
    public static func gray(_ level: Int) -> Color { Color(index: Int16(232 + min(max(level, 0), 23))) }

    /// The nearest colour on a terminal that has only `count` colours (8, 16 or 256); `default` stays.
    public func reduced(toPaletteOf count: Int) -> Color {
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

    /// Approximate components in 0…1 (xterm's palette).
    var rgb: (Double, Double, Double) {
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
