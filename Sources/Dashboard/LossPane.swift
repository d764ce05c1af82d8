import Foundation
import RunFormat
import TerminalUI

/// Train and test loss against step: legend with values at the cursor, braille chart with the generalization
/// window shaded, marks and the cursor as vertical lines. The gap (test − train, `gen_loss`) is orders of
/// magnitude smaller than the losses early on and changes sign, so it has a panel of its own below them, on a
/// linear axis, sharing the step axis. An extra curve the user picks (`e`: grad_norm, another tool's tag) gets a
/// panel of its own in the same way. Which series go where is `SeriesTable`'s.
enum LossPane {
    /// A panel below the main chart is drawn when the chart has at least this many rows.
    static let gapPanelMinimumRows = 9

    static func draw(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        let names = SeriesTable.names(.loss).filter { state.series[$0] != nil }
        let gaps = SeriesTable.names(.gap).filter { state.series[$0] != nil }
        let extras = [state.extraSeries].compactMap { $0 }.filter { state.series[$0] != nil }
        let axis = StepAxis(mode: state.xAxis, timeline: state.timeline)
        guard let xScale = stepScale(state, axis), !names.isEmpty || !gaps.isEmpty else {
            buffer.write(emptyText(state), x: rect.x + 1, y: rect.y + rect.height / 2, style: state.theme.dim, clip: rect)
            return
        }
        drawLegend(state, names + gaps + extras, rect.row(0), &buffer)
        var chartRect = rect.inset(top: 1)
        if !state.workspace.pinned.isEmpty && chartRect.height > gapPanelMinimumRows {
            drawPinnedLegend(state, names, chartRect.row(0), &buffer)
            chartRect = chartRect.inset(top: 1)
        }
        guard !chartRect.isEmpty else { return }
        for name in (gaps + extras).reversed() where chartRect.height >= gapPanelMinimumRows {
            let style = SeriesTable.style(of: name)
            let rows = max(3, chartRect.height / 4)
            let panel = Rect(x: chartRect.x, y: chartRect.maxY - rows, width: chartRect.width, height: rows)
            chartRect = chartRect.inset(bottom: rows)
            chart(state, [name], axis: axis, xScale: xScale, in: panel, log: style.logScale, labels: false).render(in: panel, into: &buffer)
            // The panel's own name, at its top left inside the plot (its axis has its own range).
            let plot = LineChart.plotArea(in: panel)
            buffer.write(style.placement == .gap ? "gap" : style.legend, x: plot.x, y: plot.y, style: state.theme.dim, clip: plot)
        }
        guard !names.isEmpty else { return }
        let main = chart(state, names, axis: axis, xScale: xScale, in: chartRect, log: state.logY, labels: true)
        main.render(in: chartRect, into: &buffer)
    }

    /// What the pane says before there is a loss to draw.
    static func emptyText(_ state: DashboardState) -> String {
        if !state.hasHeader { return "waiting for the run header…" }
        if state.mode == .replay || state.end != nil {
            return state.recordSteps.isEmpty ? "this run file has no metrics records" : "this run recorded no loss"
        }
        return "waiting for the first loss values…"
    }

    /// A chart of `names` (in their `SeriesTable` colours) with the window, marks and the cursor; `labels` puts
    /// the marker labels on it (the panels below share them with the chart above).
    private static func chart(_ state: DashboardState, _ names: [String], axis: StepAxis, xScale: AxisScale,
                              in rect: Rect, log: Bool, labels: Bool) -> LineChart {
        let dots = LineChart.dotColumns(in: rect)
        let limit = state.visibleLimit
        let smoothing = state.smoothingWeight > 0
        var lines: [ChartLine] = []
        var rawColumns: [[DotColumn?]] = []
        let group = labels ? state.workspace.group : nil
        for (i, name) in names.enumerated() {
            let style = lineStyle(state, name)
            if let group {
                // The seed group: its mean as the line, the spread as a band under it.
                let (mean, band) = seedColumns(group, name, state.seedBands, mode: axis.mode, xScale: xScale, count: dots, upTo: limit)
                rawColumns += [mean, band]
                lines.append(ChartLine(columns: band, style: state.theme.raw, layer: 0))
                lines.append(ChartLine(columns: mean, style: style, layer: 1 + i))
                continue
            }
            let raw = state.series[name]!.columns(scale: xScale, count: dots, upTo: limit, toStep: axis.step)
            rawColumns.append(raw)
            if smoothing, let s = state.smoothed[name] {
                lines.append(ChartLine(columns: raw, style: state.theme.raw, layer: 0))
                lines.append(ChartLine(columns: s.columns(scale: xScale, count: dots, upTo: limit, toStep: axis.step), style: style, layer: 1 + i))
            } else {
                lines.append(ChartLine(columns: raw, style: style, layer: 1 + i))
            }
        }
        // Pinned runs under the run shown, each in its own colour, raw.
        for pinned in state.workspace.pinned {
            for name in names {
                guard let series = pinned.series[name] else { continue }
                let own = StepAxis(mode: axis.mode, timeline: pinned.timeline)
                let columns = series.columns(scale: xScale, count: dots, upTo: limit, toStep: own.step)
                rawColumns.append(columns)
                lines.append(ChartLine(columns: columns, style: WorkspaceView.style(pinned, theme: state.theme), layer: 0))
            }
        }
        let yScale = valueScale(rawColumns, log: log, robust: state.robustRange)
        var chart = LineChart(xScale: xScale, yScale: yScale, lines: lines, glyphs: state.glyphs, axisStyle: state.theme.dim)
        chart.xLabel = { [axis] in axis.label($0) }
        addMarkers(state, axis, to: &chart)
        if !labels {
            for i in chart.markers.indices { chart.markers[i].label = "" }
        }
        return chart
    }

