import RunFormat
import Testing
import TerminalUI
import Dashboard

/// The tau_mem forecast on the cell grid, the title bar that keeps the run's state, and switching between the
/// runs of a watched folder.
@Suite struct ForecastAndRunsTests {
    /// The sample run up to step 10k: τ_gen detected, τ_mem not yet, no end record.
    static func early() -> DashboardState {
        var s = DashboardState(mode: .watch, glyphs: .unicode)
        s.fold([.header(SampleRun.header)] + SampleRun.records.filter { ($0.step ?? 0) <= 10_000 && !isEnd($0) })
        return s
    }

    static func isEnd(_ r: RunRecord) -> Bool { if case .end = r { true } else { false } }

    static let forecast = MemorizationEstimate(time: 61_000, basis: "∝ n, 3 runs")

    /// The x of the loss chart's dotted forecast line: the column right under the "τmem≈" label.
    static func forecastColumn(_ b: CellBuffer) -> (x: Int, y: Int)? {
        for y in 0..<b.height {
            if let r = b.line(y).range(of: "τmem≈") {
                return (b.line(y).unicodeScalars.distance(from: b.line(y).unicodeScalars.startIndex, to: r.lowerBound.samePosition(in: b.line(y).unicodeScalars)!), y)
            }
        }
        return nil
    }

