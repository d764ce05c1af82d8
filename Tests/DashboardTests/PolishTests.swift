import Foundation
import RunFiles
import RunFormat
import Testing
import TerminalUI
@testable import Dashboard

/// A `samples` record as the DDPM engine writes it: 8×8 images, the first pair memorized (ratio 0.1).
func imageSamplesRecord(step: Int, count: Int = 3) -> RunRecord {
    let image = { (seed: Int) -> JSONValue in .array((0..<64).map { .number(Double(($0 * 37 + seed * 11) % 256)) }) }
    return .other(type: "samples", fields: [
        "step": .number(Double(step)), "shape": [8, 8],
        "samples": .array((0..<count).map { image($0) }),
        "neighbours": .array((0..<count).map { image($0 + 100) }),
        "ratios": .array((0..<count).map { .number($0 == 0 ? 0.1 : 0.9) }),
    ])
}

/// A `samples` record as the generative RF writes it: 3-d vectors, the principal axes, singular field names.
func vectorSamplesRecord(step: Int) -> RunRecord {
    .other(type: "samples", fields: [
        "step": .number(Double(step)), "tau": 12.5,
        "projection": [[1, 0, 0], [0, 1, 0]],
        "samples": [[0, 0, 5], [1, 1, 5], [2, 0.5, 5]],
        "nearest": [[0.1, 0, 0], [1, 1.2, 0], [2, 2, 0]],
        "nearest_index": [0, 1, 2],
        "ratio": [0.2, 0.8, 0.95],
    ])
}

private func state(_ extra: [RunRecord] = [], glyphs: GlyphSet = .unicode, mode: DashboardMode = .replay) -> DashboardState {
    var s = DashboardState(mode: mode, glyphs: glyphs)
    s.fold([.header(SampleRun.header)] + SampleRun.records + extra)
    return s
}

private func key(_ s: inout DashboardState, _ k: Key) -> [DashboardEffect] { DashboardUpdate.update(&s, .key(k)) }

@Suite struct SamplePreviewTests {
    @Test func readsBothProducersForms() throws {
        guard case .other(_, let f) = imageSamplesRecord(step: 5) else { return }
        let p = try SamplePreview.parse(f).get()
        guard case .images(let samples, let neighbours) = p.content else { Issue.record("not images"); return }
        #expect(p.step == 5 && samples.count == 3 && neighbours.count == 3 && samples[0].width == 8 && samples[0].height == 8)
        #expect(samples[1][1, 0] == UInt8((37 + 11) % 256))
        guard case .other(_, let g) = vectorSamplesRecord(step: 7) else { return }
        let v = try SamplePreview.parse(g).get()
        guard case .vectors(let pts, let near) = v.content else { Issue.record("not vectors"); return }
        #expect(v.tau == 12.5 && pts.map(\.0) == [0, 1, 2] && pts.map(\.1) == [0, 1, 0.5] && near[2] == (2, 2))
        #expect(v.ratios == [0.2, 0.8, 0.95])
    }

    @Test func malformedRecordGoesToTheStatusLine() {
        var s = state([.other(type: "samples", fields: ["step": 3, "samples": [[1, 2]], "ratios": [0.5], "neighbours": [[1, 2]]])])
        #expect(s.previews.isEmpty)
        #expect(s.status?.contains("neither a pixel shape nor a projection") == true)
        s.fold(imageSamplesRecord(step: 10))
        #expect(s.previews.count == 1)
    }

    @Test func imagePairsWithRatiosAndMemorizedHighlight() {
        let s = state([imageSamplesRecord(step: 100_000)])
        let b = DashboardView.render(s, width: 120, height: 36)
        #expect(b.text.contains("step 100k · 1/3 memorized (d1/d2 < 0.333)"))
        #expect(b.text.contains("MEM 0.1") && b.text.contains("0.9"))
        let blocks = b.cells.filter { $0.scalar == "▀" }
        #expect(blocks.count >= 2 * 2 * 8 * 4)   // at least two pairs of 8×4 cells at 120×36
        #expect(blocks.allSatisfy { (232...255).contains($0.style.foreground.index) || [16, 231].contains($0.style.foreground.index) })
        let mem = b.cells.first { $0.scalar == "M" && $0.style == Theme.color.memorized }
        #expect(mem != nil)
    }

    @Test func zoomedPaneShowsMoreAndAsciiHasNoBlocks() {
        var s = state([imageSamplesRecord(step: 100_000, count: 8)])
        for _ in 0..<3 { _ = key(&s, .tab) }
        _ = key(&s, .character("z"))
        #expect(s.focus == .samples && s.zoomed)
        let b = DashboardView.render(s, width: 120, height: 36)
        #expect(b.text.components(separatedBy: "0.9").count - 1 == 7)   // all 8 pairs, 7 not memorized
        var a = s
        a.glyphs = .ascii
        let t = DashboardView.render(a, width: 120, height: 36)
        #expect(t.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func vectorScatterInBraille() {
        var s = state([vectorSamplesRecord(step: 10)])
        _ = key(&s, .character("g"))
        let b = DashboardView.render(s, width: 120, height: 36)
        #expect(b.text.contains("step 10 · τ 12.5 · 1/3 memorized"))
        #expect(b.cells.contains { $0.scalar.value > 0x2800 && $0.scalar.value <= 0x28FF && $0.style == Theme.color.memorized })
    }
}

