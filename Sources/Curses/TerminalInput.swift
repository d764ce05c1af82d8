import CNCursesW
import TerminalUI

/// Decodes `wget_wch` results into keys.
enum KeyDecoder {
    /// `status` is wget_wch's return (OK or KEY_CODE_YES), `code` the character or key code.
    static func decode(status: Int32, code: UInt32) -> TerminalInput? {
        if status == KEY_CODE_YES {
            switch Int32(code) {
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_SLEFT: return .key(.shiftLeft)
            case KEY_SRIGHT: return .key(.shiftRight)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BTAB: return .key(.backTab)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_ENTER: return .key(.enter)
            case KEY_RESIZE: return .resize
            default:
                for n in 1...12 where Int32(code) == gw_key_f(Int32(n)) { return .key(.function(n)) }
                return nil
            }
        }
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Unicode.Scalar(UInt8(code) + 0x60)))
        default:
            guard code >= 0x20, let s = Unicode.Scalar(code) else { return nil }
            return .key(.character(s))
        }
    }
}
