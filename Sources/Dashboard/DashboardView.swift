import RunFormat
import TerminalUI

/// Renders the dashboard state into a cell grid: header, the four panes, footer, and the help overlay.
public enum DashboardView {
    /// Below this size only a "terminal too small" message is shown.
    public static let minimumWidth = 40
    public static let minimumHeight = 12
    /// From this size on all four panes are shown (80×24, the usual default terminal, included).
    static let fourPaneWidth = 80
    static let fourPaneHeight = 22

    public static func render(_ state: DashboardState, width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            drawTooSmall(&buffer, state)
            if !state.glyphs.braille { buffer.asciify() }
            return buffer
        }
        drawHeader(state, Rect(x: 0, y: 0, width: width, height: 1), &buffer)
        var body = Rect(x: 0, y: 1, width: width, height: height - 2)
        if state.showRuns && !state.zoomed {
            // The runs pane on top: its rows, at most a third of the screen.
            let rows = min(state.workspace.rows.count + 4, max(body.height / 3, 5))
            drawPane(.runs, state, Rect(x: body.x, y: body.y, width: body.width, height: rows), &buffer)
            body = Rect(x: body.x, y: body.y + rows, width: body.width, height: body.height - rows)
        }
        if state.zoomed {
            drawPane(state.focus, state, body, &buffer)
        } else if width >= fourPaneWidth && body.height >= fourPaneHeight - 2 {
            let cols = Layout.split(body, .horizontal, [.percentage(58), .fill(1)])
            let right = Layout.split(cols[1], .vertical, [.length(8), .min(6), .length(8)])
            drawPane(.loss, state, cols[0], &buffer)
            drawPane(.memorization, state, right[0], &buffer)
            drawPane(.phase, state, right[1], &buffer)
            drawPane(.samples, state, right[2], &buffer)
        } else {
            let rows = Layout.split(body, .vertical, [.fill(1), .length(5)])
            drawPane(.loss, state, rows[0], &buffer)
            drawPane(.memorization, state, rows[1], &buffer)
            // The hidden panes are named in the bottom border, with how to see them.
            let note = " phase, samples: Tab then z, or \(fourPaneWidth)×\(fourPaneHeight) "
            let border = Rect(x: rows[1].x + 2, y: rows[1].maxY - 1, width: max(rows[1].width - 4, 0), height: 1)
            buffer.write(note, x: border.x, y: border.y, style: state.theme.dim, clip: border)
        }
        drawFooter(state, Rect(x: 0, y: height - 1, width: width, height: 1), &buffer)
        if state.showMarks { MarksTable.draw(state, in: body, &buffer) }
        state.tagList?.draw(state, in: body, &buffer)
        if state.showHelp {
            let entries = KeyBindings.bindings(in: state.mode).map { (keys: $0.keyLabel, text: $0.summary) }
            HelpOverlay(title: "Keys (? or Esc closes)", entries: entries, glyphs: state.glyphs, style: state.theme.text,
                        offset: state.helpOffset)
                .render(in: buffer.bounds, into: &buffer)
        }
        if !state.glyphs.braille { buffer.asciify() }
        return buffer
    }

    private static func drawTooSmall(_ buffer: inout CellBuffer, _ state: DashboardState) {
        let lines = ["terminal too small", "\(buffer.width)×\(buffer.height), need \(minimumWidth)×\(minimumHeight)"]
        for (i, line) in lines.enumerated() {
            let n = line.unicodeScalars.count
            let y = buffer.height / 2 - 1 + i
            buffer.write(line, x: max((buffer.width - n) / 2, 0), y: y, style: state.theme.warning)
        }
    }

    static func drawPane(_ pane: Pane, _ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        let focused = state.focus == pane
        var title = pane.title
        if pane == .loss {
            title += state.logY ? " · log y" : " · linear y"
            if state.xAxis != .step { title += " · x: " + state.xAxis.title }
            if state.zoomLevel > 0 { title += " · zoom ×\(1 << min(state.zoomLevel, 20))" }
            if state.frozenStep != nil && state.mode != .replay { title += " · frozen (End resumes)" }
        }
        let inner = Frame.draw(rect, title: title, focused: focused, glyphs: state.glyphs, style: state.theme.border, into: &buffer)
        guard !inner.isEmpty else { return }
        switch pane {
        case .loss: LossPane.draw(state, inner, &buffer)
        case .memorization: MemorizationPane.draw(state, inner, &buffer)
        case .phase: PhasePane.draw(state, inner, &buffer)
        case .samples: SamplesPane.draw(state, inner, &buffer)
        case .runs: RunsPane.draw(state, inner, &buffer)
        }
    }

    private static func drawHeader(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        let style = state.theme.header
        buffer.fill(rect, with: Cell(" ", style: style))
        // Fields in order of appearance with a priority (lower is dropped first when the bar is too narrow);
        // the run's state (ended: reason) and the mode sit on the right and are never cut.
        var parts: [(text: String, priority: Int)] = [("genwindow", 1)]
        if let label = state.runLabel { parts.append((label, 5)) }
        var run: [String] = []
        if !state.model.isEmpty { run.append(state.model) }
        if !state.data.isEmpty { run.append(state.data) }
        if let n = state.n { run.append("n=" + NumberFormat.compact(Double(n))) }
        if let size = state.size { run.append("\(size.name)=" + NumberFormat.compact(Double(size.value))) }
        if !run.isEmpty { parts.append((run.joined(separator: " "), 4)) }
        if !state.tagMap.isEmpty { parts.append((state.tagMap.joined(separator: " "), 2)) }
        let step = state.progress?.step ?? state.end?.step ?? state.recordSteps.last
        if let step {
            var s = "step " + NumberFormat.compact(Double(step))
            if let total = state.totalSteps { s += "/" + NumberFormat.compact(Double(total)) }
            parts.append((s, 6))
        }
        let elapsed = state.progress?.elapsed ?? state.lastTimeSeconds
        let rate: Double? = state.progress.map(\.stepsPerSecond)
            ?? (elapsed.flatMap { e in step.map { e > 0 ? Double($0) / e : 0 } })
        if let rate, rate > 0 { parts.append((NumberFormat.compact(rate) + " steps/s", 3)) }
        if let elapsed { parts.append((duration(elapsed), 2)) }
        if state.end == nil, let total = state.totalSteps, let step, let rate, rate > 0, total > step {
            parts.append(("ETA " + duration(Double(total - step) / rate), 3))
        }
        // Live training that has ended is no longer LIVE: the tag gives way to how it ended.
        let trainingOver = state.mode == .live && (state.end != nil || state.trainingFailure != nil)
        let mode = trainingOver ? "" : " " + (state.paused ? "PAUSED" : state.mode.label) + " "
        var ended = state.end.map { " ended: \($0.reason.rawValue) " } ?? ""
        if trainingOver {
            ended = state.end.map { " training ended: \($0.reason.rawValue) " } ?? " training failed "
        }
        let right = ended.unicodeScalars.count + mode.unicodeScalars.count
        let separator = " │ "
        func length(_ p: [(text: String, priority: Int)]) -> Int {
            1 + p.reduce(0) { $0 + $1.text.unicodeScalars.count } + separator.unicodeScalars.count * max(p.count - 1, 0)
        }
        while parts.count > 1 && length(parts) + right > rect.width,
              let drop = parts.indices.min(by: { parts[$0].priority < parts[$1].priority }) {
            parts.remove(at: drop)
        }
        let left = Rect(x: rect.x, y: rect.y, width: max(rect.width - right, 0), height: 1)
        buffer.write(" " + parts.map(\.text).joined(separator: separator), x: rect.x, y: rect.y, style: style, clip: left)
        let n = mode.unicodeScalars.count
        buffer.write(mode, x: max(rect.maxX - n, rect.x), y: rect.y, style: style.with(.reverse), clip: rect)
        if !ended.isEmpty {
            let endStyle = state.end?.reason.isFinished == true ? style.with(.bold).with(trainingOver ? .reverse : []) : state.theme.warning.with(.bold)
            buffer.write(ended, x: max(rect.maxX - n - ended.unicodeScalars.count, rect.x), y: rect.y, style: endStyle, clip: rect)
        }
    }

    private static func drawFooter(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        buffer.fill(rect, with: Cell(" ", style: state.theme.footer))
        let message: String?
        if let prompt = state.prompt {
            message = "mark label: " + prompt + "_   (Enter saves, Esc cancels)"
        } else if state.confirmingQuit {
            message = "Stop training and quit? y: stop and quit · any other key: keep training"
        } else if let failure = state.trainingFailure {
            message = "training failed: " + failure
        } else {
            message = state.status
        }
        if let message {
            buffer.write(" " + message, x: rect.x, y: rect.y, style: state.theme.footer.with(.bold), clip: rect)
            return
        }
        var cursor = ""
        if let step = state.cursorStep, state.mode == .replay || state.cursor != nil {
            cursor = "cursor " + NumberFormat.compact(Double(step)) + " "
        }
        // Whole hints only, as many as fit beside the cursor field.
        // The run keys only when there are runs to switch between.
        var hints = KeyBindings.bindings(in: state.mode).filter { $0.action != .nextRun || state.runLabel != nil }
            .compactMap { b in b.hint.map { "\(b.keys[0].label) \($0)" } }
        let room = rect.width - cursor.unicodeScalars.count - 1
        while !hints.isEmpty && (" " + hints.joined(separator: "  ")).unicodeScalars.count > room { hints.removeLast() }
        buffer.write(" " + hints.joined(separator: "  "), x: rect.x, y: rect.y, style: state.theme.footer, clip: rect)
        if !cursor.isEmpty {
            let n = cursor.unicodeScalars.count
            buffer.write(cursor, x: max(rect.maxX - n, rect.x), y: rect.y, style: state.theme.footer.with(.bold), clip: rect)
        }
    }

    /// `h:mm:ss` or `m:ss`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        let h = s / 3600, m = (s / 60) % 60, sec = s % 60
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }
}
