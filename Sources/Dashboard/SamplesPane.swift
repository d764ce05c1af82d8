import RunFormat
import TerminalUI

/// The samples of the evaluation at the cursor: image samples as half-block pictures beside their nearest
/// training images with d1/d2 under each pair (memorized pairs highlighted), vector samples as a braille
/// scatter against their nearest training points on the training set's two principal axes. Without a
/// `samples` record, the evaluation's numbers (m, f_mem with its interval, FID and its feature space).
enum SamplesPane {
    static func draw(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        guard let step = state.cursorStep else {
            buffer.write(PaneNotice.noEvaluation(state, of: "samples"), x: rect.x, y: rect.y, style: state.theme.dim, clip: rect)
            return
        }
        if let preview = state.preview(atOrBefore: step), rect.height >= 3 {
            drawPreview(preview, state, rect, &buffer)
        } else {
            drawNumbers(state, step, rect, &buffer)
        }
    }

    private static func drawPreview(_ preview: SamplePreview, _ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        let memorized = preview.ratios.map { $0.isFinite && $0 < state.memorizationK }
        var title = "step " + NumberFormat.compact(Double(preview.step))
        if let tau = preview.tau { title += " · τ " + NumberFormat.value(tau) }
        title += " · \(memorized.filter { $0 }.count)/\(preview.count) memorized (d1/d2 < \(NumberFormat.value(state.memorizationK)))"
        buffer.write(title, x: rect.x, y: rect.y, style: state.theme.text.with(.bold), clip: rect)
        let body = rect.inset(top: 1)
        switch preview.content {
        case .images(let samples, let neighbours):
            drawPairs(samples, neighbours, preview.ratios, memorized, state, body, &buffer)
        case .vectors(let samples, let nearest):
            drawScatter(samples, nearest, memorized, state, body, &buffer)
        }
    }

    /// The smallest integer downsampling factor at which one pair (sample, gap, neighbour) and its label row
    /// fit in `rect`; nil when not even one pixel per cell fits.
    static func fitFactor(width w: Int, height h: Int, in rect: Rect) -> Int? {
        for f in 1...max(w, h) {
            let cols = (w + f - 1) / f, rows = ((h + f - 1) / f + 1) / 2
            if 2 * cols + 1 <= rect.width && rows + 1 <= rect.height { return f }
        }
        return nil
    }

    private static func drawPairs(_ samples: [GrayImage], _ neighbours: [GrayImage], _ ratios: [Double], _ memorized: [Bool],
                                  _ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        guard let first = samples.first, let f = fitFactor(width: first.width, height: first.height, in: rect) else { return }
        // Pairs fill rows left to right; further rows (image + label + a blank) while they fit. Memorized pairs
        // come first, so a small pane still shows the copies.
        var x = rect.x, y = rect.y
        for i in samples.indices.filter({ memorized[$0] }) + samples.indices.filter({ !memorized[$0] }) {
            let a = HalfBlockImage(image: samples[i].downsampled(by: f), colorDepth: state.colorDepth, unicode: state.glyphs.braille)
            let b = HalfBlockImage(image: neighbours[i].downsampled(by: f), colorDepth: state.colorDepth, unicode: state.glyphs.braille)
            let pairWidth = a.size.columns + 1 + b.size.columns
            if x + pairWidth > rect.maxX {
                x = rect.x
                y += a.size.rows + 2
            }
            guard x + pairWidth <= rect.maxX, y + a.size.rows + 1 <= rect.maxY else { break }
            a.render(x: x, y: y, clip: rect, into: &buffer)
            b.render(x: x + a.size.columns + 1, y: y, clip: rect, into: &buffer)
            var label = NumberFormat.value(ratios[i])
            if memorized[i] { label = "MEM " + label }
            let style = memorized[i] ? state.theme.memorized : state.theme.dim
            buffer.write(label, x: x, y: y + a.size.rows, style: style, clip: rect, maxWidth: pairWidth)
            x += pairWidth + 2
        }
    }

    private static func drawScatter(_ samples: [(Double, Double)], _ nearest: [(Double, Double)], _ memorized: [Bool],
                                    _ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        buffer.write("• samples  ", x: rect.x, y: rect.y, style: state.theme.lines[1], clip: rect)
        buffer.write("• nearest training (PC1, PC2)", x: rect.x + 11, y: rect.y, style: state.theme.dim, clip: rect)
        let area = rect.inset(top: 1)
        guard !area.isEmpty else { return }
        let points = (samples + nearest).filter { $0.0.isFinite && $0.1.isFinite }
        guard let x0 = points.map(\.0).min(), let x1 = points.map(\.0).max(),
              let y0 = points.map(\.1).min(), let y1 = points.map(\.1).max() else { return }
        var canvas = BrailleCanvas(columns: area.width, rows: area.height)
        let sx = x1 > x0 ? Double(canvas.dotWidth - 1) / (x1 - x0) : 0
        let sy = y1 > y0 ? Double(canvas.dotHeight - 1) / (y1 - y0) : 0
        let plot = { (p: (Double, Double), layer: Int, canvas: inout BrailleCanvas) in
            guard p.0.isFinite, p.1.isFinite else { return }
            let dx = x1 > x0 ? Int(((p.0 - x0) * sx).rounded()) : canvas.dotWidth / 2
            let dy = y1 > y0 ? Int(((y1 - p.1) * sy).rounded()) : canvas.dotHeight / 2
            canvas.setDot(x: dx, y: dy, layer: layer)
        }
        for p in nearest { plot(p, 0, &canvas) }
        for (i, p) in samples.enumerated() { plot(p, memorized[i] ? 2 : 1, &canvas) }
        canvas.draw(into: &buffer, at: area, styles: [state.theme.dim, state.theme.lines[1], state.theme.memorized],
                    glyphs: state.glyphs)
    }

    private static func drawNumbers(_ state: DashboardState, _ step: Int, _ rect: Rect, _ buffer: inout CellBuffer) {
        guard let eval = state.evaluation(atOrBefore: step) else {
            buffer.write(PaneNotice.noEvaluation(state, of: "samples"), x: rect.x, y: rect.y, style: state.theme.dim, clip: rect)
            return
        }
        var lines: [String] = ["evaluation at step " + NumberFormat.compact(Double(eval.step))]
        if let m = eval["m"] ?? eval["fid_samples"] ?? eval.extra["samples"]?.double {
            lines.append("m " + NumberFormat.compact(m) + " samples")
        }
        if let f = eval[MetricName.memFrac] {
            var s = "f_mem " + NumberFormat.value(f)
            if let lo = eval[MetricName.memFracCILow], let hi = eval[MetricName.memFracCIHigh] {
                s += "  95% CI [\(NumberFormat.value(lo)), \(NumberFormat.value(hi))]"
            }
            lines.append(s)
        }
        if let fid = eval[MetricName.fid] {
            lines.append(state.fidLabel + " " + NumberFormat.value(fid))
        }
        if let tau = eval[MetricName.tau] { lines.append("τ " + NumberFormat.value(tau)) }
        for (i, line) in lines.prefix(rect.height).enumerated() {
            buffer.write(line, x: rect.x, y: rect.y + i, style: i == 0 ? state.theme.text.with(.bold) : state.theme.text, clip: rect)
        }
    }
}
