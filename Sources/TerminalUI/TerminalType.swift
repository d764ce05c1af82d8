/// Which terminfo entries to try for a terminal, and how cell colours become curses colour numbers there —
/// pure, so the fallbacks are tested without a terminal.
public enum TerminalType {
    /// Terminfo names to try, in order: first the `-direct` (24-bit colour) variant when COLORTERM says
    /// truecolor or 24bit, then TERM itself, then fallbacks for a TERM this machine has no entry for
    /// (`xterm-direct` → `xterm-256color` → `xterm`), and last `vt100` and `ansi`.
    public static func candidates(environment env: [String: String]) -> [String] {
        let term = env["TERM"] ?? ""
        let family = term.split(separator: "-").first.map(String.init) ?? term
        var names: [String] = []
        let truecolor = ["truecolor", "24bit"].contains((env["COLORTERM"] ?? "").lowercased())
        if truecolor && !isDirect(term) && !family.isEmpty { names.append(family + "-direct") }
        names.append(term)
        if isDirect(term) || term.hasSuffix("-truecolor") || term.hasSuffix("-24bit") { names.append(family + "-256color") }
        names += [family, "vt100", "ansi"]
        var seen = Set<String>()
        return names.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// True for ncurses' direct-colour entries (`xterm-direct`, `tmux-direct`, `xterm-direct256`…).
    public static func isDirect(_ name: String) -> Bool { name.contains("-direct") }

    /// The one-line notice when curses runs with another entry than TERM's own (nil when TERM's was used, or
    /// only upgraded to its `-direct` variant).
    public static func notice(term: String, using chosen: String) -> String? {
        guard chosen != term, !(isDirect(chosen) && !isDirect(term)) else { return nil }
        return "TERM=\(term) has no terminfo entry here; using \(chosen)"
    }

    /// The colour number curses gets for `color` on a terminal with `colors` colours (curses' COLORS): -1 for
    /// the default; on palette terminals the palette entry reduced to their count; on direct-colour terminals
    /// (COLORS ≥ 2^24) 0–7 for the ANSI colours and 0xRRGGBB for everything else (palette entries as their
    /// xterm RGB), never 1…7 as an RGB value (the -direct entries read those as ANSI colours).
    public static func cursesColor(_ color: Color, colors: Int) -> Int32 {
        if colors >= 1 << 24 {
            guard color.index >= 0 else { return -1 }
            let rgb: (UInt8, UInt8, UInt8)
            if let c = color.trueColor {
                rgb = c
            } else if color.index < 8 {
                return Int32(color.index)
            } else {
                rgb = xtermRGB(Int(color.index))
            }
            let value = Int32(rgb.0) << 16 | Int32(rgb.1) << 8 | Int32(rgb.2)
            return value > 0 && value < 8 ? 8 : value
        }
        return Int32(color.reduced(toPaletteOf: min(colors, 256)).index)
    }

    /// xterm's RGB for palette entries 8…255.
    static func xtermRGB(_ i: Int) -> (UInt8, UInt8, UInt8) {
        switch i {
        case 8: return (127, 127, 127)
        case 9..<16: return (i & 1 != 0 ? 255 : 0, i & 2 != 0 ? 255 : 0, i & 4 != 0 ? 255 : 0)
        case 16..<232:
            let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
            let c = i - 16
            return (steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
        default:
            let v = UInt8(8 + 10 * (i - 232))
            return (v, v, v)
        }
    }
}
