import RunFormat
import Testing
import TerminalUI
import Dashboard

private func render(_ state: DashboardState, width: Int = 120, height: Int = 36) -> CellBuffer {
    DashboardView.render(state, width: width, height: height)
}

/// An RF run's header as `train --model rf` writes it, with or without `--generative`.
private func rfHeader(generative: Bool) -> RunHeader {
    var config: JSONObject = ["data": "gaussian", "d": 25, "p": 1600, "n": 100, "t": 0.1]
    if generative { config["generative"] = true }
    return RunHeader(created: "2026-12-04T00:00:00Z", model: "rf", config: config)
}

private func lossRecords() -> [RunRecord] {
    (1...30).map { k in
        let step = k * 10
        return .metrics(MetricsRecord(step: step, timeSeconds: Double(k), values: [
            ("train_loss", 1.0 / Double(k)), ("test_loss", 1.0 + 0.01 * Double(k)), ("gen_loss", 1e-6 * Double(k * k)),
        ]))
    }
}

/// What each pane says when it has nothing to draw, and the readability fixes of the loss chart, FID sparkline
/// and header.
@Suite struct PaneTextTests {
    @Test func rfRunWithoutGenerativeNamesTheFlagInsteadOfWaiting() {
        var s = DashboardState(mode: .live)
        s.fold([.header(rfHeader(generative: false))] + lossRecords())
        let text = render(s).text
        #expect(text.contains("no samples: RF run without --generative"))
        #expect(!text.contains("waiting for the first evaluation"))
        #expect(!text.contains("not measured yet"))
    }

    @Test func generativeRunWaitsForItsFirstEvaluation() {
        var s = DashboardState(mode: .live)
        s.fold([.header(rfHeader(generative: true))] + lossRecords())
        let text = render(s).text
        #expect(text.contains("f_mem: waiting for the first evaluation"))
        #expect(!text.contains("--generative"))
    }

