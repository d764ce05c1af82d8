/// The values that fall into one dot column of a chart: their extremes (so spikes survive downsampling) and the
/// first and last (so consecutive columns join into a line).
public struct DotColumn: Equatable, Sendable {
    public var min: Double
    public var max: Double
    public var first: Double
    public var last: Double

    public init(min: Double, max: Double, first: Double, last: Double) {
        self.min = min
        self.max = max
        self.first = first
        self.last = last
    }
}

/// One line of a chart, already reduced to one `DotColumn` per dot column (nil where there is no data).
public struct ChartLine: Sendable {
    public var columns: [DotColumn?]
    public var style: Style
    /// Drawing order; a cell shows the style of the highest layer with a dot in it.
    public var layer: Int

    public init(columns: [DotColumn?], style: Style, layer: Int) {
        self.columns = columns
        self.style = style
        self.layer = layer
    }
}

/// A shaded x range (the generalization window).
public struct ChartBand: Sendable {
    public var from: Double
    public var to: Double
    public var background: Color
    public init(from: Double, to: Double, background: Color) {
        self.from = from
        self.to = to
        self.background = background
    }
}

/// A vertical line at an x value (a mark, a window edge, the replay cursor) with a short label at the top.
public struct ChartMarker: Sendable {
    public var x: Double
    public var label: String
    public var style: Style
    /// Drawn over the data lines instead of under them (the cursor).
    public var onTop: Bool
    /// Drawn on every other row only (an estimate rather than an event, e.g. a forecast).
    public var dotted: Bool
    public init(x: Double, label: String, style: Style, onTop: Bool = false, dotted: Bool = false) {
        self.x = x
        self.label = label
        self.style = style
        self.onTop = onTop
        self.dotted = dotted
    }
}

/// A line chart drawn with braille dots (2×4 per cell), y tick labels on the left and x tick labels below.
public struct LineChart {
    /// Columns left of the plot for y tick labels, plus one for the axis.
    public static let yLabelWidth = 7

    public var xScale: AxisScale
    public var yScale: AxisScale
    public var lines: [ChartLine]
    public var bands: [ChartBand] = []
    public var markers: [ChartMarker] = []
    public var glyphs: GlyphSet
    public var axisStyle: Style
    /// The x axis's labels (step counts by default; a time axis writes durations or times of day).
    public var xLabel: @Sendable (Double) -> String = { NumberFormat.compact($0) }

    public init(xScale: AxisScale, yScale: AxisScale, lines: [ChartLine], bands: [ChartBand] = [],
                markers: [ChartMarker] = [], glyphs: GlyphSet, axisStyle: Style = Style(attributes: .dim)) {
        self.xScale = xScale
        self.yScale = yScale
        self.lines = lines
        self.bands = bands
        self.markers = markers
        self.glyphs = glyphs
        self.axisStyle = axisStyle
    }

    /// Where the data goes inside `rect`: right of the y labels and axis, above the x labels. Labels are
    /// dropped when the rectangle is too small for them.
    public static func plotArea(in rect: Rect) -> Rect {
        let left = rect.width >= yLabelWidth + 9 ? yLabelWidth + 1 : 0
        let bottom = rect.height >= 3 ? 1 : 0
        return rect.inset(left: left, bottom: bottom)
    }

    /// The number of dot columns of the plot in `rect` (what each `ChartLine.columns` should hold).
    public static func dotColumns(in rect: Rect) -> Int { plotArea(in: rect).width * 2 }

    /// The x range covered by dot column `i` of `count`: [lower, upper).
    public static func columnRange(_ i: Int, of count: Int, scale: AxisScale) -> (lower: Double, upper: Double) {
        (scale.value(atFraction: Double(i) / Double(count)), scale.value(atFraction: Double(i + 1) / Double(count)))
    }

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        guard clip == rect else {
            // Partly off the grid: draw whole, then copy the visible part.
            var local = CellBuffer(width: rect.width, height: rect.height)
            render(in: local.bounds, into: &local)
            blit(local, to: rect, into: &buffer)
            return
        }
        buffer.fill(rect)
        let plot = LineChart.plotArea(in: rect)
        guard !plot.isEmpty else { return }
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        let dotW = canvas.dotWidth, dotH = canvas.dotHeight

        for band in bands {
            guard let c0 = column(of: band.from, cells: plot.width), let c1 = column(of: band.to, cells: plot.width) else { continue }
            let a = max(min(c0, c1), 0), b = min(max(c0, c1), plot.width - 1)
            if a <= b { buffer.setBackground(Rect(x: plot.x + a, y: plot.y, width: b - a + 1, height: plot.height), band.background) }
        }
        for marker in markers where !marker.onTop { drawMarker(marker, plot: plot, into: &buffer) }

