import Phases
import TerminalUI

/// The phase pane as an image: the n-versus-p grid of a sweep with every cell filled in its region's colour (the
/// theme's, as the pane draws it), n along the bottom and p (or width) up the side, and the legend below.
public enum PhaseImage {
    /// Pixels of one cell, of the gap between cells, and of the font.
    public static let cellWidth = 56
    public static let cellHeight = 28
    public static let gap = 2
    public static let fontScale = 2
    static let margin = 12
    /// The grey of the background.
    static let background: UInt8 = 24
    static let labelColor: (UInt8, UInt8, UInt8) = (200, 200, 200)

    /// The colour a region is filled with: the foreground of its style in `theme` (the pane's glyph colour), grey
    /// for cells without a region of the three.
    public static func color(of region: PhaseRegion?, theme: Theme = .color) -> (UInt8, UInt8, UInt8) {
        let style = theme.style(for: region)
        guard style != theme.dim, style.foreground != .default else { return (110, 110, 110) }
        let (r, g, b) = style.foreground.rgb
        return (UInt8((r * 255).rounded()), UInt8((g * 255).rounded()), UInt8((b * 255).rounded()))
    }

    /// The top-left pixel of the cell at (column, row), row 0 (the smallest p) at the bottom, for `rows` rows.
    public static func cellOrigin(column: Int, row: Int, rows: Int) -> (x: Int, y: Int) {
        (left + column * (cellWidth + gap), margin + (rows - 1 - row) * (cellHeight + gap))
    }

    /// Room for the p labels and the axis title on the left.
    static var left: Int { margin + BitmapFont.width("0000 p", scale: fontScale) + 8 }

    /// Renders `cells` (one per distinct (n, p); a later one replaces an earlier one) with `sizeName` ("p" or
    /// "width") as the vertical axis title. Nil when there are no cells.
    public static func render(_ cells: [PhaseCell], sizeName: String = "p", theme: Theme = .color) -> Export.Raster? {
        guard !cells.isEmpty else { return nil }
        let ns = Set(cells.map(\.n)).sorted(), ps = Set(cells.map(\.p)).sorted()
        let glyphHeight = BitmapFont.glyphHeight * fontScale, line = glyphHeight + 8
        let gridWidth = ns.count * (cellWidth + gap) - gap, gridHeight = ps.count * (cellHeight + gap) - gap
        let legend: [(String, PhaseRegion)] = [("memorization", .memorization), ("generalization", .generalization),
                                               ("arch. reg.", .architectural), ("undetermined", .undetermined)]
        let legendWidth = legend.reduce(0) { $0 + glyphHeight + 6 + BitmapFont.width($1.0, scale: fontScale) + 16 }
        let width = max(left + gridWidth, margin + legendWidth) + margin
        let height = margin + gridHeight + 6 + 2 * line + line + margin
        var raster = Export.Raster(width: width, height: height, background: background)
        for cell in cells {
            let (x, y) = cellOrigin(column: ns.firstIndex(of: cell.n)!, row: ps.firstIndex(of: cell.p)!, rows: ps.count)
            raster.fill(x: x, y: y, width: cellWidth, height: cellHeight, color(of: cell.region, theme: theme))
        }
        func text(_ s: String, x: Int, y: Int) {
            BitmapFont.draw(s, x: x, y: y, scale: fontScale) { raster.set($0, $1, labelColor.0, labelColor.1, labelColor.2) }
        }
        for (row, p) in ps.enumerated() {
            let label = NumberFormat.compact(Double(p))
            let (_, y) = cellOrigin(column: 0, row: row, rows: ps.count)
            text(label, x: left - 8 - BitmapFont.width(label, scale: fontScale), y: y + (cellHeight - glyphHeight) / 2)
        }
        text(sizeName, x: margin, y: margin)
        let labelsTop = margin + gridHeight + 6
        for (column, n) in ns.enumerated() {
            let label = NumberFormat.compact(Double(n))
            let (x, _) = cellOrigin(column: column, row: 0, rows: ps.count)
            text(label, x: x + (cellWidth - BitmapFont.width(label, scale: fontScale)) / 2, y: labelsTop)
        }
        text("n", x: left + (gridWidth - BitmapFont.width("n", scale: fontScale)) / 2, y: labelsTop + line)
        var x = margin
        let legendTop = labelsTop + 2 * line
        for (name, region) in legend {
            raster.fill(x: x, y: legendTop, width: glyphHeight, height: glyphHeight, color(of: region, theme: theme))
            x += glyphHeight + 6
            text(name, x: x, y: legendTop)
            x += BitmapFont.width(name, scale: fontScale) + 16
        }
        return raster
    }
}
