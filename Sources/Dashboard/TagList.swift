import Foundation
import TerminalUI

/// The tag list (`T`): every series of the run that has no pane of its own (an external run's unmapped scalars,
/// grad_norm, …), narrowed by a filter typed into it, as TensorBoard's tag filter: a regular expression matched
/// anywhere in the name, case-insensitively, or the plain text when it is not a valid expression. Enter draws
/// the highlighted series as the extra curve below the losses.
public struct TagList: Equatable, Sendable {
    /// The filter typed so far.
    public internal(set) var filter = ""
    /// The highlighted row among the matches.
    public internal(set) var row = 0

    public init() {}

    /// The series names `filter` lets through, sorted.
    public static func matches(_ filter: String, among names: some Sequence<String>) -> [String] {
        let candidates = SeriesTable.extraCandidates(among: names)
        guard !filter.isEmpty else { return candidates }
        if let regex = try? NSRegularExpression(pattern: filter, options: [.caseInsensitive]) {
            return candidates.filter { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
        }
        return candidates.filter { $0.range(of: filter, options: .caseInsensitive) != nil }
    }

    /// Handles a key while the list is open: typing edits the filter, ↑/↓ move, Enter chooses, Esc or T
    /// closes. Returns the chosen series (Enter), and whether the list stays open.
    mutating func handle(_ key: Key, names: some Sequence<String>) -> (chosen: String?, open: Bool) {
        let found = Self.matches(filter, among: names)
        switch key {
        case .up: row = max(row - 1, 0)
        case .down: row = min(row + 1, max(found.count - 1, 0))
        case .enter: return (row < found.count ? found[row] : nil, row >= found.count)
        case .escape, .ctrl("c"): return (nil, false)
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
            row = 0
        case .character(let c) where c.value >= 0x20 && c.value != 0x7F:
            filter.unicodeScalars.append(c)
            row = 0
        default: break
        }
        return (nil, true)
    }

    /// Draws the list as a box over the right part of `area`.
    func draw(_ state: DashboardState, in area: Rect, _ buffer: inout CellBuffer) {
        let found = Self.matches(filter, among: state.series.keys)
        let width = min(max(area.width / 2, 36), area.width)
        let height = min(max(found.count, 1) + 4, area.height)
        let rect = Rect(x: area.maxX - width, y: area.y, width: width, height: height)
        buffer.fill(rect)
        let total = SeriesTable.extraCandidates(among: state.series.keys).count
        let inner = Frame.draw(rect, title: "Tags \(found.count)/\(total) (type to filter · Enter shows · Esc closes)",
                               focused: true, glyphs: state.glyphs, style: state.theme.border, into: &buffer)
        guard !inner.isEmpty else { return }
        buffer.write("/" + Sanitize.text(filter) + "▏", x: inner.x, y: inner.y, style: state.theme.text.with(.bold), clip: inner)
        guard !found.isEmpty else {
            let text = total == 0 ? "the run has no other series" : "no tag matches"
            buffer.write(text, x: inner.x, y: inner.y + 1, style: state.theme.dim, clip: inner)
            return
        }
        let visible = max(inner.height - 1, 0)
        let first = min(max(row - visible + 1, 0), max(found.count - visible, 0))
        for (k, i) in (first..<min(first + visible, found.count)).enumerated() {
            var style = found[i] == state.extraSeries ? state.theme.text.with(.bold) : state.theme.text
            if i == row { style = style.with(.reverse) }
            buffer.write(Sanitize.text(found[i]), x: inner.x, y: inner.y + 1 + k, style: style, clip: inner)
        }
    }
}