    @Test func replayOfAFileWithoutMetricsSaysSo() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(rfHeader(generative: true)), .end(EndRecord(step: 0, reason: .interrupted))])
        let text = render(s).text
        #expect(text.contains("this run file has no metrics records"))
        #expect(text.contains("this run recorded no samples"))
        #expect(!text.contains("waiting"))
    }

    @Test func lossBasedTimesAreShownWithTheirBasis() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(rfHeader(generative: false))] + lossRecords() + [
            .event(EventRecord(kind: "tau_gen", step: 40, fields: ["basis": "loss", "tau": 7.5, "provisional": false])),
            .event(EventRecord(kind: "tau_mem", step: 250, fields: ["basis": "loss", "tau": 1200, "provisional": true])),
        ])
        let text = render(s).text
        #expect(text.contains("loss: τ_gen 40 (τ 7.5)  τ_mem 250 (τ 1200)?"), "\(text)")
        #expect(!text.contains("samples: τ_gen"))
    }

    @Test func theTestLossRiseIsShownUntilTauMemIsLocated() {
        var s = DashboardState(mode: .live)
        s.fold([.header(rfHeader(generative: false))] + lossRecords() + [
            .event(EventRecord(kind: "tau_gen", step: 40, fields: ["basis": "loss", "tau": 7.5, "provisional": false])),
            .event(EventRecord(kind: "test_loss_rise", step: 120, fields: ["basis": "loss", "tau": 300, "rise": 0.1, "provisional": false])),
        ])
        var text = render(s).text
        #expect(text.contains("loss: τ_gen 40 (τ 7.5)  τ_mem –") && text.contains("loss: test loss +10% at 120 (τ 300)"), "\(text)")
        #expect(text.contains("test+10%"), "\(text)")
        s.fold([.event(EventRecord(kind: "tau_mem", step: 250, fields: ["basis": "loss", "tau": 1200, "provisional": false]))])
        text = render(s).text
        #expect(text.contains("loss: τ_gen 40 (τ 7.5)  τ_mem 250 (τ 1200)") && !text.contains("test loss +10%"), "\(text)")
    }

    @Test func timesWithoutABasisInAnOlderRFFileAreLossBased() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(rfHeader(generative: false))] + lossRecords() + [
            .event(EventRecord(kind: "tau_gen", step: 40, fields: ["tau": 7.5, "provisional": false])),
            .event(EventRecord(kind: "tau_mem", step: 250, fields: ["tau": 1200, "provisional": false])),
        ])
        let text = render(s).text
        #expect(text.contains("loss: τ_gen 40 (τ 7.5)  τ_mem 250 (τ 1200)"), "\(text)")
        #expect(!text.contains("samples: τ_gen"))
    }

    @Test func provisionalTimesAreDottedAndMarked() {
        var s = DashboardState(mode: .live)
        s.fold([.header(rfHeader(generative: false))] + lossRecords() + [
            .event(EventRecord(kind: "tau_gen", step: 40, fields: ["basis": "loss", "provisional": false])),
            .event(EventRecord(kind: "tau_mem", step: 200, fields: ["basis": "loss", "provisional": true])),
        ])
        let b = render(s)
        #expect(b.text.contains("τmem?") && b.text.contains("τgen") && !b.text.contains("τgen?"), "\(b.text)")
        // The provisional line is dotted: its column has gaps the final one does not.
        let rows = (3..<20).map { b.line($0) }
        let dashed = rows.map { $0.filter { $0 == "┆" }.count }
        #expect(dashed.contains { $0 == 1 } && dashed.contains { $0 == 2 }, "\(rows.joined(separator: "\n"))")
    }

    @Test func noWindowWhenMemorizationComesFirst() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(rfHeader(generative: true))] + lossRecords() + [
            .event(EventRecord(kind: "tau_mem", step: 50, fields: ["provisional": false])),
            .event(EventRecord(kind: "tau_gen", step: 200, fields: ["provisional": false])),
        ])
        var withWindow = s
        withWindow.fold(.event(EventRecord(kind: "tau_mem", step: 250, fields: ["provisional": false])))
        let text = render(s).text
        #expect(text.contains("samples: no window, τ_mem 50 ≤ τ_gen 200"), "\(text)")
        // Cells of the loss pane (the left 68 columns) on the window's background.
        let shaded = { (b: CellBuffer) in (0..<b.height).reduce(0) { n, y in
            n + (0..<68).filter { b[$0, y].style.background == s.theme.window }.count } }
        #expect(shaded(render(s)) == 0, "a window is shaded where there is none")
        #expect(shaded(render(withWindow)) > 0)
    }

    @Test func frechetDistancesAreNamedByTheirFeatureSpace() {
        #expect(FrechetLabel.label(features: "data", data: "digits") == "FD·pixels")
        #expect(FrechetLabel.label(features: nil, data: "gaussian") == "FD·data")
        #expect(FrechetLabel.label(features: "classifier", data: "digits") == "FD·classifier")
        #expect(FrechetLabel.label(features: "inception", data: "png:cifar") == "FID")
        #expect(FrechetLabel.column(features: "data", data: "digits") == "fd_pixels")
        var s = DashboardState(mode: .replay)
        s.fold([.header(RunHeader(created: "", model: "ddpm", config: ["n": 64, "width": 256, "data": "digits", "fid_features": "data"]))]
               + [.metrics(MetricsRecord(step: 100, timeSeconds: 1, values: [("fid", 40), ("mem_frac", 0)], extra: ["fid_features": "data"]))])
        let text = render(s).text
        #expect(text.contains("FD·pixels ") && !text.contains("FID"), "\(text)")
        let csv = Export.csv([.header(RunHeader(created: "", model: "ddpm", config: ["data": "digits", "fid_features": "data"])),
                              .metrics(MetricsRecord(step: 1, timeSeconds: 0, values: [("fid", 3)]))])
        #expect(csv.hasPrefix("step,fd_pixels,"), "\(csv)")
    }

    @Test func endedLiveRunNoLongerSaysLive() {
        var s = DashboardState(mode: .live)
        s.fold([.header(rfHeader(generative: false))] + lossRecords())
        #expect(render(s).line(0).contains("LIVE"))
        s.fold(.end(EndRecord(step: 300, reason: .completed)))
        let header = render(s).line(0)
        #expect(!header.contains("LIVE"))
        #expect(header.contains("training ended: completed"))
        var stopped = DashboardState(mode: .live)
        stopped.fold([.header(rfHeader(generative: false))] + lossRecords())
        stopped.fold(.end(EndRecord(step: 300, reason: .earlyStop, extra: ["stop_when": "tau_mem"])))
        #expect(render(stopped).line(0).contains("training ended: early_stop"))
        var failed = DashboardState(mode: .live)
        failed.fold([.header(rfHeader(generative: false))] + lossRecords())
        _ = DashboardUpdate.update(&failed, .run(.failed("disk full")))
        #expect(render(failed).line(0).contains("training failed") && !render(failed).line(0).contains("LIVE"))
    }

    @Test func gapHasItsOwnPanelSoTheLossesUseTheWholeChart() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(rfHeader(generative: false))] + lossRecords())
        let b = render(s)
        let text = b.text
        #expect(text.contains("gap=test−train"))
        #expect(text.contains("lines EMA 0.6"))
        #expect(text.contains("test 1.3 "), "the legend shows the raw value at the cursor:\n\(text)")
        // The main chart's y axis spans the losses (0.033…1.3), not the gap's 1e-6: no tick below 0.01 above
        // the gap panel.
        let lines = (0..<b.height).map { b.line($0) }
        guard let gapRow = lines.firstIndex(where: { $0.contains("│gap") || $0.contains("┤gap") }) else {
            Issue.record("no gap panel:\n\(text)")
            return
        }
        let mainTicks = lines[2..<gapRow].joined()
        #expect(!mainTicks.contains("1e-"), "the main chart's range is set by the gap:\n\(text)")
    }

    @Test func fidSparklineShowsItsMinimumOnALogScale() {
        var s = DashboardState(mode: .replay)
        let fids = [7.8e9, 1e6, 3e3, 100, 40, 35, 50, 60]
        s.fold([.header(RunHeader(created: "", model: "ddpm", config: ["n": 64, "width": 256]))]
               + fids.enumerated().map { k, f in .metrics(MetricsRecord(step: (k + 1) * 100, timeSeconds: 1, values: [("fid", f), ("mem_frac", 0)])) })
        let text = render(s).text
        guard let row = text.split(separator: "\n").first(where: { $0.contains("FD·data ") && $0.contains("█") }) else {
            Issue.record("no FID sparkline:\n\(text)")
            return
        }
        // On a linear scale every value after the first is the lowest bar; here the minimum (35) is the lowest
        // and the rise after it (50, 60) and the fall before it (3e3, 100) stand above it.
        let bars = Array(row.filter { "▁▂▃▄▅▆▇█".contains($0) })
        let level = { (c: Character) in Array("▁▂▃▄▅▆▇█").firstIndex(of: c)! }
        #expect(bars.count == fids.count, "\(row)")
        #expect(level(bars[5]) == 0 && level(bars[7]) > 0 && level(bars[3]) > 0 && level(bars[2]) > level(bars[3]), "\(row)")
        #expect(text.contains("log scale"))
    }
}