        var styles: [Style] = []
        for line in lines {
            while styles.count <= line.layer { styles.append(.plain) }
            styles[line.layer] = line.style
            var previous: (x: Int, y: Int)?
            for (i, col) in line.columns.enumerated() where i < dotW {
                guard let col, let yMin = dotY(col.min, dotHeight: dotH), let yMax = dotY(col.max, dotHeight: dotH),
                      let yFirst = dotY(col.first, dotHeight: dotH), let yLast = dotY(col.last, dotHeight: dotH)
                else { continue }
                if let p = previous { canvas.line(from: p, to: (i, yFirst), layer: line.layer) }
                canvas.verticalSpan(x: i, from: yMin, to: yMax, layer: line.layer)
                previous = (i, yLast)
            }
        }
        canvas.draw(into: &buffer, at: plot, styles: styles, glyphs: glyphs)
        // Labels go over the data lines, so a curve never hides one; marker lines keep their columns free.
        var taken = Set(markers.filter { !$0.onTop }.compactMap { column(of: $0.x, cells: plot.width) })
        for marker in markers where !marker.onTop { drawLabel(marker, plot: plot, taken: &taken, into: &buffer) }
        for marker in markers where marker.onTop { drawMarker(marker, plot: plot, into: &buffer) }
        drawAxes(rect: rect, plot: plot, into: &buffer)
    }

    /// Dot row of `v` (0 at the top), nil when the value cannot be placed (NaN, ≤ 0 on a log axis). Values
    /// beyond the range map just outside the grid and are clipped.
    private func dotY(_ v: Double, dotHeight: Int) -> Int? {
        let f = yScale.fraction(v)
        guard f.isFinite else { return nil }
        let clamped = min(max(f, -0.05), 1.05)
        return Int(((1 - clamped) * Double(dotHeight - 1)).rounded())
    }

    private func column(of x: Double, cells: Int) -> Int? {
        let f = xScale.fraction(x)
        guard f.isFinite, f >= -0.001, f <= 1.001 else { return nil }
        return min(max(Int(f * Double(cells)), 0), cells - 1)
    }

    private func drawMarker(_ marker: ChartMarker, plot: Rect, into buffer: inout CellBuffer) {
        guard let c = column(of: marker.x, cells: plot.width) else { return }
        let x = plot.x + c
        for y in plot.y..<plot.maxY where !marker.dotted || (y - plot.y) % 2 == 0 {
            var s = marker.style
            if s.background == .default { s.background = buffer[x, y].style.background }
            if marker.onTop && buffer[x, y].scalar != " " {
                buffer.setStyle(x, y, buffer[x, y].style.with(.reverse))
            } else {
                buffer.set(x, y, Cell(glyphs.dashedVertical, style: s))
            }
        }
    }

    /// The marker's label in the top row, right of its line (else left of it), drawn over the data lines.
    /// `taken` holds the plot columns of marker lines and labels already placed: a label only goes where none
    /// is, so a neighbouring line cannot cut it and labels of nearby markers never run together.
    private func drawLabel(_ marker: ChartMarker, plot: Rect, taken: inout Set<Int>, into buffer: inout CellBuffer) {
        guard let c = column(of: marker.x, cells: plot.width) else { return }
        let n = marker.label.unicodeScalars.count
        guard n > 0 && plot.width >= 8 else { return }
        let fits = { (start: Int) in
            start >= 0 && start + n <= plot.width && !(start..<start + n).contains(where: taken.contains)
        }
        guard let start = [c + 1, c - n].first(where: fits) else { return }
        let columns = start..<start + n
        var style = marker.style
        if style.background == .default { style.background = buffer[plot.x + start, plot.y].style.background }
        buffer.write(marker.label, x: plot.x + start, y: plot.y, style: style, clip: plot)
        taken.formUnion(columns)
    }

    private func drawAxes(rect: Rect, plot: Rect, into buffer: inout CellBuffer) {
        if plot.x > rect.x {
            let axisX = plot.x - 1
            for y in plot.y..<plot.maxY { buffer.set(axisX, y, Cell(glyphs.vertical, style: axisStyle)) }
            let maxTicks = max(2, plot.height / 3)
            for t in yScale.ticks(maxCount: maxTicks) {
                guard let dy = dotY(t, dotHeight: plot.height * 4) else { continue }
                let y = plot.y + dy / 4
                guard y >= plot.y, y < plot.maxY else { continue }
                let label = NumberFormat.value(t)
                let n = label.unicodeScalars.count
                buffer.write(label, x: max(rect.x, axisX - n), y: y, style: axisStyle, clip: rect, maxWidth: axisX - rect.x)
                buffer.set(axisX, y, Cell(glyphs.braille ? "┤" : "+", style: axisStyle))
            }
        }
        if plot.maxY < rect.maxY {
            let y = plot.maxY
            var nextFree = rect.x
            let maxTicks = max(2, plot.width / 8)
            for t in xScale.ticks(maxCount: maxTicks) {
                guard let c = column(of: t, cells: plot.width) else { continue }
                let label = xLabel(t)
                let n = label.unicodeScalars.count
                let start = min(max(plot.x + c - n / 2, rect.x), rect.maxX - n)
                guard start >= nextFree else { continue }
                buffer.write(label, x: start, y: y, style: axisStyle, clip: rect)
                nextFree = start + n + 1
            }
        }
    }

    private func blit(_ local: CellBuffer, to rect: Rect, into buffer: inout CellBuffer) {
        for y in 0..<local.height { for x in 0..<local.width { buffer.set(rect.x + x, rect.y + y, local[x, y]) } }
    }
}
