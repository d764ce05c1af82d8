import Foundation
import Testing
import TerminalUI
import Dashboard

/// The repository's themes/ folder.
private let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")

@Suite struct ThemeTests {
    @Test func validFileSetsStyles() throws {
        let text = """
            # a comment

            header = #ff8800 on grey4 bold underline
            train  = bright-red
            window = 17
            text   = default on 236
            dim    = plain
            """
        let t = try ThemeFile.parse(text, file: "t.theme")
        #expect(t.header == Style(foreground: .rgb(255, 136, 0), background: .gray(4), attributes: [.bold, .underline]))
        #expect(t.lines[0] == Style(foreground: .palette(9)))
        #expect(t.window == .palette(17))
        #expect(t.text == Style(background: .palette(236)))
        #expect(t.dim == .plain)
    }

    @Test func missingKeysKeepTheDefaults() throws {
        let t = try ThemeFile.parse("mark = 33\n", file: "t.theme")
        var expected = Theme.color
        expected.mark = Style(foreground: .palette(33))
        #expect(t == expected)
        #expect(try ThemeFile.parse("", file: "empty.theme") == Theme.color)
    }

    @Test(arguments: [
        ("train = 45\nborder = 300\n", 2, "outside the palette"),
        ("train = #12345\n", 1, "bad colour"),
        ("train = teal\n", 1, "bad colour"),
        ("\n\ngrey11 = 45\n", 3, "unknown key"),
        ("train 45\n", 1, "expected `key = value`"),
        ("header = 1 2\n", 1, "unexpected"),
        ("header = 1 on\n", 1, "`on` needs"),
        ("window = 22 bold\n", 1, "one colour"),
        ("cursor = grey24\n", 1, "bad grey"),
        ("dim =\n", 1, "empty value"),
    ])
    func badLinesNameFileAndLine(text: String, line: Int, message: String) {
        do {
            _ = try ThemeFile.parse(text, file: "themes/bad.theme")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.description.hasPrefix("themes/bad.theme:\(line): "))
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func shippedThemesParse() throws {
        for name in ["default", "light", "solarized-dark", "mono"] {
            let path = themesFolder.appendingPathComponent(name + ".theme").path
            let theme = try ThemeFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
            #expect(theme.header != theme.text, "\(name)")
        }
        let dflt = themesFolder.appendingPathComponent("default.theme").path
        #expect(try ThemeFile.parse(try String(contentsOfFile: dflt, encoding: .utf8), file: dflt) == Theme.color)
    }

    @Test func monoThemeHasNoColour() throws {
        let path = themesFolder.appendingPathComponent("mono.theme").path
        let mono = try ThemeFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(mono == Theme.monochrome)
    }

    @Test func withoutColorDropsEveryColour() {
        let t = Theme.color.withoutColor()
        for key in ThemeFile.keys where key != "window" {
            #expect(t[style: key]!.foreground == .default && t[style: key]!.background == .default, "\(key)")
        }
        #expect(t.window == .default)
        #expect(t.header.attributes.contains(.bold) && t.lines[0] != t.lines[1])
    }
}
