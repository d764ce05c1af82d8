/// The characters widgets draw with: Unicode (braille, blocks, box drawing) or plain ASCII for terminals and
/// locales that cannot show them.
public struct GlyphSet: Hashable, Sendable {
    /// True when line charts use braille (2×4 dots per cell); false: one ASCII mark per cell.
    public var braille: Bool
    /// Sparkline levels, lowest first.
    public var levels: [Unicode.Scalar]
    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var topLeft: Unicode.Scalar
    public var topRight: Unicode.Scalar
    public var bottomLeft: Unicode.Scalar
    public var bottomRight: Unicode.Scalar
    /// A dashed vertical line (marks, window edges).
    public var dashedVertical: Unicode.Scalar
    public var ellipsis: Unicode.Scalar

    public static let unicode = GlyphSet(
        braille: true, levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯",
        dashedVertical: "┆", ellipsis: "…")

    public static let ascii = GlyphSet(
        braille: false, levels: ["_", ".", "-", "~", "=", "+", "*", "#"],
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        dashedVertical: ":", ellipsis: "~")
}
