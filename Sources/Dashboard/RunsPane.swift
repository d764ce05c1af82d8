import TerminalUI

/// The runs of the session, one row each: the settings that differ between them, status, step, the latest loss,
/// f_mem and Fréchet distance, tau_gen and tau_mem. ▶ marks the run shown, ■ in its colour a pinned run.
enum RunsPane {
    static func draw(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        let w = state.workspace
        if let typed = w.filterPrompt {
            buffer.write("filter: " + typed + "_   (Enter applies, Esc cancels; n>=64 labels=random /regex/ word)",
                         x: rect.x, y: rect.y, style: state.theme.text, clip: rect)
        } else {
            let filter = w.filter.isEmpty ? "" : "filter \(w.filter) · "
            buffer.write("\(filter)\(w.rows.count)/\(w.total) runs · \(w.pinned.count) pinned · / filter · Space pin · Enter show",
                         x: rect.x, y: rect.y, style: state.theme.dim, clip: rect)
        }
        guard rect.height > 1 else { return }
        let header = ["run"] + w.settingNames + ["status", "step", "loss", "f_mem", state.fidLabel, "τ_gen", "τ_mem"]
        let cells: [[String]] = w.rows.map { row in
            [Sanitize.text(row.key.name)] + row.settings.map(Sanitize.text)
                + [row.status, row.step.map { NumberFormat.compact(Double($0)) } ?? "–",
                   (row.testLoss ?? row.trainLoss).map(NumberFormat.value) ?? "–", row.memFrac.map(NumberFormat.value) ?? "–",
                   row.fid.map(NumberFormat.value) ?? "–", row.tauGen.map { NumberFormat.compact(Double($0)) } ?? "–",
                   row.tauMem.map { NumberFormat.compact(Double($0)) } ?? "–"]
        }
        var widths = header.map { $0.unicodeScalars.count }
        for line in cells {
            for (i, c) in line.enumerated() { widths[i] = max(widths[i], min(c.unicodeScalars.count, i == 0 ? 32 : 16)) }
        }
        func write(_ line: [String], y: Int, style: Style) {
            var x = rect.x + 2
            for (i, text) in line.enumerated() {
                let cell = Rect(x: x, y: y, width: min(widths[i], max(rect.maxX - x, 0)), height: 1)
                buffer.write(text, x: x, y: y, style: style, clip: cell)
                x += widths[i] + 2
                if x >= rect.maxX { break }
            }
        }
        write(header, y: rect.y + 1, style: state.theme.dim.with(.bold))
        let visible = rect.height - 2
        guard visible > 0, !cells.isEmpty else { return }
        // Keep the highlighted row in view.
        let first = min(max(w.cursor - visible + 1, 0), max(cells.count - visible, 0))
        for (k, i) in (first..<min(first + visible, cells.count)).enumerated() {
            let y = rect.y + 2 + k
            let row = w.rows[i]
            let highlighted = i == w.cursor && state.focus == .runs
            let style = highlighted ? state.theme.cursor.with(.reverse) : state.theme.text
            if highlighted { buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), with: Cell(" ", style: style)) }
            if row.key == w.shown { buffer.write("▶", x: rect.x, y: y, style: style, clip: rect) }
            if let color = row.pinColor {
                let pin = PinnedRun(key: row.key, colorIndex: color, series: [:])
                buffer.write("■", x: rect.x + 1, y: y, style: WorkspaceView.style(pin, theme: state.theme), clip: rect)
            }
            write(cells[i], y: y, style: style)
        }
    }
}
