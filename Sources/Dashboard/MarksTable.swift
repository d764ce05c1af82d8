import RunFormat
import TerminalUI

/// The marks table (`k`): every mark's step (and τ where the run records it), each series' value there, and
/// the deltas between two selected rows — what a researcher compares to choose where to stop. The suggested
/// early-stopping step (an `early_stop` event) is a row of its own, told apart from the user's marks.
public enum MarksTable {
    public struct Row: Equatable, Sendable {
        public var step: Int
        public var label: String
        /// True for the detector's suggestion (not a user mark).
        public var suggested: Bool
    }

    /// The series shown as columns, in this order when present.
    static let preferredSeries = [MetricName.trainLoss, MetricName.testLoss, MetricName.genLoss, MetricName.memFrac, MetricName.fid]

    /// User marks and the suggested early stop, by step.
    public static func rows(_ state: DashboardState) -> [Row] {
        var rows = state.marks.map { Row(step: $0.step, label: $0.label, suggested: false) }
        if let stop = state.latestEvent(EventKind.earlyStop) {
            rows.append(Row(step: stop.step, label: "early stop (suggested)", suggested: true))
        }
        return rows.sorted { ($0.step, $0.suggested ? 1 : 0) < ($1.step, $1.suggested ? 1 : 0) }
    }

    /// The series columns for `state`: τ first when recorded, then the preferred series present.
    public static func seriesColumns(_ state: DashboardState) -> [String] {
        (state.series[MetricName.tau] != nil ? [MetricName.tau] : []) + preferredSeries.filter { state.series[$0] != nil }
    }

    /// Value of `name` at `step` (the last finite value at or before it).
    public static func value(_ state: DashboardState, _ name: String, at step: Int) -> Double? {
        state.series[name]?.value(atOrBefore: Double(step))
    }

    /// The table as text rows: a header, one row per mark, and (with two selected) the delta row "Δ B − A".
    public static func table(_ state: DashboardState) -> (header: [String], rows: [[String]], delta: [String]?) {
        let names = seriesColumns(state)
        let header = ["", "mark", "step"] + names.map { $0 == MetricName.tau ? "τ" : $0 == MetricName.fid ? state.fidLabel : $0 }
        let rows = rows(state).map { row -> [String] in
            let sel = state.markSelection.firstIndex(of: row.step).map { $0 == 0 ? "A" : "B" } ?? (row.suggested ? "*" : "")
            return [sel, row.label, NumberFormat.compact(Double(row.step))]
                + names.map { value(state, $0, at: row.step).map(NumberFormat.value) ?? "–" }
        }
        var delta: [String]?
        if state.markSelection.count == 2 {
            let a = state.markSelection[0], b = state.markSelection[1]
            delta = ["Δ", "B − A", NumberFormat.compact(Double(b - a))] + names.map { name in
                guard let va = value(state, name, at: a), let vb = value(state, name, at: b) else { return "–" }
                let d = vb - va
                return (d > 0 ? "+" : "") + NumberFormat.value(d)
            }
        }
        return (header, rows, delta)
    }

    /// Draws the table as a box over the lower part of `area`.
    static func draw(_ state: DashboardState, in area: Rect, _ buffer: inout CellBuffer) {
        let t = table(state)
        let lineCount = t.rows.count + (t.delta == nil ? 0 : 1) + 2
        let height = min(max(lineCount, 3) + 2, area.height)
        let rect = Rect(x: area.x, y: area.maxY - height, width: area.width, height: height)
        buffer.fill(rect)
        let inner = Frame.draw(rect, title: "Marks (Enter selects A/B · M labels · k closes)", focused: true,
                               glyphs: state.glyphs, style: state.theme.border, into: &buffer)
        guard !inner.isEmpty else { return }
        if t.rows.isEmpty {
            buffer.write("no marks yet: m marks the cursor step, M with a label", x: inner.x, y: inner.y,
                         style: state.theme.dim, clip: inner)
            return
        }
        let widths = [1, 24, 7] + Array(repeating: 11, count: t.header.count - 3)
        let write = { (cells: [String], y: Int, style: Style, buffer: inout CellBuffer) in
            var x = inner.x
            for (i, text) in cells.enumerated() {
                let w = widths[i]
                let clipped = String(text.unicodeScalars.prefix(w))
                let pad = i >= 2 ? max(w - clipped.unicodeScalars.count, 0) : 0
                buffer.write(String(repeating: " ", count: pad) + clipped, x: x, y: y, style: style, clip: inner)
                x += w + 1
            }
        }
        write(t.header, inner.y, state.theme.text.with(.bold), &buffer)
        let rows = rows(state)
        let visible = max(inner.height - 1 - (t.delta == nil ? 0 : 1), 0)
        let first = min(max(state.markRow - visible + 1, 0), max(rows.count - visible, 0))
        for (k, i) in (first..<min(first + visible, rows.count)).enumerated() {
            var style = rows[i].suggested ? state.theme.suggested : state.theme.text
            if i == state.markRow { style = style.with(.reverse) }
            write(t.rows[i], inner.y + 1 + k, style, &buffer)
        }
        if let delta = t.delta { write(delta, inner.maxY - 1, state.theme.warning, &buffer) }
    }
}
