import Testing
import TerminalUI

/// Renders into a buffer pre-filled with `x`, so untouched cells show.
private func canvas(_ w: Int, _ h: Int) -> CellBuffer { CellBuffer(width: w, height: h, fill: Cell("x")) }

@Suite struct BrailleCanvasTests {
    @Test func dotsMapToBrailleBits() {
        var c = BrailleCanvas(columns: 2, rows: 1)
        c.setDot(x: 0, y: 0, layer: 0)
        c.setDot(x: 3, y: 3, layer: 0)
        c.setDot(x: 9, y: 9, layer: 0)
        var b = canvas(2, 1)
        c.draw(into: &b, at: b.bounds, styles: [.plain], glyphs: .unicode)
        #expect(b.lines == ["⠁⢀"])
    }

    @Test func lineAndSpan() {
        var c = BrailleCanvas(columns: 2, rows: 1)
        c.line(from: (0, 3), to: (3, 0), layer: 0)
        var b = canvas(3, 1)
        c.draw(into: &b, at: b.bounds, styles: [.plain], glyphs: .unicode)
        #expect(b.lines == ["⡠⠊x"])
        var d = BrailleCanvas(columns: 1, rows: 2)
        d.verticalSpan(x: 1, from: -5, to: 100, layer: 0)
        var e = canvas(1, 2)
        d.draw(into: &e, at: e.bounds, styles: [.plain], glyphs: .ascii)
        #expect(e.lines == [":", ":"])
    }

    @Test func higherLayerWinsTheCellStyle() {
        var c = BrailleCanvas(columns: 1, rows: 1)
        c.setDot(x: 0, y: 0, layer: 1)
        c.setDot(x: 1, y: 0, layer: 0)
        var b = canvas(1, 1)
        let styles = [Style(foreground: .red), Style(foreground: .blue)]
        c.draw(into: &b, at: b.bounds, styles: styles, glyphs: .unicode)
        #expect(b[0, 0].style.foreground == .blue)
    }
}

@Suite struct LineChartTests {
    private func rising(_ count: Int) -> [DotColumn?] {
        (0..<count).map { i in let v = Double(i + 1); return DotColumn(min: v, max: v, first: v, last: v) }
    }

    @Test func drawsAxesTicksAndLine() {
        let rect = Rect(x: 0, y: 0, width: 24, height: 6)
        let dots = LineChart.dotColumns(in: rect)
        #expect(dots == 32)
        let chart = LineChart(xScale: AxisScale(lower: 10, upper: 10_000, isLog: true),
                              yScale: AxisScale(lower: 1, upper: 32, isLog: false),
                              lines: [ChartLine(columns: rising(dots), style: .plain, layer: 0)], glyphs: .unicode)
        var b = canvas(24, 6)
        chart.render(in: rect, into: &b)
        let lines = b.lines
        // 16 plot columns leave room for two ticks: every other power of ten.
        #expect(lines[5] == "       10        1k     ")
        #expect(lines.dropLast().allSatisfy { $0.unicodeScalars.dropFirst(7).first == "│" || $0.unicodeScalars.dropFirst(7).first == "┤" })
        // The line rises: its top-right and bottom-left cells hold dots, the opposite corners do not.
        #expect(b[23, 0].scalar != " " && b[8, 4].scalar != " ")
        #expect(b[8, 0].scalar == " " && b[23, 4].scalar == " ")
        #expect(!lines.joined().contains("x"))
    }

    @Test func nonFiniteAndNonPositiveValuesAreSkipped() {
        let rect = Rect(x: 0, y: 0, width: 20, height: 5)
        let dots = LineChart.dotColumns(in: rect)
        var cols = [DotColumn?](repeating: nil, count: dots)
        cols[0] = DotColumn(min: .nan, max: .nan, first: .nan, last: .nan)
        cols[1] = DotColumn(min: -1, max: 0, first: -1, last: 0)
        cols[2] = DotColumn(min: .infinity, max: .infinity, first: .infinity, last: .infinity)
        let chart = LineChart(xScale: AxisScale(lower: 1, upper: 100, isLog: true), yScale: AxisScale(lower: 0.1, upper: 10, isLog: true),
                              lines: [ChartLine(columns: cols, style: .plain, layer: 0)], glyphs: .unicode)
        var b = CellBuffer(width: 20, height: 5)
        chart.render(in: rect, into: &b)
        let plot = LineChart.plotArea(in: rect)
        for y in plot.y..<plot.maxY { for x in plot.x..<plot.maxX { #expect(b[x, y].scalar == " ") } }
    }

    @Test func bandsMarkersAndCursor() {
        let rect = Rect(x: 0, y: 0, width: 28, height: 6)
        let chart = LineChart(xScale: AxisScale(lower: 0, upper: 100, isLog: false), yScale: AxisScale(lower: 0, upper: 1, isLog: false),
                              lines: [], bands: [ChartBand(from: 25, to: 50, background: .green)],
                              markers: [ChartMarker(x: 75, label: "M", style: .plain), ChartMarker(x: 10, label: "", style: .plain, onTop: true)],
                              glyphs: .unicode)
        var b = CellBuffer(width: 28, height: 6)
        chart.render(in: rect, into: &b)
        let plot = LineChart.plotArea(in: rect)
        let markX = plot.x + Int(0.75 * Double(plot.width))
        #expect(b[markX, 2].scalar == "┆")
        #expect(b[markX + 1, 0].scalar == "M")
        let bandX = plot.x + Int(0.3 * Double(plot.width))
        #expect(b[bandX, 2].style.background == .green)
        #expect(b[plot.x, 2].style.background == .default)
        #expect(b[plot.x + Int(0.1 * Double(plot.width)), 3].scalar == "┆")
    }

    @Test func nearbyMarkerLabelsNeverRunTogether() {
        let rect = Rect(x: 0, y: 0, width: 40, height: 5)
        let chart = LineChart(xScale: AxisScale(lower: 0, upper: 320, isLog: false), yScale: AxisScale(lower: 0, upper: 1, isLog: false),
                              lines: [], markers: [ChartMarker(x: 100, label: "τgen", style: .plain), ChartMarker(x: 110, label: "τmem", style: .plain)],
                              glyphs: .unicode)
        var b = CellBuffer(width: 40, height: 5)
        chart.render(in: rect, into: &b)
        let top = b.line(0)
        #expect(top.contains("τmem"))
        #expect(!top.contains("τ┆") && !top.contains("┆en"))
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 2), (3, 3), (9, 2)])
    func degenerateSizesDoNotTrap(width: Int, height: Int) {
        let rect = Rect(x: 0, y: 0, width: width, height: height)
        let dots = LineChart.dotColumns(in: rect)
        let chart = LineChart(xScale: AxisScale(lower: 1, upper: 10, isLog: true), yScale: AxisScale(lower: 0, upper: 1, isLog: false),
                              lines: [ChartLine(columns: rising(dots), style: .plain, layer: 0)],
                              markers: [ChartMarker(x: 5, label: "mark", style: .plain)], glyphs: .unicode)
        var b = CellBuffer(width: width, height: height)
        chart.render(in: rect, into: &b)
        #expect(b.lines.count == height)
    }

