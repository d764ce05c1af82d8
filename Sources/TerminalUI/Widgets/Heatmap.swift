/// One cell of a heatmap: how it is drawn.
public struct HeatCell: Hashable, Sendable {
    public var glyph: Unicode.Scalar
    public var style: Style
    public init(glyph: Unicode.Scalar, style: Style) {
        self.glyph = glyph
        self.style = style
    }
}

/// A grid of coloured blocks with labelled axes: `columns` × `rows` data cells, row 0 at the bottom.
public struct Heatmap {
    public var columns: Int
    public var rows: Int
    /// Row-major from the bottom row; nil cells are drawn as a faint dot.
    public var cells: [HeatCell?]
    /// The cell to highlight (column, row), e.g. the current run.
    public var highlight: (column: Int, row: Int)?
    public var xLabels: [String]
    public var yLabels: [String]
    public var glyphs: GlyphSet
    public var labelStyle: Style

    public init(columns: Int, rows: Int, cells: [HeatCell?], highlight: (column: Int, row: Int)? = nil,
                xLabels: [String], yLabels: [String], glyphs: GlyphSet, labelStyle: Style = Style(attributes: .dim)) {
        precondition(cells.count == columns * rows, "heatmap needs columns × rows cells")
        self.columns = columns
        self.rows = rows
        self.cells = cells
        self.highlight = highlight
        self.xLabels = xLabels
        self.yLabels = yLabels
        self.glyphs = glyphs
        self.labelStyle = labelStyle
    }

    /// Draws as many cells as fit: each data cell gets an equal block of terminal cells (at least one).
    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        guard columns > 0, rows > 0, !rect.isEmpty else { return }
        buffer.fill(rect)
        let labelWidth = min(yLabels.map { $0.unicodeScalars.count }.max() ?? 0, max(rect.width - columns, 0))
        let grid = rect.inset(left: labelWidth > 0 ? labelWidth + 1 : 0, bottom: rect.height > rows ? 1 : 0)
        guard !grid.isEmpty else { return }
        let cw = max(1, min(grid.width / columns, 6)), ch = max(1, min(grid.height / rows, 3))
        let shownColumns = min(columns, grid.width / cw), shownRows = min(rows, grid.height / ch)
        let bottom = grid.y + shownRows * ch
        for r in 0..<shownRows {
            let y0 = bottom - (r + 1) * ch
            if r < yLabels.count, labelWidth > 0 {
                buffer.write(yLabels[r], x: rect.x, y: y0 + ch / 2, style: labelStyle, clip: rect, maxWidth: labelWidth)
            }
            for c in 0..<shownColumns {
                let x0 = grid.x + c * cw
                let cell = cells[r * columns + c]
                let drawn = cell ?? HeatCell(glyph: "·", style: labelStyle)
                buffer.fill(Rect(x: x0, y: y0, width: cw, height: ch).intersection(grid), with: Cell(drawn.glyph, style: drawn.style))
                if let h = highlight, h.column == c, h.row == r {
                    let cx = x0 + (cw - 1) / 2, cy = y0 + (ch - 1) / 2
                    buffer.set(cx, cy, Cell(glyphs.braille ? "◆" : "*", style: drawn.style.with([.bold, .reverse])), clip: grid)
                }
            }
        }
        if grid.maxY < rect.maxY {
            var nextFree = grid.x
            for c in 0..<min(shownColumns, xLabels.count) {
                let label = xLabels[c]
                let x = grid.x + c * cw
                guard x >= nextFree else { continue }
                nextFree = x + buffer.write(label, x: x, y: bottom, style: labelStyle, clip: rect) + 1
            }
        }
    }
}
