@testable import Dashboard
import Foundation
import RunFormat
import TerminalUI
import Testing
import Workspace

/// The pure session: scripted events on a manual clock, checked on its effects and on the frames it renders.
@Suite struct SessionTests {
    static func run(_ name: String, n: Int) -> RunKey { RunKey(path: "/runs/\(name).jsonl", name: "\(name).jsonl") }

    static func header(n: Int) -> RunHeader {
        var h = SampleRun.header
        h.config["n"] = .number(Double(n))
        return h
    }

    static func session(_ mode: DashboardMode, sources: Int = 1, interval: Double? = 0.25, sweepDirectory: String? = nil,
                        waiting: String? = nil) -> SessionState {
        SessionState(screen: DashboardState(mode: mode, width: 120, height: 36), pollIntervals: Array(repeating: interval, count: sources),
                     sweepDirectory: sweepDirectory, waiting: waiting, now: 0)
    }

    static func news(_ run: RunKey, _ changes: RunChange...) -> SessionEvent {
        .updates(source: 0, changes.map { SourceUpdate(run: run, change: $0) })
    }

    /// Compares a frame with `Golden/session-NAME.txt` (`GENWINDOW_RECORD_GOLDEN=1` records it).
    static func expectGolden(_ name: String, _ frame: CellBuffer?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let frame = try #require(frame, sourceLocation: sourceLocation)
        let text = frame.text + "\n"
        let path = SnapshotGoldenTests.golden.appendingPathComponent("session-\(name).txt").path
        if ProcessInfo.processInfo.environment["GENWINDOW_RECORD_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try #require(try? String(contentsOfFile: path, encoding: .utf8),
                                    "missing golden \(path): run with GENWINDOW_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
        #expect(text == expected, sourceLocation: sourceLocation)
    }

    @Test func switchingAmongThreeFollowedRunsKeepsTheView() throws {
        var s = Self.session(.watch, waiting: "waiting for a run file (.jsonl) to appear in /runs…")
        #expect(s.screen.status?.hasPrefix("waiting for a run file") == true)
        let runs = [("n100", 100), ("n200", 200), ("n400", 400)].map { Self.run($0.0, n: $0.1) }
        // The folder reports its newest run first: that one is shown.
        _ = s.update(Self.news(runs[1], .header(Self.header(n: 200)), .records(SampleRun.records)))
        _ = s.update(Self.news(runs[0], .header(Self.header(n: 100)), .records(SampleRun.records)))
        _ = s.update(Self.news(runs[2], .header(Self.header(n: 400)), .records(Array(SampleRun.records.prefix(20)))))
        #expect(s.shown == runs[1] && s.runs == runs && s.screen.status == nil)
        #expect(s.screen.runLabel == "run 2/3 n200.jsonl")
        for key in ["+", "+", "y"] { _ = s.update(.key(.character(Unicode.Scalar(key)!))) }
        _ = s.update(.key(.left))
        #expect(s.update(.key(.character("]"))).isEmpty)
        #expect(s.shown == runs[2] && s.screen.runLabel == "run 3/3 n400.jsonl" && s.screen.n == 400)
        #expect(s.screen.zoomLevel == 2 && !s.screen.logY && s.screen.cursor == nil, "the view goes along, the cursor follows the newest")
        #expect(s.screen.recordSteps.count < SampleRun.steps.count)
        try Self.expectGolden("third-run", s.frame(now: 0))
        _ = s.update(.key(.character("]")))
        #expect(s.shown == runs[0] && s.screen.n == 100)
        _ = s.update(.key(.character("[")))
        _ = s.update(.key(.character("[")))
        #expect(s.shown == runs[1] && s.screen.n == 200 && s.screen.recordSteps.count == SampleRun.steps.count)
        // A run not on screen keeps folding its news.
        _ = s.update(Self.news(runs[2], .records(Array(SampleRun.records.dropFirst(20)))))
        _ = s.update(.key(.character("]")))
        #expect(s.screen.recordSteps.count == SampleRun.steps.count && s.screen.end != nil)
    }

    @Test func aRunFileReplacedUnderTheFollowerKeepsZoomAndCursor() throws {
        var s = Self.session(.watch)
        let run = Self.run("run", n: 1000)
        _ = s.update(Self.news(run, .header(SampleRun.header), .records(SampleRun.records)))
        for key: Key in [.character("+"), .left, .left, .left] { _ = s.update(.key(key)) }
        let cursor = s.screen.cursor
        #expect(cursor != nil && s.screen.zoomLevel == 1)
        _ = s.update(Self.news(run, .restarted))
        #expect(!s.screen.hasHeader && s.screen.status == "the run file was replaced; reading it again")
        _ = s.update(Self.news(run, .header(SampleRun.header), .records(SampleRun.records)))
        #expect(s.screen.cursor == cursor && s.screen.zoomLevel == 1 && s.screen.status == nil)
        try Self.expectGolden("replaced", s.frame(now: 0))
    }

    @Test func theForecastAppearsFromTheSweepAndGoesAtTauMem() throws {
        var s = Self.session(.watch, sweepDirectory: "/sweep")
        #expect(s.update(.tick(0)) == [.poll(source: 0), .readSweep(directory: "/sweep")])
        #expect(s.update(.tick(0.1)).isEmpty)
        #expect(s.update(.tick(0.25)) == [.poll(source: 0)])
        let run = Self.run("n1000", n: 1000)
        let early = SampleRun.records.filter { ($0.step ?? 0) < 5000 && !($0.isEvent("tau_mem")) }
        _ = s.update(Self.news(run, .header(SampleRun.header), .records(early)))
        var snapshot = SweepSnapshot()
        let settings = SweepSnapshot.settingsKey(SampleRun.header)
        snapshot.runs = [.init(name: "n500.jsonl", settings: settings, n: 500, tauMem: 10_000, unit: "steps"),
                         .init(name: "n1000.jsonl", settings: settings, n: 1000, tauMem: nil, unit: "steps")]
        snapshot.cells = [PhaseCell(n: 500, p: 4000, region: .memorization)]
        _ = s.update(.sweepRead(snapshot))
        #expect(abs((s.screen.memorizationForecast?.time ?? 0) - 20_000) < 1e-6 && s.screen.sweep.count == 1)
        let forecastFrame = s.frame(now: 1)
        let withForecast = try #require(forecastFrame).text
        #expect(withForecast.contains("forecast"), "\(withForecast)")
        // tau_mem detected: the forecast is no longer drawn; a run that ends asks for the sweep at once.
        let effects = s.update(Self.news(run, .records(SampleRun.records.filter { ($0.step ?? 0) >= 5000 || $0.isEvent("tau_mem") })))
        #expect(effects.contains(.readSweep(directory: "/sweep")))
        let detectedFrame = s.frame(now: 2)
        let detected = try #require(detectedFrame).text
        #expect(!detected.contains("forecast"), "\(detected)")
        // An unreadable sweep keeps the last reading.
        _ = s.update(.sweepRead(nil))
        #expect(s.screen.sweep.count == 1)
    }

    @Test func aMarkIsAppendedOnceToTheRunShownAndUndoneWhenItCannotBe() {
        var s = Self.session(.replay, interval: nil)
        let run = Self.run("run", n: 1000)
        #expect(s.update(.tick(0)) == [.poll(source: 0)])
        #expect(s.update(.tick(1)).isEmpty, "a source without an interval is polled once")
        _ = s.update(Self.news(run, .records([.header(SampleRun.header)] + SampleRun.records), .finished))
        _ = s.update(.key(.left))
        let step = s.screen.cursorStep!
        let effects = s.update(.key(.character("m")))
        #expect(effects == [.append(.mark(MarkRecord(step: step, label: "mark")), run: run, source: 0)])
        #expect(s.screen.marks.map(\.step) == [step])
        #expect(s.update(.key(.right)).isEmpty, "nothing more is written")
        _ = s.update(.markNotSaved(step: step, message: "read-only"))
        #expect(s.screen.marks.isEmpty && s.screen.status == "mark not saved: read-only")
    }

    @Test func aResizeStormDrawsOneFrameAtTheLastSize() {
        var s = Self.session(.replay, interval: nil)
        #expect(s.update(.tick(0)) == [.poll(source: 0)])
        _ = s.update(Self.news(Self.run("run", n: 1000), .records([.header(SampleRun.header)] + SampleRun.records)))
        #expect(s.frame(now: 0) != nil)
        var frames: [CellBuffer] = []
        for i in 0..<200 {
            _ = s.update(.resize(width: 60 + i % 90, height: 20 + i % 30))
            if let f = s.frame(now: 0.01 + Double(i) * 0.0001) { frames.append(f) }
        }
        #expect(frames.isEmpty, "at most one frame per 50 ms")
        #expect(s.deadline == 0.05)
        let last = s.frame(now: 0.05)
        #expect(last?.width == 60 + 199 % 90 && last?.height == 20 + 199 % 30)
        #expect(s.frame(now: 0.2) == nil && s.deadline == nil, "idle: nothing to draw, nothing to wait for")
    }

    @Test func pauseResumeAndStopGoToTheLiveJob() {
        var s = Self.session(.live, interval: nil)
        let run = Self.run("live", n: 1000)
        _ = s.update(Self.news(run, .started(label: nil), .header(SampleRun.header), .records(Array(SampleRun.records.prefix(10)))))
        #expect(s.update(.key(.character(" "))) == [.training(.setPaused(true))])
        #expect(s.screen.paused == true)
        #expect(s.update(.key(.character(" "))) == [.training(.setPaused(false))])
        #expect(s.update(.key(.character("m"))) == [.training(.mark(label: "mark"))])
        #expect(s.update(.key(.character("q"))).isEmpty && s.screen.confirmingQuit)
        #expect(s.update(.key(.character("n"))).isEmpty && !s.screen.confirmingQuit && !s.quitting)
        _ = s.update(.key(.character("q")))
        #expect(s.update(.key(.character("y"))) == [.training(.stop), .quit] && s.quitting)
    }

    @Test func theNextLiveRunReplacesTheLastAndMarksGoToItsFile() {
        var s = Self.session(.live, interval: nil)
        let first = Self.run("n4-p512", n: 4), second = Self.run("n16-p512", n: 16)
        _ = s.update(Self.news(first, .started(label: "demo 1/12"), .header(Self.header(n: 4)), .records(SampleRun.records)))
        _ = s.update(.key(.character("+")))
        #expect(s.screen.runLabel == "demo 1/12")
        _ = s.update(Self.news(second, .started(label: "demo 2/12")))
        #expect(s.runs == [second] && s.shown == second && !s.screen.hasHeader && s.screen.zoomLevel == 1)
        #expect(s.screen.runLabel == "demo 2/12")
        _ = s.update(Self.news(second, .header(Self.header(n: 16)), .records(SampleRun.records)))
        // Ended: marks go to the run's file, at the cursor.
        let effects = s.update(.key(.character("m")))
        #expect(effects == [.append(.mark(MarkRecord(step: 100_000, label: "mark")), run: second, source: 0)])
    }

    @Test func progressIsRoutineAndPollsFollowTheirIntervals() {
        var s = Self.session(.watch, sources: 2)
        #expect(s.update(.tick(0)) == [.poll(source: 0), .poll(source: 1)])
        _ = s.frame(now: 0)
        _ = s.update(.updates(source: 1, [SourceUpdate(run: Self.run("a", n: 1), change: .progress(TrainingProgress(
            step: 5, totalSteps: 10, elapsedSeconds: 1, stepsPerSecond: 5)))]))
        #expect(s.frame(now: 0.1) == nil && s.frame(now: 0.25) != nil, "progress alone redraws at 4 frames per second")
        #expect(s.deadline == 0.25)
        #expect(s.update(.tick(0.3)) == [.poll(source: 0), .poll(source: 1)])
        #expect(s.deadline == 0.55)
    }
}

extension RunRecord {
    func isEvent(_ kind: String) -> Bool {
        if case .event(let e) = self { e.kind == kind } else { false }
    }
}

/// The runs pane: rows, pinning with stable colours, the filter, stalled runs.
@Suite struct RunsPaneTests {
    static func folder() -> SessionState {
        var s = SessionTests.session(.watch, waiting: "waiting…")
        for (name, n, labels) in [("n32", 32, "true"), ("n64", 64, "true"), ("n64-random", 64, "random")] {
            var h = SessionTests.header(n: n)
            h.config["labels"] = .string(labels)
            let records = name == "n32" ? Array(SampleRun.records.prefix(30)) : SampleRun.records
            _ = s.update(SessionTests.news(SessionTests.run(name, n: n), .header(h), .records(records)))
        }
        return s
    }

