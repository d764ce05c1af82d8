import Foundation
import RunFormat
import TerminalUI
import Workspace

/// The memorized fraction and FID as sparklines with current value and range, and the detected τ_gen and
/// τ_mem.
enum MemorizationPane {
    static func draw(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        // Pinned runs take the rows of the min/max details when the pane is short.
        let extra = state.workspace.pinned.count + (state.workspace.group == nil ? 0 : 1)
        let roomy = rect.height >= 5 + (extra == 0 ? 0 : 2 + extra)
        var y = rect.y
        let rows = SeriesTable.names(.memorization).map { ($0, $0 == MetricName.fid ? state.fidLabel : SeriesTable.style(of: $0).legend) }
        let labelWidth = rows.map { $0.1.unicodeScalars.count }.max()! + 1
        for (name, label) in rows {
            guard y < rect.maxY else { break }
            drawSeries(state, name: name, label: label, labelWidth: labelWidth, row: Rect(x: rect.x, y: y, width: rect.width, height: 1),
                       detail: roomy && y + 1 < rect.maxY ? Rect(x: rect.x, y: y + 1, width: rect.width, height: 1) : nil,
                       &buffer)
            y += roomy ? 2 : 1
        }
        if y < rect.maxY { drawTimescales(state, rect.row(y - rect.y), next: y + 1 < rect.maxY ? rect.row(y + 1 - rect.y) : nil, &buffer) }
        var next = y + 2
        if let group = state.workspace.group, next < rect.maxY {
            buffer.write("\(group.members.count) seeds: " + spread("τ_gen", group.tauGen) + "  " + spread("τ_mem", group.tauMem),
                         x: rect.x, y: next, style: state.theme.text, clip: rect.row(next - rect.y))
            next += 1
        }
        drawPinned(state, rect, from: next, &buffer)
    }

    /// "τ_mem 20k ± 3k (3)": a group's mean time, its standard deviation and how many runs reached it.
    static func spread(_ name: String, _ s: GroupStatistic?) -> String {
        guard let s else { return name + " –" }
        return name + " " + NumberFormat.compact(s.mean) + (s.sd.map { " ± " + NumberFormat.compact($0) } ?? "") + " (\(s.count))"
    }

    /// The pinned runs' f_mem and Fréchet distance at the cursor's step, one row each, below the run shown.
    private static func drawPinned(_ state: DashboardState, _ rect: Rect, from y: Int, _ buffer: inout CellBuffer) {
        let step = state.cursorStep.map(Double.init) ?? .infinity
        for (i, pinned) in state.workspace.pinned.enumerated() where y + i < rect.maxY {
            let row = rect.row(y + i - rect.y)
            var x = row.x
            x += buffer.write("■ ", x: x, y: row.y, style: WorkspaceView.style(pinned, theme: state.theme), clip: row)
            let f = pinned.series[MetricName.memFrac]?.value(atOrBefore: step).map(NumberFormat.value) ?? "–"
            let d = pinned.series[MetricName.fid]?.value(atOrBefore: step).map(NumberFormat.value) ?? "–"
            buffer.write(Sanitize.text(pinned.key.name) + "  f_mem \(f)  \(state.fidLabel) \(d)", x: x, y: row.y, style: state.theme.text, clip: row)
        }
    }

    private static func drawSeries(_ state: DashboardState, name: String, label: String, labelWidth: Int, row: Rect,
                                   detail: Rect?, _ buffer: inout CellBuffer) {
        buffer.write(label, x: row.x, y: row.y, style: state.theme.text.with(.bold), clip: row)
        guard let series = state.series[name], let step = state.cursorStep, let end = series.index(atOrBefore: Double(step)) else {
            let why = state.cursorStep == nil || state.series[name] == nil
                ? PaneNotice.noEvaluation(state, of: label) : "not measured by this step"
            buffer.write(why, x: row.x + labelWidth, y: row.y, style: state.theme.dim, clip: row)
            return
        }
        var current = NumberFormat.value(series.value(atOrBefore: Double(step)) ?? .nan)
        if name == MetricName.memFrac, let lo = state.series[MetricName.memFracCILow]?.value(atOrBefore: Double(step)),
           let hi = state.series[MetricName.memFracCIHigh]?.value(atOrBefore: Double(step)) {
            current += " [\(NumberFormat.value(lo)), \(NumberFormat.value(hi))]"
        }
        let valueWidth = current.unicodeScalars.count + 1
        let sparkWidth = max(row.width - labelWidth - valueWidth, 0)
        var values = buckets(series, count: end + 1, width: sparkWidth)
        let range = series.extremes(0, end + 1)
        var lower = name == MetricName.memFrac ? 0 : (range?.min ?? 0)
        var upper = name == MetricName.memFrac ? max(range?.max ?? 1, 1e-9) : (range?.max ?? 1)
        // FID spans orders of magnitude (1e9 at initialization, tens once samples are good): on a log scale
        // reaching one decade above the minimum (higher values are full bars) the minimum and the rise after it
        // stay visible.
        if name == MetricName.fid, lower > 0 {
            values = values.map { $0.map { $0 > 0 ? log10($0) : log10(lower) } }
            upper = log10(min(upper, lower * fidSpan))
            lower = log10(lower)
        }
        Sparkline(values: values, lower: lower, upper: upper, style: LossPane.lineStyle(state, name), glyphs: state.glyphs)
            .render(in: Rect(x: row.x + labelWidth, y: row.y, width: sparkWidth, height: 1), into: &buffer)
        buffer.write(current, x: row.x + labelWidth + sparkWidth + 1, y: row.y, style: state.theme.text, clip: row)
        if let detail, let range {
            let scale = name == MetricName.fid && range.min > 0 ? ", log scale" : ""
            buffer.write("min \(NumberFormat.value(range.min))  max \(NumberFormat.value(range.max))  (\(end + 1) evals\(scale))",
                         x: detail.x + labelWidth, y: detail.y, style: state.theme.dim, clip: detail)
        }
    }