    private static func addMarkers(_ state: DashboardState, _ axis: StepAxis, to chart: inout LineChart) {
        let x = { (step: Int) in axis.x(Double(step)) }
        let gen = state.latestEvent(EventKind.tauGen, basis: "loss"), mem = state.latestEvent(EventKind.tauMem, basis: "loss")
        // The window is shaded only where there is one: memorization starting before the samples are good
        // (τ_mem ≤ τ_gen, small n) leaves none.
        if let gen, mem.map({ $0.step > gen.step }) ?? true {
            let to = x(mem?.step ?? (state.recordSteps.last ?? gen.step))
            chart.bands.append(ChartBand(from: x(gen.step), to: to, background: state.theme.window))
        }
        // A provisional time (later points may still move it) is dotted and labelled with "?".
        for (event, label) in [(gen, "τgen"), (mem, "τmem")] {
            guard let event else { continue }
            let provisional = event.fields["provisional"]?.bool == true
            chart.markers.append(ChartMarker(x: x(event.step), label: label + (provisional ? "?" : ""),
                                             style: state.theme.dim, dotted: provisional))
        }
        if let rise = state.latestEvent(EventKind.testLossRise) {
            chart.markers.append(ChartMarker(x: x(rise.step), label: "test+10%", style: state.theme.dim, dotted: true))
        }
        if let step = MemorizationEstimate.shown(in: state)?.step(in: state) {
            chart.markers.append(ChartMarker(x: axis.x(step), label: "τmem≈", style: state.theme.dim, dotted: true))
        }
        if let stop = state.latestEvent(EventKind.earlyStop) {
            chart.markers.append(ChartMarker(x: x(stop.step), label: "stop?", style: state.theme.suggested))
        }
        for mark in state.marks {
            chart.markers.append(ChartMarker(x: x(mark.step), label: String(mark.label.prefix(8)), style: state.theme.mark))
        }
        if let step = state.cursorStep, state.mode == .replay || state.cursor != nil {
            chart.markers.append(ChartMarker(x: x(step), label: "", style: state.theme.cursor, onTop: true))
        }
    }

    /// A seed group's mean of `name` per column (each run's newest value in the column) and its band: the
    /// lowest to the highest run, or the mean ± one standard deviation.
    static func seedColumns(_ group: SeedGroupView, _ name: String, _ bands: SeedBands, mode: XAxisMode = .step, xScale: AxisScale,
                            count: Int, upTo limit: Double) -> (mean: [DotColumn?], band: [DotColumn?]) {
        let runs = group.members.enumerated().compactMap { i, member in
            let axis = StepAxis(mode: mode, timeline: i < group.timelines.count ? group.timelines[i] : RunTimeline())
            return member[name]?.columns(scale: xScale, count: count, upTo: limit, toStep: axis.step)
        }
        var mean = [DotColumn?](repeating: nil, count: count), band = mean
        for c in 0..<count {
            let columns = runs.compactMap { $0.indices.contains(c) ? $0[c] : nil }.filter { $0.last.isFinite }
            guard !columns.isEmpty else { continue }
            let values = columns.map(\.last)
            let m = values.reduce(0, +) / Double(values.count)
            var lo = columns.map(\.min).min()!, hi = columns.map(\.max).max()!
            if bands == .standardDeviation {
                let sd = values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot() : 0
                lo = m - sd
                hi = m + sd
            }
            mean[c] = DotColumn(min: m, max: m, first: m, last: m)
            band[c] = DotColumn(min: lo, max: hi, first: lo, last: hi)
        }
        return (mean, band)
    }

    /// A series' line colour.
    static func lineStyle(_ state: DashboardState, _ name: String) -> Style {
        state.theme.lines[SeriesTable.style(of: name).colorRole % state.theme.lines.count]
    }

    /// Each series' colour, name and raw value at the cursor (the measured number, also while the lines are
    /// smoothed), then the lines' smoothing.
    private static func drawLegend(_ state: DashboardState, _ names: [String], _ rect: Rect, _ buffer: inout CellBuffer) {
        var x = rect.x
        let step = state.cursorStep.map(Double.init) ?? .infinity
        for name in names {
            let value = state.series[name]?.value(atOrBefore: step).map(NumberFormat.value) ?? "–"
            x += buffer.write(state.glyphs.braille ? "━ " : "- ", x: x, y: rect.y, style: lineStyle(state, name), clip: rect)
            x += buffer.write("\(SeriesTable.style(of: name).legend) \(value)  ", x: x, y: rect.y, style: state.theme.text, clip: rect)
        }
        var smooth = state.smoothingWeight > 0 ? "lines " + state.smoothingKind.label(weight: state.smoothingWeight) : "raw"
        if let group = state.workspace.group {
            smooth = "\(group.members.count) seeds: mean, band " + (state.seedBands == .standardDeviation ? "± 1 sd" : "min–max")
        }
        buffer.write(smooth + (state.robustRange ? " · 5–95%" : ""), x: x, y: rect.y, style: state.theme.dim, clip: rect)
    }

