import Dashboard
import NumericCore
import Testing
import TerminalUI

/// The theme parser on a few thousand generated hostile files: truncated and spliced lines, invalid UTF-8,
/// huge numbers, escape sequences and NUL bytes in keys, values and the file name, 100 KB lines, CRLF endings.
/// Each must give a theme or one `FILE:LINE: message` line naming a line of the file, with no control
/// character in it.
@Suite struct ThemeFuzzTests {
    static let colours = ["default", "0", "255", "45", "#ff8800", "#00AAff", "grey0", "grey23", "gray7", "red",
                          "bright-cyan", "white"]
    static let attributes = ["bold", "dim", "underline", "reverse", "italic", "plain"]
    static let hostile = ["\u{1B}]52;c;ZWNobyBoaQ==\u{07}", "\u{1B}[2J", "\u{1B}[31m", "\u{9B}1m", "\0", "\u{7F}",
                          "99999999999999999999999", "-1", "256", "1e309", "#fffffff", "grey24", "on", "=", "\r",
                          "\t", "\u{202E}", "é", "#", "nan"]

    /// A valid random line: a known key and a style made of known words.
    static func validLine(_ rng: inout Xoshiro256) -> String {
        let key = ThemeFile.keys[rng.nextInt(below: ThemeFile.keys.count)]
        if key == "window" { return "window = \(colours[rng.nextInt(below: colours.count)])" }
        var words = [colours[rng.nextInt(below: colours.count)]]
        if rng.nextUniform() < 0.5 { words += ["on", colours[rng.nextInt(below: colours.count)]] }
        for _ in 0..<rng.nextInt(below: 3) { words.append(attributes[rng.nextInt(below: attributes.count)]) }
        return "\(key) = \(words.joined(separator: " "))"
    }

    /// A valid line damaged in one of several ways.
    static func hostileLine(_ rng: inout Xoshiro256) -> [UInt8] {
        var line = Array(validLine(&rng).utf8)
        // Kinds 0–5 alike; a 100 KB line (kind 6) in about one damaged line in 200 (a few dozen per run), to
        // keep the suite quick.
        let kind = rng.nextInt(below: 201)
        switch kind == 200 ? 6 : kind % 6 {
        case 0:  // truncated
            line = Array(line.prefix(rng.nextInt(below: line.count + 1)))
        case 1:  // a hostile word spliced in
            let at = rng.nextInt(below: line.count + 1)
            line.insert(contentsOf: Array(hostile[rng.nextInt(below: hostile.count)].utf8), at: at)
        case 2:  // random bytes, invalid UTF-8 among them
            for _ in 0..<1 + rng.nextInt(below: 4) {
                line.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.nextInt(below: line.count + 1))
            }
        case 6:  // a 100 KB line
            let word = Array(hostile[rng.nextInt(below: hostile.count)].utf8) + Array("x".utf8)
            let long = (0..<(100_000 / word.count)).flatMap { _ in word }
            line = rng.nextUniform() < 0.5 ? Array("text = #".utf8) + long : long
        case 3:  // a huge number
            line = Array("border = \(rng.next())\(rng.next()) on \(Double(rng.next()) * 1e300)".utf8)
        case 4:  // NUL bytes
            line.insert(0, at: rng.nextInt(below: line.count + 1))
        default:  // a hostile key
            line = Array(hostile[rng.nextInt(below: hostile.count)].utf8) + Array(" = 45".utf8)
        }
        return line
    }

    /// Whether `s` is one line with no C0/C1 control character or DEL.
    static func isClean(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { u in !(u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0)) }
    }

    @Test func hostileThemeFilesGiveAThemeOrAFileLineError() {
        var rng = Xoshiro256(seed: 10)
        var parsed = 0, rejected = 0
        for trial in 0..<3000 {
            var lines: [[UInt8]] = []
            for _ in 0..<1 + rng.nextInt(below: 6) {
                lines.append(rng.nextUniform() < 0.7 ? Array(Self.validLine(&rng).utf8) : Self.hostileLine(&rng))
            }
            let newline: [UInt8] = rng.nextUniform() < 0.3 ? [0x0D, 0x0A] : [0x0A]
            var bytes = Array(lines.joined(separator: newline))
            if rng.nextUniform() < 0.1 { bytes = Array(bytes.prefix(rng.nextInt(below: bytes.count + 1))) }
            let file = trial % 5 == 0 ? "bad\u{1B}]52;c;eA==\u{07}\u{1B}[2J.theme" : "t.theme"
            do {
                _ = try ThemeFile.parse(bytes: bytes, file: file)
                parsed += 1
            } catch {
                rejected += 1
                let text = error.description
                #expect(Self.isClean(text), "trial \(trial): control character in \(text.debugDescription)")
                #expect(text.count < 400, "trial \(trial): a \(text.count)-character error")
                let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
                #expect((1...lineCount).contains(error.line), "trial \(trial): line \(error.line) of \(lineCount)")
                #expect(text.hasPrefix("\(Sanitize.text(file)):\(error.line): "))
            }
        }
        print("theme fuzz: 3000 files, \(parsed) parsed, \(rejected) rejected with FILE:LINE errors")
        #expect(parsed > 300 && rejected > 300)
    }

    @Test func crlfFilesParseAsTheirLFForm() throws {
        var rng = Xoshiro256(seed: 11)
        for _ in 0..<200 {
            let lines = (0..<1 + rng.nextInt(below: 8)).map { _ in Self.validLine(&rng) }
            let lf = try ThemeFile.parse(lines.joined(separator: "\n"), file: "lf.theme")
            let crlf = try ThemeFile.parse(bytes: Array(lines.joined(separator: "\r\n").utf8), file: "crlf.theme")
            #expect(crlf == lf)
        }
    }

    @Test func anErrorNamesTheLineItIsOn() {
        var rng = Xoshiro256(seed: 12)
        for _ in 0..<200 {
            var lines = (0..<2 + rng.nextInt(below: 8)).map { _ in Self.validLine(&rng) }
            let bad = rng.nextInt(below: lines.count)
            lines[bad] = rng.nextUniform() < 0.5 ? "text = 256" : "text = red \u{FFFD}"
            var bytes = Array(lines.joined(separator: rng.nextUniform() < 0.5 ? "\r\n" : "\n").utf8)
            if rng.nextUniform() < 0.5, let at = bytes.firstIndex(of: 0xEF) { bytes[at] = 0xFF }  // invalid UTF-8
            #expect(throws: ThemeError.self) { try ThemeFile.parse(bytes: bytes, file: "x.theme") }
            do {
                _ = try ThemeFile.parse(bytes: bytes, file: "x.theme")
            } catch {
                #expect(error.line == bad + 1)
            }
        }
    }
}
