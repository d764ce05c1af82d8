import TerminalUI

/// A theme file: one `key = value` per line, `#` starts a comment line, blank lines are ignored, keys not in
/// the file keep the base theme's style (the built-in dark theme by default).
///
/// A value is a foreground colour, optionally `on` a background colour, and any attributes:
/// `45`, `#ff8800 on 236 bold`, `default on grey4`, `bold underline`, `plain`. Colours: `default` (the
/// terminal's), a palette number 0–255, `#rrggbb` (24-bit, reduced on terminals with fewer colours), `grey0`…
/// `grey23` (the 232–255 ramp), or a name: black, red, green, yellow, blue, magenta, cyan, white, and the same
/// with `bright-`. Attributes: bold, dim, underline, reverse, italic. `window` takes one colour only (the
/// background of the generalization window).
public enum ThemeFile {
    /// Every key a theme file may set, in the order the README documents them.
    public static let keys = ["text", "dim", "border", "header", "footer", "warning", "train", "test", "gen", "raw",
                              "window", "mark", "suggested", "cursor", "memorization", "generalization",
                              "regularization", "memorized"]

    /// Parses the bytes of `file` over `base`; bytes that are not UTF-8 are an error naming their line.
    public static func parse(bytes: [UInt8], file: String, base: Theme = .color) throws(ThemeError) -> Theme {
        var line = 1, start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil {
                throw ThemeError(file: file, line: line, message: "not UTF-8 text")
            }
            line += 1
            start = i + 1
        }
        return try parse(String(decoding: bytes, as: UTF8.self), file: file, base: base)
    }

    /// Parses `text` (the contents of `file`, named in errors) over `base`. Lines end with LF or CRLF.
    public static func parse(_ text: String, file: String, base: Theme = .color) throws(ThemeError) -> Theme {
        var theme = base
        // "\r\n" is one Character in Swift, so it must be named as a separator beside "\n".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (i, raw) in lines.enumerated() {
            let line = trimmed(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let error = { (message: String) in ThemeError(file: file, line: i + 1, message: message) }
            guard let eq = line.firstIndex(of: "=") else { throw error("expected `key = value`, got \"\(Sanitize.text(String(line.prefix(40))))\"") }
            let key = trimmed(line[..<eq]).lowercased()
            let value = trimmed(line[line.index(after: eq)...])
            guard keys.contains(key) else { throw error("unknown key \"\(Sanitize.text(String(key.prefix(30))))\" (keys: \(keys.joined(separator: ", ")))") }
            let style = try parseStyle(value, error: error)
            if key == "window" {
                guard style.attributes.isEmpty, style.background == .default else {
                    throw error("window takes one colour (the generalization window's background)")
                }
                theme.window = style.foreground
            } else {
                theme[style: key] = style
            }
        }
        return theme
    }

    private static func parseStyle(_ value: String, error: (String) -> ThemeError) throws(ThemeError) -> Style {
        guard !value.isEmpty else { throw error("empty value") }
        var style = Style()
        var sawForeground = false
        var tokens = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }[...]
        while let token = tokens.popFirst() {
            if let a = attributeNames[token] {
                style.attributes.insert(a)
            } else if token == "plain" {
                continue
            } else if token == "on" {
                guard let c = tokens.popFirst() else { throw error("`on` needs a background colour") }
                style.background = try color(c, error: error)
            } else if !sawForeground {
                style.foreground = try color(token, error: error)
                sawForeground = true
            } else {
                throw error("unexpected \"\(Sanitize.text(String(token.prefix(30))))\" (a second foreground colour? use `on` for the background)")
            }
        }
        return style
    }

    /// Parses one colour word.
    public static func color(_ word: String, error: (String) -> ThemeError) throws(ThemeError) -> Color {
        let w = word.lowercased()
        if w == "default" { return .default }
        if let n = Int(w) {
            guard (0...255).contains(n) else { throw error("colour \(n) is outside the palette 0–255") }
            return .palette(UInt8(n))
        }
        if w.hasPrefix("#") {
            let hex = w.dropFirst()
            guard hex.count == 6, let v = UInt32(hex, radix: 16) else { throw error("bad colour \"\(Sanitize.text(String(word.prefix(30))))\" (want #rrggbb)") }
            return .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        }
        for prefix in ["grey", "gray"] where w.hasPrefix(prefix) {
            guard let level = Int(w.dropFirst(prefix.count)), (0...23).contains(level) else {
                throw error("bad grey \"\(Sanitize.text(String(word.prefix(30))))\" (grey0 … grey23)")
            }
            return .gray(level)
        }
        let bright = w.hasPrefix("bright-")
        if let i = colorNames.firstIndex(of: bright ? String(w.dropFirst(7)) : w) {
            return .palette(UInt8(i + (bright ? 8 : 0)))
        }
        throw error("bad colour \"\(Sanitize.text(String(word.prefix(30))))\" (default, 0–255, #rrggbb, grey0–grey23 or a name)")
    }

    private static func trimmed(_ s: Substring) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = s.firstIndex(where: { !blank($0) }), let last = s.lastIndex(where: { !blank($0) }) else { return "" }
        return String(s[first...last])
    }

    private static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
    private static let attributeNames: [String: TextAttributes] = [
        "bold": .bold, "dim": .dim, "underline": .underline, "reverse": .reverse, "italic": .italic,
    ]
}

/// A problem in a theme file, with where it is.
public struct ThemeError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String
    /// One line with no control characters (the file name is shown sanitized too).
    public var description: String { "\(Sanitize.text(file)):\(line): \(message)" }
}

extension Theme {
    /// The style a theme-file key names (`window` and unknown keys: nil).
    public subscript(style key: String) -> Style? {
        get {
            switch key {
            case "text": text
            case "dim": dim
            case "border": border
            case "header": header
            case "footer": footer
            case "warning": warning
            case "train": lines[0]
            case "test": lines[1]
            case "gen": lines[2]
            case "raw": raw
            case "mark": mark
            case "suggested": suggested
            case "cursor": cursor
            case "memorization": memorization
            case "generalization": generalization
            case "regularization": regularization
            case "memorized": memorized
            default: nil
            }
        }
        set {
            guard let v = newValue else { return }
            switch key {
            case "text": text = v
            case "dim": dim = v
            case "border": border = v
            case "header": header = v
            case "footer": footer = v
            case "warning": warning = v
            case "train": lines[0] = v
            case "test": lines[1] = v
            case "gen": lines[2] = v
            case "raw": raw = v
            case "mark": mark = v
            case "suggested": suggested = v
            case "cursor": cursor = v
            case "memorization": memorization = v
            case "generalization": generalization = v
            case "regularization": regularization = v
            case "memorized": memorized = v
            default: break
            }
        }
    }
}
