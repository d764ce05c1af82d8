import Foundation
import RunFiles
import RunFormat
import Testing

/// The polish features through the real binary in tmux: a theme from the repository's themes/, the samples
/// pane, the marks table, the label prompt, and the C-locale ASCII fallback.
@Suite(.serialized)
struct PolishEndToEndTests {
    private func appendSamples(_ e: EndToEnd) throws {
        let writer = try RunWriter(appendingTo: e.runPath)
        try writer.append(imageSamplesRecord(step: 90_000))
        try writer.close()
    }

    @Test func themedReplayMarksTableAndLabelPrompt() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        try appendSamples(e)
        try e.start("replay \(e.runPath) --theme light")
        let screen = try e.waitForScreen { $0.contains("REPLAY") && $0.contains("memorized") }
        #expect(screen.contains("MEM 0.1"), "\(screen)")
        e.keys("k")
        _ = try e.waitForScreen { $0.contains("Marks (") && $0.contains("no marks yet") }
        e.keys("M", "b", "e", "s", "t")
        _ = try e.waitForScreen { $0.contains("mark label: best_") }
        e.keys("Enter")
        try e.waitUntil { (try? RunReader.read(path: e.runPath).records.last) == .mark(MarkRecord(step: 100_000, label: "best")) }
        let table = try e.waitForScreen { $0.contains("best") && $0.contains("test_loss") }
        #expect(table.contains("100k"))
        e.keys("q")
        #expect(try e.exitStatus() == 0)
    }

    @Test func cLocaleFallsBackToASCII() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        try appendSamples(e)
        try e.start("replay \(e.runPath)", environment: "TERM=xterm-256color LANG=C LC_ALL=C")
        let screen = try e.waitForScreen { $0.contains("REPLAY") && $0.contains("memorized") }
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(screen)")
        #expect(screen.contains("samples: t_gen 1k"))
        e.keys("q")
        #expect(try e.exitStatus() == 0)
    }

    @Test func badThemeIsOneLineWithFileAndLine() throws {
        let e = try EndToEnd(width: 120, height: 10)
        defer { e.close() }
        let theme = e.directory + "/bad.theme"
        try "train = 45\nborder = nope\n".write(toFile: theme, atomically: true, encoding: .utf8)
        try e.start("replay \(e.runPath) --theme \(theme)")
        let screen = try e.waitForScreen { $0.contains("genwindow:") }
        #expect(screen.contains("bad.theme:2: bad colour \"nope\""), "\(screen)")
        #expect(try e.exitStatus() == 1)
    }
}