    @Test func rowsPinsAndTheOverlay() throws {
        var s = Self.folder()
        _ = s.update(.key(.character("r")))
        #expect(s.screen.showRuns && s.screen.focus == .runs)
        let w = s.screen.workspace
        #expect(w.rows.map(\.key.name) == ["n32.jsonl", "n64-random.jsonl", "n64.jsonl"])
        #expect(w.settingNames == ["n", "labels"] && w.rows[1].settings == ["64", "random"])
        #expect(w.rows[0].status == "running" && w.rows[1].status == "completed" && w.rows[1].tauMem == 21_544)
        #expect(w.shown?.name == "n32.jsonl")
        // Pin the two others: their curves are drawn under the run shown, in colours from their names.
        _ = s.update(.key(.down))
        _ = s.update(.key(.character(" ")))
        _ = s.update(.key(.down))
        _ = s.update(.key(.character(" ")))
        #expect(s.screen.workspace.pinned.map(\.key.name) == ["n64-random.jsonl", "n64.jsonl"])
        #expect(s.screen.workspace.pinned.map(\.colorIndex) == [WorkspaceView.colorIndex(of: "n64-random.jsonl"), WorkspaceView.colorIndex(of: "n64.jsonl")])
        #expect(WorkspaceView.colorIndex(of: "n64.jsonl") == WorkspaceView.colorIndex(of: "n64.jsonl") && WorkspaceView.colorIndex(of: "n64.jsonl") != WorkspaceView.colorIndex(of: "n64-random.jsonl"))
        try SessionTests.expectGolden("runs-pane-pinned", s.frame(now: 0))
        // Enter shows the highlighted run; it leaves the overlay (it is on screen itself).
        _ = s.update(.key(.enter))
        #expect(s.shown?.name == "n64.jsonl" && s.screen.workspace.pinned.map(\.key.name) == ["n64-random.jsonl"])
        // Unpin; Tab leaves the pane and keys act on the dashboard again.
        _ = s.update(.key(.up))
        _ = s.update(.key(.character(" ")))
        #expect(s.screen.workspace.pinned.isEmpty)
        _ = s.update(.key(.tab))
        #expect(s.screen.focus == .loss)
        _ = s.update(.key(.character("r")))
        #expect(!s.screen.showRuns)
        _ = s.update(.key(.tab))
        _ = s.update(.key(.tab))
        _ = s.update(.key(.tab))
        _ = s.update(.key(.tab))
        #expect(s.screen.focus == .loss, "a hidden runs pane is not in the focus order")
    }

