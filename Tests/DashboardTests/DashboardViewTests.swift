import Phases
import RunFormat
import Testing
import TerminalUI
import Dashboard

private func state(_ mode: DashboardMode = .replay, records: [RunRecord] = SampleRun.records, glyphs: GlyphSet = .unicode) -> DashboardState {
    var s = DashboardState(mode: mode, glyphs: glyphs)
    s.fold([.header(SampleRun.header)] + records)
    return s
}

@Suite struct DashboardViewTests {
    @Test func allPanesAt120x36() {
        let s = state()
        let b = DashboardView.render(s, width: 120, height: 36)
        let text = b.text
        for title in ["Loss", "Memorization & quality", "Phase diagram", "Samples", "REPLAY"] { #expect(text.contains(title)) }
        #expect(b.line(0).contains("rf gmm n=1k p=4k") && b.line(0).contains("step 100k/100k"))
        #expect(text.contains("samples: τ_gen 1k (τ 0.3)  τ_mem 22k (τ 2.1)"))
        #expect(text.contains("this run: n=1k p=4k, memorization"))
        #expect(text.contains("`genwindow sweep`"))
        #expect(text.contains("FD·data ") && !text.contains("FID "))
        #expect(b.line(35).contains("? help"))
        // x tick labels of a log step axis from 10 to 100k
        #expect(b.lines.contains { $0.contains("10") && $0.contains("100") && $0.contains("1k") && $0.contains("10k") && $0.contains("100k") })
        #expect(text.unicodeScalars.contains { $0.value >= 0x2801 && $0.value <= 0x28FF })
    }

    @Test func legendAndSamplesFollowTheCursor() {
        var s = state()
        _ = DashboardUpdate.update(&s, .key(.character("g")))
        let first = SampleRun.steps[0]
        let text = DashboardView.render(s, width: 120, height: 36).text
        #expect(text.contains("evaluation at step \(first)"))
        #expect(text.contains("cursor \(first)"))
        #expect(text.contains("τ_gen 1k"))
    }

    @Test func windowIsShadedAndMarksDrawn() {
        var s = state(records: SampleRun.records + [.mark(MarkRecord(step: 3000, label: "stop"))])
        s.theme = .color
        let b = DashboardView.render(s, width: 120, height: 36)
        #expect(b.cells.contains { $0.style.background == Theme.color.window })
        #expect(b.text.contains("stop"))
        #expect(b.text.contains("┆"))
    }

    @Test func phaseDiagramFromASweep() {
        var s = state()
        s.sweep = [PhaseCell(n: 100, p: 4000, region: .generalization), PhaseCell(n: 1000, p: 4000, region: .generalization),
                   PhaseCell(n: 100, p: 50, region: .architectural), PhaseCell(n: 1000, p: 50, region: nil)]
        s.glyphs = .ascii
        let text = DashboardView.render(s, width: 120, height: 36).text
        // The run keeps its own classification (mem_frac 0.99 at the end: memorization), drawn over the sweep's
        // cell of the same n and p.
        #expect(text.contains("this run: n=1k p=4k, memorization"))
        #expect(!text.contains("genwindow sweep"))
        #expect(text.contains("4k GGGGGGMM*MMM"))
        #expect(text.contains("50 AAAAAA??????"))
        #expect(text.contains("*"))
    }

    @Test func smallLayoutAt40x12() {
        let b = DashboardView.render(state(), width: 40, height: 12)
        #expect(b.text.contains("Loss") && b.text.contains("f_mem"))
        #expect(!b.text.contains("terminal too small"))
        #expect(b.lines.count == 12 && b.lines.allSatisfy { $0.unicodeScalars.count == 40 })
    }

    @Test(arguments: [(39, 12), (40, 11), (20, 5)])
    func tooSmallMessage(width: Int, height: Int) {
        let text = DashboardView.render(state(), width: width, height: height).text
        #expect(text.contains("too small"))
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 2), (0, 40), (200, 0)])
    func degenerateSizes(width: Int, height: Int) {
        let b = DashboardView.render(state(), width: width, height: height)
        #expect(b.width == width && b.height == height)
    }

    @Test(arguments: [(40, 12), (80, 24), (120, 36), (200, 60), (300, 100)])
    func everyPaneZoomedAndUnzoomed(width: Int, height: Int) {
        var s = state()
        for _ in Pane.allCases {
            _ = DashboardView.render(s, width: width, height: height)
            _ = DashboardUpdate.update(&s, .key(.character("z")))
            let zoomed = DashboardView.render(s, width: width, height: height)
            #expect(zoomed.text.contains(s.focus.title))
            _ = DashboardUpdate.update(&s, .key(.character("z")))
            _ = DashboardUpdate.update(&s, .key(.tab))
        }
    }

    @Test func emptyRunAndNoHeader() {
        let waiting = DashboardView.render(DashboardState(mode: .watch), width: 120, height: 36).text
        #expect(waiting.contains("waiting for the run header"))
        var ddpm = DashboardState(mode: .live)
        ddpm.fold(.header(RunHeader(created: "", model: "ddpm", config: ["n": 64, "width": 256])))
        let live = DashboardView.render(ddpm, width: 120, height: 36).text
        #expect(live.contains("waiting for the first loss values"))
        #expect(live.contains("f_mem: waiting for the first evaluation"))
        #expect(live.contains("samples: waiting for the first evaluation"))
    }

    @Test func onePoint() {
        let one: [RunRecord] = [.metrics(MetricsRecord(step: 100, timeSeconds: 1, values: [("train_loss", 0.5), ("test_loss", 0.7), ("mem_frac", 0), ("fid", 3)]))]
        for logX in [true, false] {
            var s = state(records: one)
            if !logX { _ = DashboardUpdate.update(&s, .key(.character("x"))) }
            let b = DashboardView.render(s, width: 120, height: 36)
            #expect(b.text.contains("train 0.5") && b.text.contains("test 0.7"))
            #expect(b.text.unicodeScalars.contains { $0.value > 0x2800 && $0.value <= 0x28FF })
        }
    }

    @Test func nonFiniteValuesDoNotBreakAnything() {
        let records: [RunRecord] = [
            .metrics(MetricsRecord(step: 1, timeSeconds: 0, values: [("train_loss", nil), ("test_loss", .infinity), ("mem_frac", .nan)])),
            .metrics(MetricsRecord(step: 10, timeSeconds: 1, values: [("train_loss", 0), ("test_loss", -1), ("fid", nil)])),
            .metrics(MetricsRecord(step: 100, timeSeconds: 2, values: [("train_loss", 1e300), ("test_loss", 1e-300)])),
        ]
        for keys in [[], [Key.character("y")], [.character("o")], [.character("s"), .character("x")]] {
            var s = state(records: records)
            for k in keys { _ = DashboardUpdate.update(&s, .key(k)) }
            for (w, h) in [(120, 36), (40, 12)] {
                let b = DashboardView.render(s, width: w, height: h)
                #expect(b.text.contains("Loss"))
            }
        }
    }

    @Test func linearYAxisAndRobustRange() {
        var s = state(records: SampleRun.records + [.metrics(MetricsRecord(step: 200_000, timeSeconds: 300, values: [("test_loss", 1e6)]))])
        _ = DashboardUpdate.update(&s, .key(.character("y")))
        let spiky = DashboardView.render(s, width: 120, height: 36).text
        #expect(spiky.contains("linear y"))
        #expect(spiky.contains("1e6") || spiky.contains("1.0e6") || spiky.contains("8e5"))
        _ = DashboardUpdate.update(&s, .key(.character("o")))
        let robust = DashboardView.render(s, width: 120, height: 36).text
        #expect(robust.contains("5–95%"))
        #expect(!robust.contains("8e5"))
    }

    @Test func aMillionPointsRender() {
        var s = DashboardState(mode: .replay)
        s.fold(.header(SampleRun.header))
        var batch: [RunRecord] = []
        batch.reserveCapacity(10_000)
        for i in 1...1_000_000 {
            batch.append(.metrics(MetricsRecord(step: i, timeSeconds: Double(i) / 1000,
                                                values: [("train_loss", 1 / Double(i).squareRoot()), ("test_loss", i == 400_000 ? 9 : 0.5)])))
            if batch.count == 10_000 { s.fold(batch); batch.removeAll(keepingCapacity: true) }
        }
        _ = DashboardUpdate.update(&s, .key(.character("x")))
        let b = DashboardView.render(s, width: 200, height: 60)
        #expect(b.text.contains("step 1M"))
        #expect(b.text.contains("1M"))
        #expect(s.series["train_loss"]!.count == 1_000_000)
    }

    @Test func asciiGlyphsDrawNoBraille() {
        let b = DashboardView.render(state(glyphs: .ascii), width: 120, height: 36)
        #expect(!b.text.unicodeScalars.contains { $0.value >= 0x2800 && $0.value <= 0x28FF })
        #expect(!b.text.unicodeScalars.contains { $0.value >= 0x2580 && $0.value <= 0x259F })
        #expect(b.text.contains("+ Loss"))
    }
}
