import Testing
import TerminalUI

@Suite struct HalfBlockImageTests {
    /// 2 × 3 pixels: rows (0, 255), (128, 8), (250, 18); the third row has no lower partner.
    let image = GrayImage(width: 2, height: 3, pixels: [0, 255, 128, 8, 250, 18])

    @Test func greyRampCellByCell() {
        var b = CellBuffer(width: 4, height: 3)
        let w = HalfBlockImage(image: image, colorDepth: .palette256, unicode: true)
        #expect(w.size == (2, 2))
        w.render(x: 1, y: 1, clip: b.bounds, into: &b)
        #expect(b.lines == ["    ", " ▀▀ ", " ▀▀ "])
        #expect(b[1, 1].style == Style(foreground: .palette(16), background: .gray(12)))   // 0 over 128
        #expect(b[2, 1].style == Style(foreground: .palette(231), background: .gray(0)))   // 255 over 8
        #expect(b[1, 2].style == Style(foreground: .palette(231), background: .default))   // 250, no lower pixel
        #expect(b[2, 2].style == Style(foreground: .gray(1), background: .default))        // 18
        #expect(b[0, 1] == .blank && b[3, 2] == .blank)
    }

    @Test func truecolorGreys() {
        var b = CellBuffer(width: 2, height: 2)
        HalfBlockImage(image: image, colorDepth: .trueColor, unicode: true).render(x: 0, y: 0, clip: b.bounds, into: &b)
        #expect(b[0, 0] == Cell("▀", style: Style(foreground: .rgb(0, 0, 0), background: .rgb(128, 128, 128))))
        #expect(b[1, 0] == Cell("▀", style: Style(foreground: .rgb(255, 255, 255), background: .rgb(8, 8, 8))))
        #expect(b[0, 1] == Cell("▀", style: Style(foreground: .rgb(250, 250, 250))))
    }

    @Test(arguments: [(ColorDepth.none, true), (.ansi8, true), (.palette256, false)])
    func asciiDensityRampWithoutGreysOrUnicode(depth: ColorDepth, unicode: Bool) {
        var b = CellBuffer(width: 2, height: 2)
        HalfBlockImage(image: image, colorDepth: depth, unicode: unicode).render(x: 0, y: 0, clip: b.bounds, into: &b)
        // means 64, 132 | 250, 18 on the ramp " .:-=+*#%@"
        #expect(b.lines == [":+", "@ "])
        #expect(b.cells.allSatisfy { $0.style == .plain })
    }

    @Test func clippedToTheRectangle() {
        var b = CellBuffer(width: 3, height: 3)
        HalfBlockImage(image: image, colorDepth: .palette256, unicode: true)
            .render(x: 1, y: 1, clip: Rect(x: 0, y: 0, width: 2, height: 2), into: &b)
        #expect(b.lines == ["   ", " ▀ ", "   "])
    }

    @Test func downsamplingAveragesBlocks() {
        let img = GrayImage(width: 3, height: 2, pixels: [0, 10, 100, 20, 30, 201])
        let d = img.downsampled(by: 2)
        #expect(d == GrayImage(width: 2, height: 1, pixels: [15, 151]))
        #expect(img.downsampled(by: 1) == img)
    }

    @Test func trueColorReducesToThePalette() {
        #expect(Color.rgb(128, 128, 128).index == 244)
        #expect(Color.rgb(255, 0, 0).index == 196)
        #expect(Color.rgb(255, 0, 0).reduced(toPaletteOf: 256) == .palette(196))
        #expect(Color.rgb(255, 0, 0).reduced(toPaletteOf: 8) == .red)
        #expect(Color.rgb(1, 2, 3).reduced(toPaletteOf: 1 << 24) == .rgb(1, 2, 3))
        #expect(Color.palette(45).trueColor == nil && Color.rgb(1, 2, 3).trueColor! == (1, 2, 3))
    }
}

@Suite struct FallbackTests {
    @Test func noColorTurnsColourOff() {
        let c = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": "1", "LANG": "en_US.UTF-8"])
        #expect(c == TerminalCapabilities(colorDepth: .none, unicode: true))
        let empty = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": "", "LANG": "C.UTF-8"])
        #expect(empty.colorDepth == .palette256)
    }

    @Test func colourDepthFromTerm() {
        let d = { (env: [String: String], colors: Int?) in TerminalCapabilities.detect(environment: env, terminfoColors: colors).colorDepth }
        #expect(d(["TERM": "xterm"], nil) == .ansi8)
        #expect(d(["TERM": "xterm"], 8) == .ansi8)
        #expect(d(["TERM": "xterm-256color"], nil) == .palette256)
        #expect(d(["TERM": "xterm-256color", "COLORTERM": "truecolor"], 256) == .trueColor)
        #expect(d(["TERM": "vt100"], nil) == .none)
        #expect(d(["TERM": "dumb"], nil) == .none)
        #expect(d(["TERM": "xterm-256color"], 8) == .ansi8)       // terminfo says fewer
        #expect(d(["TERM": "xterm-256color"], 0) == .none)        // curses found no colour
    }

    @Test func localeDecidesUnicode() {
        let u = { (env: [String: String]) in TerminalCapabilities.detect(environment: env).unicode }
        #expect(!u(["LANG": "C"]))
        #expect(!u([:]))
        #expect(u(["LANG": "en_US.UTF-8"]))
        #expect(u(["LANG": "C", "LC_CTYPE": "C.utf8"]))
        #expect(!u(["LANG": "en_US.UTF-8", "LC_ALL": "POSIX"]))
        #expect(!TerminalCapabilities.detect(environment: ["LANG": "en_US.UTF-8"], forceASCII: true).unicode)
    }

    @Test func asciifyLeavesOnlyASCII() {
        var b = CellBuffer(lines: ["τ_gen · 3×4 ━ a–b ⣿⠀ ▀█ ╭─╮ → é"])
        b.asciify()
        #expect(b.lines == ["t_gen . 3x4 = a-b *  ## --- > ?"])
    }
}
