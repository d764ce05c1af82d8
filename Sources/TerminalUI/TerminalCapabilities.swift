/// How many colours the dashboard may use.
public enum ColorDepth: Int, Comparable, Sendable {
    /// No colour: attributes only (NO_COLOR, monochrome terminals).
    case none
    /// The 8 ANSI colours (TERM=xterm, vt100 with colour, linux console).
    case ansi8
    /// The xterm 256-colour palette.
    case palette256
    /// 24-bit colour (COLORTERM=truecolor or 24bit).
    case trueColor

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// The number of colours, as `Color.reduced(toPaletteOf:)` takes it.
    public var colorCount: Int {
        switch self {
        case .none: 0
        case .ansi8: 8
        case .palette256: 256
        case .trueColor: 1 << 24
        }
    }
}

/// What the terminal can show, decided from the environment (and, when curses is running, the colour count
/// its terminfo entry reports): the fallbacks NO_COLOR, 8-colour and colourless terminals, and non-UTF-8
/// locales need.
public struct TerminalCapabilities: Equatable, Sendable {
    public var colorDepth: ColorDepth
    /// False when braille, blocks and other non-ASCII characters must be avoided.
    public var unicode: Bool

    public init(colorDepth: ColorDepth, unicode: Bool) {
        self.colorDepth = colorDepth
        self.unicode = unicode
    }

    /// From environment variables: NO_COLOR (any non-empty value) turns colour off; COLORTERM=truecolor/24bit
    /// allows 24-bit colour; TERM names with "256color" or "direct" get the 256 palette, "dumb", "vt100"-like
    /// and unknown-to-colour names none, other terminals 8 colours. `terminfoColors` (curses' COLORS, when
    /// known) caps the result. Unicode needs a UTF-8 locale (LC_ALL, else LC_CTYPE, else LANG) and no
    /// `forceASCII`.
    public static func detect(environment env: [String: String], terminfoColors: Int? = nil,
                              forceASCII: Bool = false) -> TerminalCapabilities {
        let term = (env["TERM"] ?? "").lowercased()
        var depth: ColorDepth
        if !(env["NO_COLOR"] ?? "").isEmpty {
            depth = .none
        } else if term.isEmpty || term == "dumb" || monochromeTerms.contains(where: { term == $0 || term.hasPrefix($0 + "-") }) {
            depth = .none
        } else if ["truecolor", "24bit"].contains((env["COLORTERM"] ?? "").lowercased()) {
            depth = .trueColor
        } else if term.contains("256color") || term.contains("direct") {
            depth = .palette256
        } else {
            depth = .ansi8
        }
        if let colors = terminfoColors {
            let cap: ColorDepth = colors >= 1 << 24 ? .trueColor : colors >= 256 ? .palette256 : colors >= 8 ? .ansi8 : .none
            if cap < depth && !(depth == .trueColor && cap == .palette256) { depth = cap }
        }
        let locale = [env["LC_ALL"], env["LC_CTYPE"], env["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        let normalized = locale.uppercased().replacingOccurrences(of: "-", with: "")
        return TerminalCapabilities(colorDepth: depth, unicode: !forceASCII && normalized.contains("UTF8"))
    }

    /// Terminals without colour (terminfo entries with no `colors` capability).
    static let monochromeTerms = ["vt52", "vt100", "vt102", "vt220", "vt320", "xterm-mono", "linux-m"]
}
