import RunFormat
import TerminalUI

/// The latest evaluation at the cursor: its step, sample count, memorized fraction with interval, FID and its
/// feature space.
enum SamplesPane {
    static func draw(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        guard let step = state.cursorStep, let eval = state.evaluation(atOrBefore: step) else {
            buffer.write("no evaluation yet", x: rect.x, y: rect.y, style: state.theme.dim, clip: rect)
            return
        }
        var lines: [String] = ["evaluation at step " + NumberFormat.compact(Double(eval.step))]
        if let m = eval["m"] ?? eval.extra["m"]?.double { lines.append("m " + NumberFormat.compact(m) + " samples") }
        if let f = eval["mem_frac"] {
            var s = "f_mem " + NumberFormat.value(f)
            if let lo = eval["mem_frac_ci_low"], let hi = eval["mem_frac_ci_high"] {
                s += "  95% CI [\(NumberFormat.value(lo)), \(NumberFormat.value(hi))]"
            }
            lines.append(s)
        }
        if let fid = eval["fid"] {
            var s = "FID " + NumberFormat.value(fid)
            if let features = eval.extra["features"]?.string { s += "  (features: \(Sanitize.text(features)))" }
            lines.append(s)
        }
        if let tau = eval["tau"] { lines.append("τ " + NumberFormat.value(tau)) }
        for (i, line) in lines.prefix(rect.height).enumerated() {
            buffer.write(line, x: rect.x, y: rect.y + i, style: i == 0 ? state.theme.text.with(.bold) : state.theme.text, clip: rect)
        }
    }
}
