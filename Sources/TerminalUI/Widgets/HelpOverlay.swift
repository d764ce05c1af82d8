/// A centred box listing keys and what they do, drawn over the frame.
public struct HelpOverlay {
    public var title: String
    /// (keys, description) pairs, in display order.
    public var entries: [(keys: String, text: String)]
    public var glyphs: GlyphSet
    public var style: Style
    /// Entries scrolled past at the top (clamped to what the box can show).
    public var offset: Int

    public init(title: String, entries: [(keys: String, text: String)], glyphs: GlyphSet, style: Style = .plain,
                offset: Int = 0) {
        self.title = title
        self.entries = entries
        self.glyphs = glyphs
        self.style = style
        self.offset = offset
    }

    /// The first entry shown when `offset` is asked for in a box of `rows` inner rows: never so far down that
    /// the box has empty rows.
    public static func clampedOffset(_ offset: Int, entries: Int, rows: Int) -> Int {
        entries <= rows ? 0 : min(max(offset, 0), entries - rows + 1)
    }

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        let keyWidth = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
        let textWidth = entries.map { $0.text.unicodeScalars.count }.max() ?? 0
        let box = rect.centered(width: keyWidth + textWidth + 6, height: entries.count + 2)
        guard box.width >= 3, box.height >= 3 else { return }
        buffer.fill(box, with: Cell(" ", style: style))
        let inner = Frame.draw(box, title: title, focused: true, glyphs: glyphs, style: style, into: &buffer)
        let fits = inner.height
        let first = HelpOverlay.clampedOffset(offset, entries: entries.count, rows: fits)
        let shown = Array(entries[first...])
        for (i, e) in shown.prefix(fits).enumerated() {
            let y = inner.y + i
            if i == fits - 1 && shown.count > fits {
                buffer.write(String(Character(glyphs.ellipsis)) + " \(shown.count - i) more: ↓ or PgDn scrolls",
                             x: inner.x + 1, y: y, style: style.with(.dim), clip: inner)
                break
            }
            buffer.write(e.keys, x: inner.x + 1, y: y, style: style.with(.bold), clip: inner)
            buffer.write(e.text, x: inner.x + 2 + keyWidth, y: y, style: style, clip: inner)
        }
        if first > 0 {
            buffer.write(" ↑ \(first) above ", x: box.x + 2, y: box.maxY - 1, style: style.with(.dim), clip: box)
        }
    }
}
