/// A table with a header row and fixed-width columns, clipped to its rectangle.
public struct Table {
    public enum Alignment: Sendable { case left, right }
    public struct Column: Sendable {
        public var title: String
        public var width: Int
        public var alignment: Alignment
        public init(_ title: String, width: Int, alignment: Alignment = .left) {
            self.title = title
            self.width = width
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    public var headerStyle: Style
    public var style: Style
    /// The row drawn highlighted, if any.
    public var selected: Int?

    public init(columns: [Column], rows: [[String]], headerStyle: Style = Style(attributes: .bold),
                style: Style = .plain, selected: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.headerStyle = headerStyle
        self.style = style
        self.selected = selected
    }

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        drawRow(columns.map(\.title), y: rect.y, style: headerStyle, rect: rect, into: &buffer)
        for (i, row) in rows.enumerated() {
            let y = rect.y + 1 + i
            guard y < rect.maxY else { break }
            drawRow(row, y: y, style: i == selected ? style.with(.reverse) : style, rect: rect, into: &buffer)
        }
    }

    private func drawRow(_ texts: [String], y: Int, style: Style, rect: Rect, into buffer: inout CellBuffer) {
        buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), with: Cell(" ", style: style))
        var x = rect.x
        for (c, column) in columns.enumerated() {
            let text = c < texts.count ? texts[c] : ""
            let n = text.unicodeScalars.count
            let start = column.alignment == .right ? x + max(column.width - n, 0) : x
            let shown = column.alignment == .right && n > column.width ? String(String.UnicodeScalarView(text.unicodeScalars.suffix(column.width))) : text
            buffer.write(shown, x: start, y: y, style: style, clip: rect, maxWidth: column.width)
            x += column.width + 1
        }
    }
}
