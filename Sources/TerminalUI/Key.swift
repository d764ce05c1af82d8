/// A key press, decoded from the terminal.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case character(Unicode.Scalar)
    /// Ctrl plus a letter (`ctrl("c")` is Ctrl-C).
    case ctrl(Unicode.Scalar)
    case left, right, up, down
    case shiftLeft, shiftRight
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace
    case function(Int)

    /// How the key is written in help and hints: `q`, `Ctrl-C`, `←`, `PgUp`, `Space`.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let s): String(Character(s))
        case .ctrl(let s): "Ctrl-" + String(Character(s)).uppercased()
        case .left: "←"
        case .right: "→"
        case .up: "↑"
        case .down: "↓"
        case .shiftLeft: "S-←"
        case .shiftRight: "S-→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Bksp"
        case .function(let n): "F\(n)"
        }
    }
}
