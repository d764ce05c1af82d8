/// A grid of cells, row-major: what a frame looks like before it reaches the terminal.
///
/// Every write is clipped to the grid (and to an optional rectangle), so widgets never trap on small sizes.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `height` rows of `width` cells.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = [Cell](repeating: fill, count: self.width * self.height)
    }

    /// A buffer whose rows are the given lines (padded with blanks to the longest); for tests.
    public init(lines: [String]) {
        let w = lines.map { $0.unicodeScalars.count }.max() ?? 0
        self.init(width: w, height: lines.count)
        for (y, line) in lines.enumerated() { write(line, x: 0, y: y) }
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (`x`, `y`); both must be inside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x), \(y)) outside \(width)×\(height)")
            return cells[y * width + x]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x), \(y)) outside \(width)×\(height)")
            cells[y * width + x] = newValue
        }
    }

    /// Sets a cell if it is inside the grid and `clip`; otherwise does nothing.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell, clip: Rect? = nil) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        if let clip, !clip.contains(x: x, y: y) { return }
        cells[y * width + x] = cell
    }

    /// Changes only the style of a cell (inside the grid).
    public mutating func setStyle(_ x: Int, _ y: Int, _ style: Style) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x].style = style
    }

    /// Changes only the background of the cells in `rect`.
    public mutating func setBackground(_ rect: Rect, _ color: Color) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { cells[y * width + x].style.background = color } }
    }

    /// Fills `rect` (clipped to the grid) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { cells[y * width + x] = cell } }
    }

    /// Writes `text` from (`x`, `y`), one scalar per cell, clipped to the grid, to `clip` and to `maxWidth`
    /// cells. The text must already be sanitized (see `Sanitize`). Returns the number of cells written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil,
                               maxWidth: Int = .max) -> Int {
        var cx = x
        var written = 0
        for s in text.unicodeScalars {
            if written >= maxWidth { break }
            set(cx, y, Cell(s, style: style), clip: clip)
            cx += 1
            written += 1
        }
        return written
    }

    /// The text of each row (styles dropped).
    public var lines: [String] {
        (0..<height).map { y in
            var s = String.UnicodeScalarView()
            for x in 0..<width { s.append(cells[y * width + x].scalar) }
            return String(s)
        }
    }

    /// The text of one row.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = String.UnicodeScalarView()
        for x in 0..<width { s.append(cells[y * width + x].scalar) }
        return String(s)
    }

    /// All rows joined with newlines (a plain-text snapshot of the frame).
    public var text: String { lines.joined(separator: "\n") }
}

extension CellBuffer {
    /// Replaces every non-ASCII character with its `ASCIIFallback` stand-in (styles stay).
    public mutating func asciify() {
        for i in cells.indices where !cells[i].scalar.isASCII {
            cells[i].scalar = ASCIIFallback.scalar(cells[i].scalar)
        }
    }
}