    /// The pinned runs' colours, names and loss (the test loss if they record one) at the cursor's step.
    private static func drawPinnedLegend(_ state: DashboardState, _ names: [String], _ rect: Rect, _ buffer: inout CellBuffer) {
        var x = rect.x
        let step = state.cursorStep.map(Double.init) ?? .infinity
        for pinned in state.workspace.pinned {
            let name = names.last { pinned.series[$0] != nil }
            let value = name.flatMap { pinned.series[$0]?.value(atOrBefore: step) }.map(NumberFormat.value) ?? "–"
            x += buffer.write("■ ", x: x, y: rect.y, style: WorkspaceView.style(pinned, theme: state.theme), clip: rect)
            x += buffer.write(Sanitize.text(pinned.key.name) + " \(value)  ", x: x, y: rect.y, style: state.theme.text, clip: rect)
        }
    }

    /// The horizontal axis in `axis`'s units: all recorded steps (positive values on a log axis) up to the
    /// visible limit, narrowed by the zoom level around the cursor (or the newest step).
    static func stepScale(_ state: DashboardState, _ axis: StepAxis) -> AxisScale? {
        let limit = state.visibleLimit
        let log = state.logX && axis.allowsLog
        let xs = state.recordSteps.map { axis.x(Double($0)) }
        guard let lo = log ? xs.first(where: { $0 > 0 }) : xs.first else { return nil }
        // Pinned runs that went further widen the axis, so the runs compare over their whole length.
        let pinnedEnd = state.workspace.pinned.compactMap { p in
            SeriesTable.names(.loss).compactMap { p.series[$0]?.lastStep }.max().map { StepAxis(mode: axis.mode, timeline: p.timeline).x($0) }
        }.max()
        var hi = max(xs.last!, pinnedEnd ?? -.infinity)
        if limit.isFinite { hi = min(hi, axis.x(limit)) }
        // A tau_mem forecast ahead of the data widens the axis up to it (within the run's planned steps), so
        // its marker shows where memorization is expected.
        if limit == .infinity, let f = MemorizationEstimate.shown(in: state)?.step(in: state).map(axis.x), f > hi,
           f <= axis.x(Double(state.totalSteps ?? Int.max)), axis.mode != .step || f <= hi * 100 {
            hi = f
        }
        guard hi >= lo else { return nil }
        let full = AxisScale(lower: lo, upper: hi, isLog: log)
        guard state.zoomLevel > 0 else { return full }
        let span = 1 / Double(1 << min(state.zoomLevel, 20))
        let anchor = state.cursorStep.map { full.fraction(axis.x(Double($0))) } ?? 1
        let a = min(max((anchor.isFinite ? anchor : 1) - span / 2, 0), 1 - span)
        return AxisScale(lower: full.value(atFraction: a), upper: full.value(atFraction: a + span), isLog: log)
    }

    /// The value axis from the drawn columns' extremes; `robust` keeps the 5th–95th percentile of them.
    static func valueScale(_ columns: [[DotColumn?]], log: Bool, robust: Bool) -> AxisScale {
        var values: [Double] = []
        for cols in columns {
            for case let c? in cols {
                for v in [c.min, c.max] where v.isFinite && (!log || v > 0) { values.append(v) }
            }
        }
        guard !values.isEmpty else { return AxisScale(lower: log ? 0.1 : 0, upper: 1, isLog: log) }
        values.sort()
        var lo = values.first!, hi = values.last!
        if robust && values.count >= 4 {
            lo = quantile(values, 0.05, log: log)
            hi = quantile(values, 0.95, log: log)
        }
        if log {
            let pad = hi > lo ? pow(hi / lo, 0.05) : 2
            return AxisScale(lower: lo / pad, upper: hi * pad, isLog: true)
        }
        let pad = hi > lo ? (hi - lo) * 0.05 : max(abs(lo) * 0.1, 1e-12)
        return AxisScale(lower: lo - pad, upper: hi + pad, isLog: false)
    }

    /// Linear-interpolated quantile of sorted values (in log space on a log axis, as TensorBoard does).
    static func quantile(_ sorted: [Double], _ q: Double, log: Bool) -> Double {
        let pos = q * Double(sorted.count - 1)
        let i = Int(pos), f = pos - Double(i)
        let a = sorted[i], b = sorted[min(i + 1, sorted.count - 1)]
        if log { return exp(Foundation.log(a) * (1 - f) + Foundation.log(b) * f) }
        return a * (1 - f) + b * f
    }
}