@Suite struct MarksTableTests {
    @Test func rowsValuesAndDeltas() {
        var s = state([.mark(MarkRecord(step: 1000, label: "gen")), .mark(MarkRecord(step: 20_000, label: "late")),
                       .event(EventRecord(kind: "early_stop", step: 5012, fields: ["provisional": false]))])
        #expect(MarksTable.rows(s).map(\.step) == [1000, 5012, 20_000])
        #expect(MarksTable.rows(s)[1].suggested && !MarksTable.rows(s)[0].suggested)
        _ = key(&s, .character("k"))
        #expect(s.showMarks)
        _ = key(&s, .enter)              // A = 1000
        _ = key(&s, .down); _ = key(&s, .down)
        _ = key(&s, .character(" "))     // B = 20k
        let t = MarksTable.table(s)
        #expect(t.header.prefix(3) == ["", "mark", "step"] && t.header.contains("test_loss") && t.header.contains("FD·data"))
        let testCol = t.header.firstIndex(of: "test_loss")!
        let a = s.series["test_loss"]!.value(atOrBefore: 1000)!, b = s.series["test_loss"]!.value(atOrBefore: 20_000)!
        #expect(t.rows[0][testCol] == NumberFormat.value(a) && t.rows[0][0] == "A" && t.rows[2][0] == "B" && t.rows[1][0] == "*")
        #expect(t.delta?[testCol] == (b - a > 0 ? "+" : "") + NumberFormat.value(b - a))
        #expect(t.delta?[2] == "19k")
        let screen = DashboardView.render(s, width: 120, height: 36)
        #expect(screen.text.contains("early stop (suggested)") && screen.text.contains("B − A"))
        let suggested = screen.cells.contains { $0.scalar == "e" && $0.style.foreground == Theme.color.suggested.foreground }
        #expect(suggested)
        _ = key(&s, .escape)
        #expect(!s.showMarks)
    }

    @Test func labelPromptSanitizesAndCancels() {
        var s = state()
        _ = key(&s, .character("G"))
        _ = key(&s, .character("M"))
        #expect(s.prompt == "")
        for c in "best" { _ = key(&s, .character(c.unicodeScalars.first!)) }
        _ = key(&s, .character("\u{1B}"))
        _ = key(&s, .backspace)
        _ = key(&s, .character("t"))
        #expect(DashboardView.render(s, width: 120, height: 36).line(35).contains("mark label: best_"))
        let effects = key(&s, .enter)
        #expect(effects == [.appendMark(MarkRecord(step: 100_000, label: "best"))])
        #expect(s.prompt == nil && s.marks.map(\.label) == ["best"])
        _ = key(&s, .character("M"))
        _ = key(&s, .character("x"))
        #expect(key(&s, .escape) == [])
        #expect(s.prompt == nil && s.marks.map(\.label) == ["best"])
    }

    @Test func promptFromTheTableRelabelsTheHighlightedMark() {
        var s = state([.mark(MarkRecord(step: 1000, label: "mark")), .mark(MarkRecord(step: 20_000, label: "mark"))])
        _ = key(&s, .character("k"))
        _ = key(&s, .down)
        _ = key(&s, .character("M"))
        for c in "late" { _ = key(&s, .character(c.unicodeScalars.first!)) }
        #expect(key(&s, .enter) == [.appendMark(MarkRecord(step: 20_000, label: "late"))])
        #expect(s.marks.map(\.label) == ["mark", "late"] && s.showMarks)
    }

    @Test func liveLabelGoesToTheTrainer() {
        var s = DashboardState(mode: .live)
        s.fold([.header(SampleRun.header)] + SampleRun.records.dropLast())
        _ = key(&s, .character("M"))
        _ = key(&s, .character("a"))
        #expect(key(&s, .enter) == [.requestTrainingMark(label: "a")])
    }
}

@Suite struct FallbackRenderTests {
    @Test func noColorFrameHasNoColours() {
        var s = state([imageSamplesRecord(step: 100_000)])
        s.theme = Theme.color.withoutColor()
        s.colorDepth = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": "1", "LANG": "C.UTF-8"]).colorDepth
        let b = DashboardView.render(s, width: 120, height: 36)
        #expect(b.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        #expect(!b.cells.contains { $0.scalar == "▀" })
    }

