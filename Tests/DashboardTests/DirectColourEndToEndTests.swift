import Foundation
import Testing

/// 24-bit colour reaches the screen through a direct-colour terminfo entry: with COLORTERM=truecolor genwindow
/// opens TERM's `-direct` variant (compiled here with tic into a private TERMINFO, as this machine may lack
/// ncurses-term) and the theme's #rrggbb colours go out as RGB; without COLORTERM they go out as palette entries.
@Suite(.serialized)
struct DirectColourEndToEndTests {
    /// ncurses' xterm+direct capabilities over this machine's xterm-256color.
    static let entry = #"""
    xterm-direct|xterm with direct-color indexing (test entry),
    	RGB, colors#0x1000000, pairs#0x10000, CO#8,
    	initc@, op=\E[39;49m,
    	setab=\E[%?%p1%{8}%<%t4%p1%d%e48\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
    	setaf=\E[%?%p1%{8}%<%t3%p1%d%e38\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
    	setb@, setf@, use=xterm-256color,

    """#

    static func screen(colorterm: String) throws -> String {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        let source = e.directory + "/direct.src", database = e.directory + "/terminfo"
        try entry.write(toFile: source, atomically: true, encoding: .utf8)
        #expect(system("tic -x -o \(database) \(source) >/dev/null 2>&1") == 0)
        // `swift test` runs with NO_COLOR set; an empty NO_COLOR turns colour back on for the binary.
        try e.start("replay --theme solarized-dark \(e.runPath)",
                    environment: "TERMINFO=\(database) TERM=xterm-256color COLORTERM=\(colorterm) NO_COLOR=")
        _ = try e.waitForScreen { $0.contains("REPLAY") && $0.contains("Loss") }
        let screen = e.screenWithEscapes()
        e.keys("q")
        #expect(try e.exitStatus() == 0)
        return screen
    }

    @Test func truecolorThemesGoOutAsRGB() throws {
        let direct = try Self.screen(colorterm: "truecolor")
        // solarized-dark's base01 #586e75 and base02 background #073642, exactly.
        #expect(direct.contains("\u{1B}[38;2;88;110;117m"), "\(direct.prefix(400))")
        #expect(direct.contains("\u{1B}[48;2;7;54;66m"))
        let palette = try Self.screen(colorterm: "")
        #expect(!palette.contains("38;2;") && palette.contains("\u{1B}[38;5;"), "\(palette.prefix(400))")
    }
}