    @Test func atMostEightPins() {
        var s = SessionTests.session(.watch, waiting: "waiting…")
        for i in 0..<10 { _ = s.update(SessionTests.news(SessionTests.run("r\(i)", n: i + 1), .header(SessionTests.header(n: i + 1)))) }
        _ = s.update(.key(.character("r")))
        for _ in 0..<10 {
            _ = s.update(.key(.character(" ")))
            _ = s.update(.key(.down))
        }
        #expect(s.screen.workspace.rows.filter { $0.pinColor != nil }.count == 8)
        #expect(s.screen.status?.hasPrefix("at most 8 runs are pinned") == true)
    }

    @Test func theFilterQueryAndItsErrors() {
        var s = Self.folder()
        _ = s.update(.key(.character("r")))
        for c in "/labels=random n>=64" { _ = s.update(.key(.character(c.unicodeScalars.first!))) }
        #expect(s.screen.workspace.filterPrompt == "labels=random n>=64")
        _ = s.update(.key(.enter))
        #expect(s.screen.workspace.rows.map(\.key.name) == ["n64-random.jsonl"] && s.screen.workspace.total == 3)
        for c in "/" { _ = s.update(.key(.character(c.unicodeScalars.first!))) }
        for _ in 0..<20 { _ = s.update(.key(.backspace)) }
        for c in "n>=lots" { _ = s.update(.key(.character(c.unicodeScalars.first!))) }
        _ = s.update(.key(.enter))
        #expect(s.screen.status == "filter: n>=lots: >= compares numbers, lots is not one")
        #expect(s.screen.workspace.rows.count == 1, "a bad query keeps the last good one")
        _ = s.update(.key(.character("/")))
        for _ in 0..<30 { _ = s.update(.key(.backspace)) }
        _ = s.update(.key(.enter))
        #expect(s.screen.workspace.rows.count == 3)
    }

