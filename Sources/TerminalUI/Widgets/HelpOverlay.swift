/// A centred box listing keys and what they do, drawn over the frame.
public struct HelpOverlay {
    public var title: String
    /// (keys, description) pairs, in display order.
    public var entries: [(keys: String, text: String)]
    public var glyphs: GlyphSet
    public var style: Style

    public init(title: String, entries: [(keys: String, text: String)], glyphs: GlyphSet, style: Style = .plain) {
        self.title = title
        self.entries = entries
        self.glyphs = glyphs
        self.style = style
    }

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        let keyWidth = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
        let textWidth = entries.map { $0.text.unicodeScalars.count }.max() ?? 0
        let box = rect.centered(width: keyWidth + textWidth + 6, height: entries.count + 2)
        guard box.width >= 3, box.height >= 3 else { return }
        buffer.fill(box, with: Cell(" ", style: style))
        let inner = Frame.draw(box, title: title, focused: true, glyphs: glyphs, style: style, into: &buffer)
        let fits = inner.height
        for (i, e) in entries.prefix(fits).enumerated() {
            let last = i == fits - 1 && entries.count > fits
            let y = inner.y + i
            if last {
                buffer.write(String(Character(glyphs.ellipsis)) + " \(entries.count - i) more (enlarge the terminal)",
                             x: inner.x + 1, y: y, style: style.with(.dim), clip: inner)
                break
            }
            buffer.write(e.keys, x: inner.x + 1, y: y, style: style.with(.bold), clip: inner)
            buffer.write(e.text, x: inner.x + 2 + keyWidth, y: y, style: style, clip: inner)
        }
    }
}
