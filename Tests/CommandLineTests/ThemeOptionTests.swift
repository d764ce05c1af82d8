import Foundation
import Testing
import TestSupport

/// `--theme` lookup through the binary. The theme is resolved before the terminal is checked, so without a
/// terminal a good theme ends in "needs an interactive terminal" (exit 64) and a bad one in its file:line error.
@Suite struct ThemeOptionTests {
    @Test func searchOrderAndErrors() throws {
        let root = NSTemporaryDirectory() + "genwindow-themes-\(getpid())-\(UUID().uuidString.prefix(8))"
        let work = root + "/work", xdg = root + "/xdg"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for dir in [work + "/themes", xdg + "/genwindow/themes"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        try "train = 45\n".write(toFile: xdg + "/genwindow/themes/mine.theme", atomically: true, encoding: .utf8)
        try "train = 45\nmark = purple\n".write(toFile: xdg + "/genwindow/themes/broken.theme", atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": xdg]

        // watch (of a file that may appear later) reaches the terminal check once the theme is found; replay would
        // report the missing run file first.
        let found = try runGenwindow(["watch", "run.jsonl", "--theme", "mine"], environment: env, currentDirectory: work)
        #expect(found.status == 64 && found.stderr.contains("interactive terminal"), "\(found.stderr)")

        let broken = try runGenwindow(["replay", "run.jsonl", "--theme", "broken"], environment: env, currentDirectory: work)
        #expect(broken.status == 1)
        #expect(broken.stderr == "genwindow: \(xdg)/genwindow/themes/broken.theme:2: bad colour \"purple\" (default, 0–255, #rrggbb, grey0–grey23 or a name)\n")

        // ./themes comes before $XDG_CONFIG_HOME: a good file there shadows the broken one.
        try "mark = 99\n".write(toFile: work + "/themes/broken.theme", atomically: true, encoding: .utf8)
        let shadowed = try runGenwindow(["watch", "run.jsonl", "--theme", "broken"], environment: env, currentDirectory: work)
        #expect(shadowed.status == 64, "\(shadowed.stderr)")

        // A name found nowhere else falls back to the themes beside the binary (the package's themes/ here).
        let shipped = try runGenwindow(["watch", "run.jsonl", "--theme", "solarized-dark"], environment: env, currentDirectory: work)
        #expect(shipped.status == 64, "\(shipped.stderr)")

        let missing = try runGenwindow(["replay", "run.jsonl", "--theme", "nonesuch"], environment: env, currentDirectory: work)
        #expect(missing.status == 1 && missing.stderr.hasPrefix("genwindow: no theme \"nonesuch\" in themes, \(xdg)/genwindow/themes"))
        let path = try runGenwindow(["replay", "run.jsonl", "--theme", "./nope.theme"], environment: env, currentDirectory: work)
        #expect(path.status == 1 && path.stderr == "genwindow: ./nope.theme: no such theme file\n")
    }
}