    @Test func forecastIsLabelledAndDrawnDottedUntilTauMem() throws {
        var s = Self.early()
        let before = DashboardView.render(s, width: 120, height: 36)
        #expect(!before.text.contains("forecast"))
        #expect(before.text.contains("τ_mem –"))
        s.memorizationForecast = Self.forecast
        let b = DashboardView.render(s, width: 120, height: 36)
        #expect(b.text.contains("τ_mem ≈ 61k (forecast: ∝ n, 3 runs)"), "\(b.text)")
        // The step axis reaches the forecast (it is ahead of the data), and its line is dotted: every other row.
        let label = try #require(Self.forecastColumn(b), "\(b.text)")
        // The label sits right of its line, or left of it at the chart's right edge.
        let x = (label.x - 1...label.x + 5).first { b[$0, label.y].scalar == "┆" }
        let column = try #require(x, "\(b.text)")
        let rows = (label.y..<label.y + 12).map { b[column, $0].scalar == "┆" }
        #expect(rows.contains(true) && rows.contains(false))
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0 != $1 }, "dotted: \(rows)")
        let style = b[column, label.y].style
        #expect(style.foreground == s.theme.dim.foreground && style.attributes == s.theme.dim.attributes)
        // Without the forecast the data end at 10k, at the right edge; with it 10k moves left.
        #expect(b.text.contains("τmem≈") && !before.text.contains("τmem≈"))
    }

    @Test func forecastGoesOnceTauMemIsDetected() {
        var s = Self.early()
        s.memorizationForecast = Self.forecast
        s.fold(.event(EventRecord(kind: "tau_mem", step: 10_000, fields: ["tau": 2.0, "provisional": false])))
        let text = DashboardView.render(s, width: 120, height: 36).text
        #expect(!text.contains("forecast") && !text.contains("τmem≈"))
        #expect(text.contains("τ_mem 10k"))
    }

    /// RF forecasts are in training time τ (its step size depends on n): the step comes from the run's own τ
    /// series, extrapolated linearly past its end.
    @Test func forecastInTauIsPlacedThroughTheRunsTauSeries() throws {
        var s = DashboardState(mode: .watch, glyphs: .unicode)
        s.fold(.header(SampleRun.header))
        for step in SampleRun.steps where step <= 10_000 {
            s.fold(.metrics(MetricsRecord(step: step, timeSeconds: 1, values: [("tau", 0.5 * Double(step)), ("train_loss", 1 / Double(step))])))
        }
        s.memorizationForecast = MemorizationEstimate(time: 20_000, unit: "τ", basis: "∝ n, 2 runs")
        let text = DashboardView.render(s, width: 120, height: 36).text
        #expect(text.contains("τ_mem ≈ 40k (τ 20k, forecast: ∝ n, 2 runs)"), "\(text)")
        #expect(text.contains("τmem≈"))
        // Inside the recorded range it interpolates: τ 1000 is step 2000.
        s.memorizationForecast = MemorizationEstimate(time: 1000, unit: "τ", basis: "∝ n, 2 runs")
        #expect(DashboardView.render(s, width: 120, height: 36).text.contains("τ_mem ≈ 2k (τ 1k, forecast: ∝ n, 2 runs)"))
        // Without a τ series only the time is shown, and no line.
        var bare = Self.early()
        bare.memorizationForecast = MemorizationEstimate(time: 20_000, unit: "τ", basis: "∝ n, 2 runs")
        let plain = DashboardView.render(bare, width: 120, height: 36).text
        #expect(plain.contains("τ_mem ≈ τ 20k (forecast: ∝ n, 2 runs)") && !plain.contains("τmem≈"), "\(plain)")
    }

    @Test func forecastBeyondThePlannedStepsLeavesTheAxisAlone() {
        var s = Self.early()
        s.memorizationForecast = MemorizationEstimate(time: 5_000_000, basis: "∝ n, 1 run")
        let text = DashboardView.render(s, width: 120, height: 36).text
        #expect(text.contains("τ_mem ≈ 5M (forecast: ∝ n, 1 run)"))
        #expect(!text.contains("τmem≈"), "off the chart: the run's 100k steps end first")
    }

    @Test func titleBarKeepsTheEndStateAndModeAtEveryWidth() {
        for reason in EndReason.allCases {
            var s = DashboardState(mode: .replay, glyphs: .unicode)
            s.fold([.header(SampleRun.header)] + SampleRun.records.filter { !Self.isEnd($0) } + [.end(EndRecord(step: 100_000, reason: reason))])
            s.runLabel = "run 2/5 n100-p1600.jsonl"
            for width in [40, 60, 80, 120, 200] {
                let title = DashboardView.render(s, width: width, height: 24).line(0)
                #expect(title.contains("ended: \(reason.rawValue)") && title.hasSuffix(" REPLAY "), "\(width): \(title)")
            }
            let wide = DashboardView.render(s, width: 200, height: 24).line(0)
            #expect(wide.contains("run 2/5 n100-p1600.jsonl") && wide.contains("step 100k/100k"), "\(wide)")
        }
    }

    @Test func runKeysSwitchRunsInWatchAndReplayButNotLive() {
        var s = Self.early()
        #expect(DashboardUpdate.update(&s, .key(.character("]"))) == [.switchRun(by: 1)])
        #expect(DashboardUpdate.update(&s, .key(.character("["))) == [.switchRun(by: -1)])
        var r = DashboardState(mode: .replay)
        #expect(DashboardUpdate.update(&r, .key(.character("]"))) == [.switchRun(by: 1)])
        var l = DashboardState(mode: .live)
        #expect(DashboardUpdate.update(&l, .key(.character("]"))).isEmpty)
        _ = DashboardUpdate.update(&s, .key(.character("?")))
        let help = DashboardView.render(s, width: 120, height: 36).text
        #expect(help.contains("show the next run") && help.contains("show the previous run"))
    }

    @Test func switchingRunsKeepsTheView() {
        var shown = Self.early()
        for key in ["s", "y", "o", "\t"] { _ = DashboardUpdate.update(&shown, .key(key == "\t" ? .tab : .character(Unicode.Scalar(key)!))) }
        _ = DashboardUpdate.update(&shown, .resize(width: 90, height: 30))
        var data = RunData()
        data.fold([.header(SampleRun.header)] + SampleRun.records)
        var other = shown
        other.show(data)
        #expect(other.smoothingWeight == shown.smoothingWeight && other.smoothingWeight != DashboardState(mode: .watch).smoothingWeight)
        #expect(other.logY == false && other.robustRange && other.focus == shown.focus)
        #expect(other.width == 90 && other.height == 30)
        // Smoothed again at the new weight: the legend's value is the smoothed one of the other run.
        #expect(other.smoothed["train_loss"]?.count == other.series["train_loss"]?.count)
    }
}