    /// The FID sparkline's top: this many times its minimum (one decade, so a rise of 20% after the minimum
    /// shows).
    static let fidSpan = 10.0

    /// The first `count` points reduced to at most `width` values: one per point when they fit, else the
    /// maximum of each equal share (so a spike stays visible).
    static func buckets(_ series: Series, count: Int, width: Int) -> [Double?] {
        guard width > 0, count > 0 else { return [] }
        if count <= width { return (0..<count).map { series.values[$0].isFinite ? series.values[$0] : nil } }
        return (0..<width).map { b in
            let lo = b * count / width, hi = (b + 1) * count / width
            return series.extremes(lo, max(hi, lo + 1))?.max
        }
    }

    /// τ_gen and τ_mem of every basis the run detects them on (samples: f_mem and FID; loss: the RF model's
    /// test and train losses), one row each with the basis named; while the loss-based τ_mem is not located, the
    /// test loss's 10% rise on a row of its own; while τ_mem is not detected, its forecast on the `next` row
    /// (inline when there is none).
    private static func drawTimescales(_ state: DashboardState, _ row: Rect, next: Rect?, _ buffer: inout CellBuffer) {
        var lines: [String] = []
        for basis in ["samples", "loss"] {
            let gen = state.latestEvent(EventKind.tauGen, basis: basis, strict: true)
            let mem = state.latestEvent(EventKind.tauMem, basis: basis, strict: true)
            guard gen != nil || mem != nil else { continue }
            if let gen, let mem, mem.step <= gen.step {
                lines.append(basis + ": no window, τ_mem " + NumberFormat.compact(Double(mem.step)) + " ≤ τ_gen "
                             + NumberFormat.compact(Double(gen.step)))
            } else {
                lines.append(basis + ": " + describe("τ_gen", gen) + "  " + describe("τ_mem", mem))
                if mem == nil, basis == "loss", let rise = state.latestEvent(EventKind.testLossRise) {
                    lines.append("loss: " + describe("test loss +10% at", rise))
                }
            }
        }
        if lines.isEmpty { lines.append("τ_gen –   τ_mem –") }
        let forecast = MemorizationEstimate.shown(in: state)?.text(in: state)
        let rows = [row] + (next.map { [$0] } ?? [])
        var x = row.x
        for (line, r) in zip(lines, rows) { x = r.x + buffer.write(line, x: r.x, y: r.y, style: state.theme.text, clip: r) }
        guard let forecast else { return }
        let style = state.theme.dim.with(.italic)
        if lines.count < rows.count {
            buffer.write(forecast, x: rows[lines.count].x, y: rows[lines.count].y, style: style, clip: rows[lines.count])
        } else {
            let last = rows[rows.count - 1]
            buffer.write("   " + forecast, x: x, y: last.y, style: style, clip: last)
        }
    }

    /// "τ_mem 1.2k (τ 52.1)" (the step, then the model's time where it has one), "?" after a provisional time,
    /// "τ_mem –" before one is detected.
    private static func describe(_ label: String, _ event: EventRecord?) -> String {
        guard let e = event else { return "\(label) –" }
        var s = "\(label) " + NumberFormat.compact(Double(e.step))
        if let tau = e.fields[MetricName.tau]?.double { s += " (τ " + NumberFormat.value(tau) + ")" }
        if e.fields["provisional"]?.bool == true { s += "?" }
        return s
    }
}
