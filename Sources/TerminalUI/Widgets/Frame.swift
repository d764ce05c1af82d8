/// A bordered box with a title: the chrome around each pane.
public enum Frame {
    /// Draws the border of `rect` with `title` in the top edge and returns the inside. Rectangles smaller than
    /// 2×2 get no border (the whole rectangle is returned).
    @discardableResult
    public static func draw(_ rect: Rect, title: String, focused: Bool, glyphs: GlyphSet, style: Style,
                            into buffer: inout CellBuffer) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return rect }
        let s = focused ? style.with(.bold) : style
        for x in rect.x + 1..<rect.maxX - 1 {
            buffer.set(x, rect.y, Cell(glyphs.horizontal, style: s))
            buffer.set(x, rect.maxY - 1, Cell(glyphs.horizontal, style: s))
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            buffer.set(rect.x, y, Cell(glyphs.vertical, style: s))
            buffer.set(rect.maxX - 1, y, Cell(glyphs.vertical, style: s))
        }
        buffer.set(rect.x, rect.y, Cell(glyphs.topLeft, style: s))
        buffer.set(rect.maxX - 1, rect.y, Cell(glyphs.topRight, style: s))
        buffer.set(rect.x, rect.maxY - 1, Cell(glyphs.bottomLeft, style: s))
        buffer.set(rect.maxX - 1, rect.maxY - 1, Cell(glyphs.bottomRight, style: s))
        if rect.width > 4 && !title.isEmpty {
            let titleStyle = focused ? s.with(.reverse) : s.with(.bold)
            buffer.write(" " + title + " ", x: rect.x + 1, y: rect.y, style: titleStyle,
                         clip: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1))
        }
        return rect.inset(by: 1)
    }
}