    @Test func aSilentRunStallsOnTheManualClock() {
        var s = SessionTests.session(.watch, waiting: "waiting…")
        let run = SessionTests.run("slow", n: 8)
        _ = s.update(.tick(10))
        _ = s.update(SessionTests.news(run, .header(SessionTests.header(n: 8)), .records(Array(SampleRun.records.prefix(5)))))
        _ = s.update(.key(.character("r")))
        _ = s.update(.tick(300))
        #expect(s.screen.workspace.rows.first?.status == "running")
        _ = s.update(.tick(311))
        #expect(s.screen.workspace.rows.first?.status == "stalled")
        _ = s.update(SessionTests.news(run, .records([SampleRun.records[5]])))
        #expect(s.screen.workspace.rows.first?.status == "running")
    }
}

/// Events that become final while watching are announced once each: a notify effect (bell and `--on-event`)
/// and the status line.
@Suite struct FinalEventTests {
    static func notifications(_ effects: [SessionEffect]) -> [FinalEvent] {
        effects.compactMap { if case .notify(let e) = $0 { e } else { nil } }
    }

    @Test func announcedOnceNotFromHistoryNorWhileProvisional() {
        var s = SessionTests.session(.watch)
        let run = SessionTests.run("run", n: 1000)
        // The history (a run's first news) is not announced, though it holds a final tau_gen.
        let history = SampleRun.records.filter { ($0.step ?? 0) < 2000 }
        #expect(Self.notifications(s.update(SessionTests.news(run, .header(SampleRun.header), .records(history)))).isEmpty)
        let provisional = RunRecord.event(EventRecord(kind: "tau_mem", step: 3000, fields: ["tau": 1.5, "provisional": true]))
        #expect(Self.notifications(s.update(SessionTests.news(run, .records([provisional])))).isEmpty)
        let final = RunRecord.event(EventRecord(kind: "tau_mem", step: 3500, fields: ["tau": 1.7, "provisional": false]))
        let events = Self.notifications(s.update(SessionTests.news(run, .records([final]))))
        #expect(events == [FinalEvent(kind: "tau_mem", step: 3500, run: run, value: 1.7)])
        #expect(s.screen.status == "tau_mem at step 3500 in run.jsonl (1.7)")
        #expect(Self.notifications(s.update(SessionTests.news(run, .records([final])))).isEmpty, "once")
        let stop = RunRecord.event(EventRecord(kind: "early_stop", step: 3000, fields: ["fid": 2.5]))
        let diverged = RunRecord.end(EndRecord(step: 4000, reason: .diverged))
        let more = Self.notifications(s.update(SessionTests.news(run, .records([stop, diverged]))))
        #expect(more.map(\.kind) == ["early_stop", "diverged"] && more[0].value == 2.5)
    }

