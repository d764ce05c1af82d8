/// Makes text from files safe to put on the grid.
///
/// Run labels and config strings come from files anyone can edit: an ESC there could move the cursor or retitle
/// the terminal. C0 and C1 controls, DEL and escape sequences are removed; tabs and newlines become spaces; scalars that are
/// not one cell wide (combining marks, wide East Asian characters, emoji) become `?`, because the grid holds one
/// width-1 scalar per cell.
public enum Sanitize {
    public static func text(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var escape = EscapeState.none
        for u in s.unicodeScalars {
            let v = u.value
            switch escape {
            case .none: break
            case .started:
                escape = v == 0x5B ? .csi : (v == 0x5D ? .osc : .none)
                continue
            case .csi:
                if v >= 0x40 && v <= 0x7E { escape = .none }
                if v >= 0x20 { continue }
                escape = .none
            case .osc:
                if v == 0x07 || v == 0x1B || v == 0x9C { escape = .none }
                if v >= 0x20 { continue }
            }
            if v == 0x1B { escape = .started; continue }
            if v == 0x9B { escape = .csi; continue }
            if v == 0x9D { escape = .osc; continue }
            if v == 0x09 || v == 0x0A || v == 0x0D { out.append(" "); continue }
            if v < 0x20 || (v >= 0x7F && v < 0xA0) { continue }
            if !isSingleWidth(u) { out.append("?"); continue }
            out.append(u)
        }
        return String(out)
    }

    /// Escape sequences are dropped whole (ESC [ … final byte, ESC ] … BEL or ST), not just their ESC.
    private enum EscapeState { case none, started, csi, osc }

    /// True for scalars a terminal draws in exactly one cell (a conservative approximation of wcwidth == 1).
    public static func isSingleWidth(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x300 { return v >= 0x20 && !(v >= 0x7F && v < 0xA0) && v != 0xAD }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark, .format, .control, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator:
            return false
        default: break
        }
        if u.properties.isEmojiPresentation { return false }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return false
        default:
            return true
        }
    }
}
