import Testing
import TerminalUI

@Suite struct CellBufferTests {
    @Test func writeClipsToGridAndRect() {
        var b = CellBuffer(width: 6, height: 2, fill: Cell("x"))
        let n = b.write("hello world", x: 2, y: 0)
        #expect(n == 11)
        #expect(b.lines == ["xxhell", "xxxxxx"])
        b.write("abc", x: -1, y: 1, clip: Rect(x: 0, y: 1, width: 2, height: 1))
        #expect(b.lines == ["xxhell", "bcxxxx"])
        b.write("zz", x: 0, y: 5)
        #expect(b.lines == ["xxhell", "bcxxxx"])
    }

    @Test(arguments: [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)])
    func degenerateSizes(width: Int, height: Int) {
        var b = CellBuffer(width: width, height: height)
        b.write("text", x: 0, y: 0)
        b.fill(Rect(x: -3, y: -3, width: 10, height: 10), with: Cell("#"))
        #expect(b.lines.count == height)
        #expect(b.lines.allSatisfy { $0.unicodeScalars.count == width })
    }

    @Test func linesRoundTrip() {
        let b = CellBuffer(lines: ["ab", "c"])
        #expect(b.lines == ["ab", "c "])
    }

    @Test func layoutTilesTheRectangle() {
        let r = Rect(x: 2, y: 1, width: 100, height: 10)
        let parts = Layout.split(r, .horizontal, [.length(10), .percentage(50), .fill(1), .min(5)])
        #expect(parts.map(\.width).reduce(0, +) == 100)
        #expect(parts[0].width == 10 && parts[1].width == 50)
        #expect(parts[2].x == parts[1].maxX && parts[3].maxX == r.maxX)
        #expect(parts[3].width >= 5)
        let tiny = Layout.split(Rect(x: 0, y: 0, width: 3, height: 3), .vertical, [.length(8), .length(8), .fill(1)])
        #expect(tiny.map(\.height) == [3, 0, 0])
    }

    @Test func rectIntersectionAndCentering() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        #expect(a.intersection(Rect(x: 5, y: 5, width: 10, height: 10)) == Rect(x: 5, y: 5, width: 5, height: 5))
        #expect(a.intersection(Rect(x: 20, y: 20, width: 1, height: 1)).isEmpty)
        #expect(a.centered(width: 4, height: 2) == Rect(x: 3, y: 4, width: 4, height: 2))
        #expect(a.inset(by: 6).isEmpty)
    }
}

@Suite struct SanitizeTests {
    @Test func stripsControlsAndEscapeSequences() {
        #expect(Sanitize.text("gmm\u{1B}[31mred\u{1B}[0m") == "gmmred")
        #expect(Sanitize.text("a\u{1B}]0;title\u{07}b") == "ab")
        #expect(Sanitize.text("x\u{07}y\u{7F}z\u{85}w") == "xyzw")
        #expect(Sanitize.text("tab\there\nnext") == "tab here next")
        #expect(Sanitize.text("\u{9B}2Jok") == "ok")
    }

    @Test func replacesScalarsThatAreNotOneCellWide() {
        #expect(Sanitize.text("e\u{301}") == "e?")
        #expect(Sanitize.text("数据") == "??")
        #expect(Sanitize.text("τ_gen ⣿ █ ±") == "τ_gen ⣿ █ ±")
    }
}

@Suite struct NumberFormatTests {
    @Test func compactTickLabels() {
        #expect(NumberFormat.compact(0) == "0")
        #expect(NumberFormat.compact(950) == "950")
        #expect(NumberFormat.compact(1000) == "1k")
        #expect(NumberFormat.compact(10_000) == "10k")
        #expect(NumberFormat.compact(1_200_000) == "1.2M")
        #expect(NumberFormat.compact(123_456) == "123k")
        #expect(NumberFormat.compact(3_500_000_000) == "3.5G")
        #expect(NumberFormat.compact(-2000) == "-2k")
        #expect(NumberFormat.compact(.nan) == "nan")
    }

    @Test func measuredValues() {
        #expect(NumberFormat.value(0.5) == "0.5")
        #expect(NumberFormat.value(0.012345) == "0.0123")
        #expect(NumberFormat.value(12.345) == "12.3")
        #expect(NumberFormat.value(0.00012) == "1.2e-4")
        #expect(NumberFormat.value(250_000) == "2.5e5")
        #expect(NumberFormat.value(.infinity) == "inf")
    }
}

@Suite struct AxisScaleTests {
    @Test func logTicksArePowersOfTen() {
        let s = AxisScale(lower: 10, upper: 100_000, isLog: true)
        #expect(s.ticks(maxCount: 10) == [10, 100, 1000, 10_000, 100_000])
        #expect(s.ticks(maxCount: 3) == [10, 1000, 100_000])
        #expect(abs(s.fraction(1000) - 0.5) < 1e-12)
        #expect(s.fraction(-1).isNaN)
    }

    @Test func narrowLogRangeGetsTwoAndFive() {
        let s = AxisScale(lower: 1.5, upper: 9, isLog: true)
        #expect(s.ticks(maxCount: 5) == [2, 5])
    }

    @Test func linearTicksAreNice() {
        let s = AxisScale(lower: 0, upper: 1, isLog: false)
        #expect(s.ticks(maxCount: 5).map { ($0 * 10).rounded() / 10 } == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(AxisScale(lower: 0, upper: 1000, isLog: false).ticks(maxCount: 4) == [0, 500, 1000])
    }

    @Test func degenerateRangesStayFinite() {
        for s in [AxisScale(lower: 3, upper: 3, isLog: false), AxisScale(lower: 0, upper: 0, isLog: true),
                  AxisScale(lower: .nan, upper: .infinity, isLog: false), AxisScale(lower: -1, upper: 5, isLog: true)] {
            #expect(s.upper > s.lower)
            #expect(s.fraction(s.upper).isFinite)
        }
    }
}

@Suite struct ColorTests {
    @Test func reducesToSmallPalettes() {
        #expect(Color.cube(5, 0, 0).reduced(toPaletteOf: 8) == .red)
        #expect(Color.cube(0, 0, 0).reduced(toPaletteOf: 8) == .black)
        #expect(Color.palette(9).reduced(toPaletteOf: 8) == .red)
        #expect(Color.cube(0, 5, 0).reduced(toPaletteOf: 256) == .cube(0, 5, 0))
        #expect(Color.default.reduced(toPaletteOf: 8) == .default)
        #expect(Color.gray(23).reduced(toPaletteOf: 16) == .palette(15))
    }
}