    @Test func eightColourTerminalGetsDensityRampImages() {
        var s = state([imageSamplesRecord(step: 100_000)])
        s.colorDepth = TerminalCapabilities.detect(environment: ["TERM": "xterm", "LANG": "en_US.UTF-8"]).colorDepth
        let b = DashboardView.render(s, width: 120, height: 36)
        #expect(s.colorDepth == .ansi8 && !b.cells.contains { $0.scalar == "▀" })
        #expect(b.text.contains("MEM 0.1"))
    }

    @Test func cLocaleGivesAnAllASCIIFrame() {
        let caps = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color", "LANG": "C"])
        var s = state([vectorSamplesRecord(step: 100_000), .event(EventRecord(kind: "early_stop", step: 5012))],
                      glyphs: caps.unicode ? .unicode : .ascii)
        _ = key(&s, .character("k"))
        for (w, h) in [(120, 36), (40, 12), (30, 8)] {
            let text = DashboardView.render(s, width: w, height: h).text
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(w)×\(h)")
        }
        #expect(DashboardView.render(s, width: 120, height: 36).text.contains("samples: t_gen 1k (t 0.3)"))
    }
}

@Suite struct BoundedLiveStateTests {
    @Test func recordStepsStayBounded() {
        var s = DashboardState(mode: .live, seriesCapacity: 64)
        for step in 0..<1000 { s.fold(.metrics(MetricsRecord(step: step, timeSeconds: 0, values: [("train_loss", 1)]))) }
        #expect(s.recordSteps.count <= 64 && s.recordSteps.last == 999 && s.recordSteps == s.recordSteps.sorted())
        #expect(s.series["train_loss"]!.count <= 64)
    }
}

/// The text snapshot of a sample run, compared with a golden file. `GENWINDOW_RECORD_GOLDEN=1` re-records it;
/// a missing golden fails.
@Suite struct SnapshotGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The repository's generative RF sample run (vector samples from the real producer).
    static let rfSampleRun = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-runs/rf/rf-generative-d8-p512-n8.jsonl").path

    @Test(arguments: ["image", "vector", "rf-generative"])
    func snapshotMatchesGolden(kind: String) throws {
        let records: [RunRecord]
        if kind == "rf-generative" {
            let log = try RunReader.read(path: SnapshotGoldenTests.rfSampleRun)
            records = [.header(log.header)] + log.records
        } else {
            records = [.header(SampleRun.header)] + SampleRun.records
                + [kind == "image" ? imageSamplesRecord(step: 90_000) : vectorSamplesRecord(step: 90_000),
                   .mark(MarkRecord(step: 1000, label: "good")), .event(EventRecord(kind: "early_stop", step: 2000))]
        }
        let text = Export.snapshot(records, width: 120, height: 36) + "\n"
        let path = SnapshotGoldenTests.golden.appendingPathComponent("snapshot-\(kind).txt").path
        if ProcessInfo.processInfo.environment["GENWINDOW_RECORD_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("missing golden \(path): run with GENWINDOW_RECORD_GOLDEN=1 to record it")
            return
        }
        #expect(text == expected)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 37)
    }
}

@Suite struct LargeImageTests {
    /// A Fashion-MNIST-shaped record: 28×28 pixels.
    static let record = RunRecord.other(type: "samples", fields: [
        "step": 100_000, "shape": [28, 28],
        "samples": .array((0..<4).map { k in .array((0..<784).map { .number(Double(($0 + k) % 256)) }) }),
        "neighbours": .array((0..<4).map { k in .array((0..<784).map { .number(Double((2 * $0 + k) % 256)) }) }),
        "ratios": [0.9, 0.9, 0.9, 0.9],
    ])

    @Test func downsampledInThePaneFullSizeWhenZoomed() {
        #expect(SamplesPane.fitFactor(width: 28, height: 28, in: Rect(x: 0, y: 0, width: 49, height: 5)) == 4)
        #expect(SamplesPane.fitFactor(width: 28, height: 28, in: Rect(x: 0, y: 0, width: 118, height: 32)) == 1)
        #expect(SamplesPane.fitFactor(width: 8, height: 8, in: Rect(x: 0, y: 0, width: 49, height: 5)) == 1)
        var s = DashboardState(mode: .replay)
        s.fold([.header(SampleRun.header)] + SampleRun.records + [LargeImageTests.record])
        let small = DashboardView.render(s, width: 120, height: 36)
        // three 7×4-cell pairs fit beside each other in the 49-column pane
        #expect(small.cells.filter { $0.scalar == "▀" }.count == 3 * 2 * 7 * 4)
        for _ in 0..<3 { _ = DashboardUpdate.update(&s, .key(.tab)) }
        _ = DashboardUpdate.update(&s, .key(.character("z")))
        let zoomed = DashboardView.render(s, width: 120, height: 36)
        // two 28×14-cell pairs per row, two rows
        #expect(zoomed.cells.filter { $0.scalar == "▀" }.count == 4 * 2 * 28 * 14)
    }
}