/// The usual default terminal, 80×24: every pane, a footer that never runs into the cursor field, a help
/// overlay that scrolls, and a note naming what a smaller terminal hides.
@Suite struct SmallTerminalTests {
    private func replay() -> DashboardState {
        var s = DashboardState(mode: .replay)
        s.fold([.header(SampleRun.header)] + SampleRun.records)
        _ = DashboardUpdate.update(&s, .key(.left))
        return s
    }

    @Test func allFourPanesAt80x24() {
        let text = render(replay(), width: 80, height: 24).text
        for pane in Pane.allCases where pane != .runs { #expect(text.contains(pane.title), "\(pane.title) missing at 80×24:\n\(text)") }
        #expect(text.contains("τmem"), "the τmem label is hidden:\n\(text)")
    }

    @Test func footerHintsStopBeforeTheCursorField() {
        for width in [60, 70, 80, 90] {
            let footer = render(replay(), width: width, height: 24).line(23)
            guard let cursor = footer.range(of: "cursor ") else {
                Issue.record("no cursor field at width \(width): \(footer)")
                continue
            }
            let before = footer[..<cursor.lowerBound]
            #expect(before.hasSuffix(" "), "a hint runs into the cursor field at width \(width): \(footer)")
            #expect(!before.trimmingCharacters(in: .whitespaces).hasSuffix("zoo"))
        }
    }

    @Test func helpOverlayScrollsToEveryBinding() {
        var s = replay()
        _ = DashboardUpdate.update(&s, .key(.character("?")))
        let first = render(s, width: 80, height: 24).text
        #expect(first.contains("more: ↓ or PgDn scrolls"))
        let last = KeyBindings.bindings(in: .replay).last!.summary
        #expect(!first.contains(last))
        for _ in 0..<40 { _ = DashboardUpdate.update(&s, .key(.down)) }
        let scrolled = render(s, width: 80, height: 24).text
        #expect(scrolled.contains(last), "the last binding is never shown:\n\(scrolled)")
        #expect(scrolled.contains("above"))
        #expect(s.showHelp)
    }

    @Test func smallerTerminalNamesTheHiddenPanes() {
        let text = render(replay(), width: 70, height: 20).text
        #expect(text.contains("phase, samples: Tab then z"))
    }
}