    @Test func aRunThatStopsItselfAnnouncesItsStopOnceUnlessItsEventCameFirst() {
        var s = SessionTests.session(.watch)
        let run = SessionTests.run("run", n: 1000)
        _ = s.update(SessionTests.news(run, .header(SampleRun.header), .records(Array(SampleRun.records.prefix(3)))))
        let end = RunRecord.end(EndRecord(step: 4000, reason: .earlyStop, extra: ["stop_when": "fid-min", "best_fid": 3.5]))
        #expect(Self.notifications(s.update(SessionTests.news(run, .records([end])))) == [FinalEvent(kind: "early_stop", step: 4000, run: run, value: 3.5)])
        var t = SessionTests.session(.watch)
        _ = t.update(SessionTests.news(run, .header(SampleRun.header), .records(Array(SampleRun.records.prefix(3)))))
        let event = RunRecord.event(EventRecord(kind: "early_stop", step: 1200, fields: ["provisional": false]))
        let restored = RunRecord.end(EndRecord(step: 4000, reason: .earlyStop, extra: ["stop_when": "window", "restored_step": 1200]))
        #expect(Self.notifications(t.update(SessionTests.news(run, .records([event, restored])))).map(\.step) == [1200])
    }

    @Test func aSilentRunStallsOnceUntilItSpeaksAgain() {
        var s = SessionTests.session(.watch)
        let run = SessionTests.run("run", n: 1000)
        _ = s.update(.tick(0))
        _ = s.update(SessionTests.news(run, .header(SampleRun.header), .records(Array(SampleRun.records.prefix(5)))))
        #expect(Self.notifications(s.update(.tick(299))).isEmpty)
        #expect(Self.notifications(s.update(.tick(301))).map(\.kind) == ["stalled"])
        #expect(Self.notifications(s.update(.tick(400))).isEmpty)
        _ = s.update(SessionTests.news(run, .records([SampleRun.records[5]])))
        #expect(Self.notifications(s.update(.tick(702))).map(\.kind) == ["stalled"])
    }

