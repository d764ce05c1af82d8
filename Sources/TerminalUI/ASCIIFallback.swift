/// One-cell ASCII stand-ins for the non-ASCII characters the dashboard draws, for terminals and locales that
/// cannot show them (`--ascii`, non-UTF-8 locales). Widgets already pick ASCII glyphs from `GlyphSet.ascii`;
/// this catches the rest (τ, ·, ×, ━, –, arrows in help) so an ASCII frame is ASCII throughout.
public enum ASCIIFallback {
    /// The stand-in for `s` (itself when ASCII).
    public static func scalar(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.isASCII { return s }
        if let mapped = table[s] { return mapped }
        switch s.value {
        case 0x2800...0x28FF: return s.value == 0x2800 ? " " : "*"  // braille
        case 0x2500...0x257F: return "-"  // box drawing
        case 0x2580...0x259F: return "#"  // blocks
        default: return "?"
        }
    }

    private static let table: [Unicode.Scalar: Unicode.Scalar] = [
        "τ": "t", "·": ".", "×": "x", "━": "=", "–": "-", "—": "-", "…": "~", "│": "|", "┆": ":",
        "←": "<", "→": ">", "↑": "^", "↓": "v", "≥": ">", "≤": "<", "▀": "#", "█": "#", "░": ".",
        "▒": ":", "▓": "#", "Δ": "d", "±": "+", "°": "o",
    ]
}
