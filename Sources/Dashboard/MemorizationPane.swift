import Foundation
import RunFormat
import TerminalUI

/// The memorized fraction and FID as sparklines with current value and range, and the detected τ_gen and
/// τ_mem.
enum MemorizationPane {
    static func draw(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        let roomy = rect.height >= 5
        var y = rect.y
        for (name, label) in [("mem_frac", "f_mem"), ("fid", "FID")] {
            guard y < rect.maxY else { break }
            drawSeries(state, name: name, label: label, row: Rect(x: rect.x, y: y, width: rect.width, height: 1),
                       detail: roomy && y + 1 < rect.maxY ? Rect(x: rect.x, y: y + 1, width: rect.width, height: 1) : nil,
                       &buffer)
            y += roomy ? 2 : 1
        }
        if y < rect.maxY { drawTimescales(state, rect.row(y - rect.y), next: y + 1 < rect.maxY ? rect.row(y + 1 - rect.y) : nil, &buffer) }
    }

    private static func drawSeries(_ state: DashboardState, name: String, label: String, row: Rect, detail: Rect?,
                                   _ buffer: inout CellBuffer) {
        let labelWidth = 6
        buffer.write(label, x: row.x, y: row.y, style: state.theme.text.with(.bold), clip: row)
        guard let series = state.series[name], let step = state.cursorStep, let end = series.index(atOrBefore: Double(step)) else {
            let why = state.cursorStep == nil || state.series[name] == nil
                ? PaneNotice.noEvaluation(state, of: label) : "not measured by this step"
            buffer.write(why, x: row.x + labelWidth, y: row.y, style: state.theme.dim, clip: row)
            return
        }
        var current = NumberFormat.value(series.value(atOrBefore: Double(step)) ?? .nan)
        if name == "mem_frac", let lo = state.series["mem_frac_ci_low"]?.value(atOrBefore: Double(step)),
           let hi = state.series["mem_frac_ci_high"]?.value(atOrBefore: Double(step)) {
            current += " [\(NumberFormat.value(lo)), \(NumberFormat.value(hi))]"
        }
        let valueWidth = current.unicodeScalars.count + 1
        let sparkWidth = max(row.width - labelWidth - valueWidth, 0)
        var values = buckets(series, count: end + 1, width: sparkWidth)
        let range = series.extremes(0, end + 1)
        var lower = name == "mem_frac" ? 0 : (range?.min ?? 0)
        var upper = name == "mem_frac" ? max(range?.max ?? 1, 1e-9) : (range?.max ?? 1)
        // FID spans orders of magnitude (1e9 at initialization, tens once samples are good): on a log scale
        // reaching one decade above the minimum (higher values are full bars) the minimum and the rise after it
        // stay visible.
        if name == "fid", lower > 0 {
            values = values.map { $0.map { $0 > 0 ? log10($0) : log10(lower) } }
            upper = log10(min(upper, lower * fidSpan))
            lower = log10(lower)
        }
        Sparkline(values: values, lower: lower, upper: upper, style: state.theme.lines[name == "fid" ? 1 : 0], glyphs: state.glyphs)
            .render(in: Rect(x: row.x + labelWidth, y: row.y, width: sparkWidth, height: 1), into: &buffer)
        buffer.write(current, x: row.x + labelWidth + sparkWidth + 1, y: row.y, style: state.theme.text, clip: row)
        if let detail, let range {
            let scale = name == "fid" && range.min > 0 ? ", log scale" : ""
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

    /// τ_gen and τ_mem; while τ_mem is not detected, its forecast on the `next` row (inline when there is none).
    private static func drawTimescales(_ state: DashboardState, _ row: Rect, next: Rect?, _ buffer: inout CellBuffer) {
        var parts: [String] = []
        var forecastText: String?
        for (kind, label) in [("tau_gen", "τ_gen"), ("tau_mem", "τ_mem")] {
            guard let e = state.latestEvent(kind, basis: "samples") else {
                if kind == "tau_mem", let forecast = MemorizationEstimate.shown(in: state) { forecastText = forecast.text(in: state) }
                if forecastText == nil || next != nil { parts.append("\(label) –") }
                continue
            }
            var s = "\(label) step " + NumberFormat.compact(Double(e.step))
            if let tau = e.fields["tau"]?.double { s += " (τ " + NumberFormat.value(tau) + ")" }
            if e.fields["provisional"]?.bool == true { s += "?" }
            parts.append(s)
        }
        let x = row.x + buffer.write(parts.joined(separator: "   "), x: row.x, y: row.y, style: state.theme.text, clip: row)
        if let forecastText {
            let style = state.theme.dim.with(.italic)
            if let next {
                buffer.write(forecastText, x: next.x, y: next.y, style: style, clip: next)
            } else {
                buffer.write("   " + forecastText, x: x, y: row.y, style: style, clip: row)
            }
        }
    }
}