    @Test func replayAndLiveAnnounceNothing() {
        for mode in [DashboardMode.replay, .live] {
            var s = SessionTests.session(mode, interval: nil)
            let run = SessionTests.run("run", n: 1000)
            _ = s.update(SessionTests.news(run, .header(SampleRun.header)))
            #expect(Self.notifications(s.update(SessionTests.news(run, .records(SampleRun.records)))).isEmpty)
        }
    }
}

/// Seeds as bands: runs that differ only in `seed` drawn as their mean with a band, their times as mean ± sd.
@Suite struct SeedBandTests {
    /// Three seeds of one setting (losses scaled per seed, tau_mem at different steps) and a run of another n.
    static func session() -> SessionState {
        var s = SessionTests.session(.replay, interval: nil)
        for (seed, scale) in [(0, 1.0), (1, 1.2), (2, 0.8)] {
            var h = SessionTests.header(n: 64)
            h.config["seed"] = .number(Double(seed))
            let records: [RunRecord] = SampleRun.records.map { r in
                switch r {
                case .metrics(var m):
                    for name in ["train_loss", "test_loss"] { m.set(name, m[name].map { $0 * scale }) }
                    return .metrics(m)
                case .event(var e) where e.kind == "tau_mem":
                    e.step = [20_000, 24_000, 28_000][seed]
                    return .event(e)
                default: return r
                }
            }
            _ = s.update(SessionTests.news(SessionTests.run("n64-s\(seed)", n: 64), .header(h), .records(records)))
        }
        _ = s.update(SessionTests.news(SessionTests.run("n128-s0", n: 128), .header(SessionTests.header(n: 128)), .records(SampleRun.records)))
        return s
    }

    @Test func bKeyCyclesMinMaxSdAndOff() throws {
        var s = Self.session()
        #expect(s.shown?.name == "n64-s0.jsonl" && s.screen.workspace.group == nil)
        _ = s.update(.key(.character("b")))
        let group = try #require(s.screen.workspace.group)
        #expect(group.members.count == 3, "the n = 128 run is another group")
        #expect(group.tauMem == GroupStatistic([20_000, 24_000, 28_000]) && group.tauGen?.sd == 0)
        let drawn = s.frame(now: 0)
        let frame = try #require(drawn)
        #expect(frame.text.contains("3 seeds: mean, band min–max"))
        #expect(frame.text.contains("3 seeds: τ_gen 1k ± 0 (3)  τ_mem 24k ± 4k (3)"), "\(frame.text)")
        try SessionTests.expectGolden("seed-band", frame)
        _ = s.update(.key(.character("b")))
        #expect(s.screen.seedBands == .standardDeviation && s.frame(now: 1)?.text.contains("band ± 1 sd") == true)
        _ = s.update(.key(.character("b")))
        #expect(s.screen.workspace.group == nil)
        // A run alone in its group draws no band.
        _ = s.update(.key(.character("b")))
        _ = s.update(.key(.character("[")))
        #expect(s.shown?.name == "n128-s0.jsonl" && s.screen.workspace.group == nil)
    }

    @Test func theBandSpansTheRunsAndTheMeanIsTheirAverage() {
        var a = Series(capacity: 64), b = Series(capacity: 64)
        for step in stride(from: 1.0, through: 100, by: 1) {
            a.append(step: step, value: 1)
            b.append(step: step, value: 3)
        }
        let group = SeedGroupView(members: [["test_loss": a], ["test_loss": b]], tauGen: nil, tauMem: nil)
        let scale = AxisScale(lower: 1, upper: 100, isLog: false)
        let (mean, band) = LossPane.seedColumns(group, "test_loss", .minMax, xScale: scale, count: 10, upTo: .infinity)
        #expect(mean.compactMap { $0?.last }.allSatisfy { $0 == 2 } && mean.compactMap { $0 }.count == 10)
        #expect(band.compactMap { $0 }.allSatisfy { $0.min == 1 && $0.max == 3 })
        let (_, sd) = LossPane.seedColumns(group, "test_loss", .standardDeviation, xScale: scale, count: 10, upTo: .infinity)
        #expect(sd.compactMap { $0 }.allSatisfy { abs($0.min - (2 - 2.squareRoot())) < 1e-12 && abs($0.max - (2 + 2.squareRoot())) < 1e-12 })
    }
}
