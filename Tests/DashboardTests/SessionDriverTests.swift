import Dashboard
import DashboardDriver
import Foundation
import RunFiles
import RunFormat
import TerminalUI
import Testing
import TestSupport

/// The dashboard loop in-process: real file sources, a `TestTerminal` with scripted keys on a manual clock, no
/// tmux and no sleeps.
@Suite struct SessionDriverTests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "genwindow-driver-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ path: String, records: [RunRecord], header: RunHeader = SampleRun.header) throws {
        let writer = try RunWriter(creating: path, header: header)
        for r in records { try writer.append(r) }
        try writer.close()
    }

    static func append(_ path: String, _ records: [RunRecord]) {
        do {
            let writer = try RunWriter(appendingTo: path)
            for r in records { try writer.append(r) }
            try writer.close()
        } catch {
            Issue.record("cannot append to \(path): \(error)")
        }
    }

    static func driver(_ terminal: TestTerminal, _ source: any RecordSource, mode: DashboardMode = .watch,
                       waiting: String? = nil) -> SessionDriver {
        let session = SessionState(screen: DashboardState(mode: mode, width: terminal.width, height: terminal.height),
                                   pollIntervals: [source.pollInterval], waiting: waiting, now: 0)
        return SessionDriver(terminal: terminal, session: session, sources: [source], mailbox: SessionMailbox(),
                             clock: { terminal.now })
    }

    @Test func followsAGrowingFileMarksAndQuits() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        let half = SampleRun.records.count / 2
        try Self.write(path, records: Array(SampleRun.records.prefix(half)))
        let script = TestTerminal(script: [
            (1.0, .action { Self.append(path, Array(SampleRun.records.dropFirst(half))) }),
            (2.0, .key(.left)),
            (2.1, .key(.character("m"))),
            (3.0, .key(.character("q"))),
        ])
        let driver = Self.driver(script, RunFileSource(path: path))
        #expect(driver.run() == nil)
        #expect(script.restored && !script.ranOutOfScript)
        let state = driver.state.screen
        #expect(state.recordSteps.count == SampleRun.steps.count && state.end != nil, "the appended half was read")
        let marked = try #require(state.marks.first?.step)
        #expect(marked == SampleRun.steps[SampleRun.steps.count - 2])
        let log = try RunReader.read(path: path)
        #expect(log.records.compactMap { if case .mark(let m) = $0 { m.step } else { nil } } == [marked], "written once, at the cursor")
        let last = try #require(script.lastFrame).text
        #expect(last.contains("WATCH") && last.contains("completed"), "\(last)")
        // Frames are capped: 3 s of manual time at most 20 frames a second, and far fewer when idle.
        #expect(script.frames.count >= 3 && script.frames.count <= 60, "\(script.frames.count) frames")
    }

    @Test func aRunThatAppearsInTheFolderIsFollowedAndShownWithBracket() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let terminal = TestTerminal(script: [
            (0.5, .action { try? Self.write(dir + "/a.jsonl", records: SampleRun.records) }),
            (3.0, .action { try? Self.write(dir + "/b.jsonl", records: Array(SampleRun.records.prefix(5))) }),
            (5.0, .key(.character("]"))),
            (6.0, .key(.character("q"))),
        ])
        let driver = Self.driver(terminal, RunFolderSource(directory: dir, clock: { terminal.now }), waiting: "waiting for a run file (.jsonl) to appear in \(dir)…")
        #expect(terminal.frames.isEmpty)
        #expect(driver.run() == nil)
        #expect(!terminal.ranOutOfScript)
        let first = try #require(terminal.frames.first).text
        #expect(first.contains("waiting for a run file"), "\(first)")
        #expect(driver.state.runs.map(\.name) == ["a.jsonl", "b.jsonl"])
        #expect(driver.state.shown?.name == "b.jsonl" && driver.state.screen.recordSteps.count == 5)
        let last = try #require(terminal.lastFrame).text
        #expect(last.contains("run 2/2 b.jsonl"), "\(last)")
    }

    @Test func aTerminatingSignalEndsTheLoopAndRestoresTheTerminal() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        try Self.write(path, records: SampleRun.records)
        let log = try RunReader.read(path: path)
        let terminal = TestTerminal(width: 80, height: 24, script: [(0.2, .resize(width: 100, height: 30)), (0.4, .signal(1))])
        let driver = Self.driver(terminal, SavedRunSource(log), mode: .replay)
        #expect(driver.run() == 1)
        #expect(terminal.restored)
        #expect(terminal.lastFrame?.width == 100 && terminal.lastFrame?.height == 30)
    }

    @Test func aMarkThatCannotBeWrittenIsUndoneOnScreen() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        try Self.write(path, records: SampleRun.records)
        let log = try RunReader.read(path: path)
        try FileManager.default.removeItem(atPath: dir)
        let terminal = TestTerminal(script: [(0.1, .key(.character("m"))), (0.2, .key(.character("q")))])
        let driver = Self.driver(terminal, SavedRunSource(log), mode: .replay)
        #expect(driver.run() == nil)
        #expect(driver.state.screen.marks.isEmpty)
        #expect(driver.state.screen.status?.hasPrefix("mark not saved: could not write") == true, "\(driver.state.screen.status ?? "")")
    }
}

/// `--on-event`: the hook runs once per final event, with its environment, its output in a log beside the run.
@Suite struct EventHookTests {
    @Test func theHookRunsOnceWithTheEventsEnvironment() throws {
        let dir = try SessionDriverTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.jsonl"
        let out = dir + "/events.txt"
        try SessionDriverTests.write(path, records: Array(SampleRun.records.prefix(10)))
        let final = RunRecord.event(EventRecord(kind: "tau_mem", step: 25, fields: ["tau": 0.75, "provisional": false]))
        let terminal = TestTerminal(script: [
            (1.0, .action { SessionDriverTests.append(path, [final]) }),
            (2.0, .action { SessionDriverTests.append(path, [final]) }),
            (3.0, .key(.character("q"))),
        ])
        let hook = EventHook(command: "echo \"$GENWINDOW_EVENT $GENWINDOW_STEP $GENWINDOW_RUN $GENWINDOW_VALUE\" >> \(out); echo ran")
        let session = SessionState(screen: DashboardState(mode: .watch), pollIntervals: [0.25], now: 0)
        let driver = SessionDriver(terminal: terminal, session: session, sources: [RunFileSource(path: path)], mailbox: SessionMailbox(),
                                   clock: { terminal.now }, onEvent: hook)
        #expect(driver.run() == nil)
        #expect(terminal.bells == 1)
        let log = path + ".on-event.log"
        var text = ""
        for _ in 0..<500 where !text.contains("ran") {
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            usleep(10_000)
        }
        #expect(text == "ran\n")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "tau_mem 25 \(path) 0.75\n")
    }

    @Test func environmentNamesEveryField() {
        let event = FinalEvent(kind: "stalled", step: 7, run: RunKey(path: "/r.jsonl", name: "r.jsonl"), value: 301)
        #expect(EventHook.environment(event) == ["GENWINDOW_EVENT": "stalled", "GENWINDOW_STEP": "7", "GENWINDOW_RUN": "/r.jsonl", "GENWINDOW_VALUE": "301.0"])
        #expect(EventHook(command: "true", logDirectory: "/tmp").logPath(for: RunKey(path: "", name: "training")) == "/tmp/genwindow.on-event.log")
    }
}
