/// A one-row chart of block characters (▁…█), one value per cell, scaled between `lower` and `upper`.
public struct Sparkline {
    /// One value per cell, oldest first; nil or non-finite draws a blank. Only the last `width` are shown.
    public var values: [Double?]
    public var lower: Double
    public var upper: Double
    public var style: Style
    public var glyphs: GlyphSet

    public init(values: [Double?], lower: Double, upper: Double, style: Style = .plain, glyphs: GlyphSet) {
        self.values = values
        self.lower = lower
        self.upper = upper
        self.style = style
        self.glyphs = glyphs
    }

    /// The level index 0…levels-1 of `v`, nil for values that cannot be drawn.
    public func level(_ v: Double?) -> Int? {
        guard let v, v.isFinite else { return nil }
        let n = glyphs.levels.count
        guard upper > lower, upper.isFinite, lower.isFinite else { return n / 2 - 1 }
        let f = (v - lower) / (upper - lower)
        return min(max(Int(f * Double(n)), 0), n - 1)
    }

    /// Draws into the first row of `rect`.
    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        guard rect.width > 0, rect.height > 0 else { return }
        let shown = values.suffix(rect.width)
        for (i, v) in shown.enumerated() {
            let scalar: Unicode.Scalar = level(v).map { glyphs.levels[$0] } ?? " "
            buffer.set(rect.x + i, rect.y, Cell(scalar, style: style), clip: rect)
        }
    }
}
