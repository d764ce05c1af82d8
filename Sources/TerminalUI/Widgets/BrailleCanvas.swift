/// A dot grid of 2×4 dots per cell that draws as braille characters (or one ASCII mark per cell).
///
/// Dots are drawn in layers; a cell takes the style of the highest layer that put a dot in it, so a
/// smoothed line stays readable over the faint raw line behind it.
public struct BrailleCanvas {
    /// Size in cells.
    public let columns: Int
    public let rows: Int
    /// Dot bits per cell (braille order: bit 0–2 and 6 the left column, 3–5 and 7 the right).
    private var bits: [UInt8]
    /// Highest layer that drew into each cell, -1 for none.
    private var layer: [Int8]

    public init(columns: Int, rows: Int) {
        self.columns = max(columns, 0)
        self.rows = max(rows, 0)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        layer = [Int8](repeating: -1, count: self.columns * self.rows)
    }

    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    private static let bitTable: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (`x`, `y`), `y` counted from the top; outside dots are ignored.
    @inline(__always)
    public mutating func setDot(x: Int, y: Int, layer l: Int) {
        guard x >= 0, x < dotWidth, y >= 0, y < dotHeight else { return }
        let i = (y >> 2) * columns + (x >> 1)
        bits[i] |= BrailleCanvas.bitTable[x & 1][y & 3]
        if Int8(l) > layer[i] { layer[i] = Int8(l) }
    }

    /// A vertical run of dots from `y0` to `y1` (either order) at column `x`, clipped to the grid.
    public mutating func verticalSpan(x: Int, from y0: Int, to y1: Int, layer l: Int) {
        guard x >= 0, x < dotWidth else { return }
        let a = max(min(y0, y1), 0), b = min(max(y0, y1), dotHeight - 1)
        guard a <= b else { return }
        for y in a...b { setDot(x: x, y: y, layer: l) }
    }

    /// A straight line of dots (Bresenham), clipped to the grid. Endpoints far outside are clamped first so
    /// the loop stays short.
    public mutating func line(from p0: (x: Int, y: Int), to p1: (x: Int, y: Int), layer l: Int) {
        let limit = 4 * max(dotWidth, dotHeight) + 8
        var x0 = min(max(p0.x, -limit), limit), y0 = min(max(p0.y, -limit), limit)
        let x1 = min(max(p1.x, -limit), limit), y1 = min(max(p1.y, -limit), limit)
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            setDot(x: x0, y: y0, layer: l)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }

    /// Draws the canvas into `rect` of `buffer` (its top-left cell is the canvas' top-left), styling each cell
    /// with `styles[layer]`; cells without dots are left as they are.
    public func draw(into buffer: inout CellBuffer, at rect: Rect, styles: [Style], glyphs: GlyphSet) {
        for r in 0..<min(rows, rect.height) {
            for c in 0..<min(columns, rect.width) {
                let i = r * columns + c
                let b = bits[i]
                guard b != 0 else { continue }
                let l = Int(layer[i])
                let style = l >= 0 && l < styles.count ? styles[l] : .plain
                let x = rect.x + c, y = rect.y + r
                let background = x >= 0 && x < buffer.width && y >= 0 && y < buffer.height
                    ? buffer[x, y].style.background : .default
                var s = style
                if s.background == .default { s.background = background }
                buffer.set(x, y, Cell(glyphs.braille ? BrailleCanvas.scalar(b) : BrailleCanvas.asciiMark(b), style: s))
            }
        }
    }

    static func scalar(_ bits: UInt8) -> Unicode.Scalar { Unicode.Scalar(0x2800 + UInt32(bits))! }

    /// `'` for dots only in the top half of the cell, `.` for the bottom half, `:` for both.
    static func asciiMark(_ bits: UInt8) -> Unicode.Scalar {
        let top = bits & 0x1B != 0, bottom = bits & 0xE4 != 0
        return top && bottom ? ":" : (top ? "'" : ".")
    }
}
