import Testing
import TerminalUI

/// Terminfo fallbacks and the colour numbers curses is given on palette and direct-colour terminals.
@Suite struct TerminalTypeTests {
    @Test func candidatesFallBackFromDirectTo256ThenVT100() {
        #expect(TerminalType.candidates(environment: ["TERM": "xterm-direct"]) == ["xterm-direct", "xterm-256color", "xterm", "vt100", "ansi"])
        #expect(TerminalType.candidates(environment: ["TERM": "screen-256color"]) == ["screen-256color", "screen", "vt100", "ansi"])
        #expect(TerminalType.candidates(environment: ["TERM": "vt100"]) == ["vt100", "ansi"])
        // COLORTERM=truecolor tries the -direct entry of the same family first.
        #expect(TerminalType.candidates(environment: ["TERM": "tmux-256color", "COLORTERM": "truecolor"])
            == ["tmux-direct", "tmux-256color", "tmux", "vt100", "ansi"])
        #expect(TerminalType.candidates(environment: ["TERM": "xterm-direct", "COLORTERM": "24bit"]).first == "xterm-direct")
    }

    @Test func noticeOnlyForARealFallback() {
        #expect(TerminalType.notice(term: "xterm-direct", using: "xterm-256color") == "TERM=xterm-direct has no terminfo entry here; using xterm-256color")
        #expect(TerminalType.notice(term: "xterm-256color", using: "xterm-256color") == nil)
        #expect(TerminalType.notice(term: "xterm-256color", using: "xterm-direct") == nil)
    }

    @Test func directColourTerminalsGetRGB() {
        let direct = 1 << 24
        #expect(TerminalType.cursesColor(.default, colors: direct) == -1)
        #expect(TerminalType.cursesColor(.rgb(0x12, 0x34, 0x56), colors: direct) == 0x123456)
        #expect(TerminalType.cursesColor(.red, colors: direct) == 1, "ANSI colours stay ANSI")
        #expect(TerminalType.cursesColor(.palette(196), colors: direct) == 0xFF0000)
        #expect(TerminalType.cursesColor(.gray(0), colors: direct) == 0x080808)
        #expect(TerminalType.cursesColor(.palette(12), colors: direct) == 0x0000FF)
        // An RGB value under 8 would read as an ANSI colour: it becomes 8 (still near black).
        #expect(TerminalType.cursesColor(.rgb(0, 0, 5), colors: direct) == 8)
        #expect(TerminalType.cursesColor(.rgb(0, 0, 0), colors: direct) == 0)
    }

    @Test func paletteFallbacksStayIntact() {
        let grey = Color.rgb(128, 128, 128)
        #expect(TerminalType.cursesColor(grey, colors: 256) == Int32(grey.index))
        #expect(TerminalType.cursesColor(.palette(196), colors: 256) == 196)
        #expect(TerminalType.cursesColor(.palette(196), colors: 8) == Int32(Color.palette(196).reduced(toPaletteOf: 8).index))
        #expect((0..<8).contains(TerminalType.cursesColor(.rgb(250, 10, 10), colors: 8)))
        #expect(TerminalType.cursesColor(.default, colors: 8) == -1)
    }
}