    @Test func partlyOffGridRectangleIsClipped() {
        let chart = LineChart(xScale: AxisScale(lower: 1, upper: 10, isLog: false), yScale: AxisScale(lower: 0, upper: 1, isLog: false),
                              lines: [], glyphs: .unicode)
        var b = CellBuffer(width: 10, height: 4, fill: Cell("x"))
        chart.render(in: Rect(x: -5, y: 1, width: 30, height: 10), into: &b)
        #expect(b.line(0) == "xxxxxxxxxx")
        #expect(b.lines.dropFirst().allSatisfy { ["│", "┤"].contains($0.unicodeScalars.dropFirst(2).first!) })
    }
}

@Suite struct SparklineTests {
    @Test func eightLevelsAndBlanks() {
        var b = canvas(12, 1)
        let values: [Double?] = [0, 1, 2, 3, 4, 5, 6, 7, nil, .nan]
        Sparkline(values: values, lower: 0, upper: 7, glyphs: .unicode).render(in: Rect(x: 1, y: 0, width: 10, height: 1), into: &b)
        #expect(b.lines == ["x▁▂▃▄▅▆▇█  x"])
    }

    @Test func showsOnlyTheNewestValuesThatFit() {
        var b = canvas(3, 1)
        Sparkline(values: [7, 7, 7, 0, 7], lower: 0, upper: 7, glyphs: .ascii).render(in: b.bounds, into: &b)
        #expect(b.lines == ["#_#"])
    }

    @Test func constantSeriesDrawsMidLevel() {
        var b = canvas(2, 1)
        Sparkline(values: [3, 3], lower: 3, upper: 3, glyphs: .unicode).render(in: b.bounds, into: &b)
        #expect(b.lines == ["▄▄"])
    }
}

@Suite struct HeatmapTableHelpTests {
    @Test func heatmapCellsLabelsAndHighlight() {
        let a = HeatCell(glyph: "A", style: .plain), g = HeatCell(glyph: "G", style: .plain)
        let map = Heatmap(columns: 2, rows: 2, cells: [a, g, nil, a], highlight: (1, 0), xLabels: ["1k", "10k"],
                          yLabels: ["1k", "4k"], glyphs: .ascii)
        var b = canvas(9, 3)
        map.render(in: b.bounds, into: &b)
        #expect(b.lines == ["4k ···AAA", "1k AAAG*G", "   1k 10k"])
        #expect(b[7, 1].style.attributes.contains(.reverse))
        #expect(!b[6, 1].style.attributes.contains(.reverse))
    }

    @Test func tableAlignsAndClips() {
        let t = Table(columns: [.init("step", width: 5, alignment: .right), .init("label", width: 4)],
                      rows: [["100", "first"], ["2000000", "x"]], selected: 1)
        var b = canvas(10, 3)
        t.render(in: b.bounds, into: &b)
        #expect(b.lines == [" step labe", "  100 firs", "00000 x   "])
        #expect(b[0, 2].style.attributes.contains(.reverse))
    }

    @Test func helpOverlayListsEntriesAndSaysWhatDoesNotFit() {
        let entries = (1...6).map { (keys: "k\($0)", text: "action \($0)") }
        var big = CellBuffer(width: 30, height: 10)
        HelpOverlay(title: "Keys", entries: entries, glyphs: .unicode).render(in: big.bounds, into: &big)
        #expect(big.text.contains("k6 action 6"))
        var small = CellBuffer(width: 30, height: 5)
        HelpOverlay(title: "Keys", entries: entries, glyphs: .unicode).render(in: small.bounds, into: &small)
        #expect(small.text.contains("k2 action 2"))
        #expect(small.text.contains("4 more"))
        var none = CellBuffer(width: 2, height: 2)
        HelpOverlay(title: "Keys", entries: entries, glyphs: .unicode).render(in: none.bounds, into: &none)
    }

    @Test func frameDrawsBorderAndTitle() {
        var b = canvas(8, 3)
        let inner = Frame.draw(b.bounds, title: "Loss", focused: false, glyphs: .ascii, style: .plain, into: &b)
        #expect(inner == Rect(x: 1, y: 1, width: 6, height: 1))
        #expect(b.lines == ["+ Loss +", "|xxxxxx|", "+------+"])
    }
}
