import ArgumentParser
import Curses
import Dashboard
import Foundation
import RunFiles
import RunFormat
import Sweeps
import Synchronization
import TerminalUI
import Training

/// Runs the dashboard: one dedicated thread owns the terminal and runs the event loop (keys, records, frame
/// timing); the command's task just awaits it. Replay, watch and live differ only in where records come from.
enum DashboardSession {
    /// Seconds between polls of a followed run file (each poll is one stat when nothing changed).
    static let followInterval = 0.25
    /// Seconds between re-reads of a watched folder's runs for the phase diagram.
    static let sweepInterval = 5.0

    /// Throws `ExitCode(64)` with a message when there is no terminal to draw on.
    static func requireTerminal() throws {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 || term.isEmpty || term == "dumb" {
            writeStandardError("genwindow: the dashboard needs an interactive terminal (stdin and stdout a TTY, TERM not dumb); "
                + "for training without one use `genwindow train --headless`, then `genwindow watch RUN` from a terminal\n")
            throw ExitCode(64)
        }
    }

    /// Steps through a saved run; marks are appended to `log.path`. `sweep` fills the phase diagram.
    static func replay(_ log: RunLog, sweep: [Dashboard.PhaseCell] = [], display: DisplaySettings = .standard) async throws {
        var initial: [DashboardEvent] = [.records([.header(log.header)] + log.records)]
        if let first = log.problems.first {
            initial.append(.problem("\(log.problems.count) malformed line(s) skipped; first: \(first)"))
        }
        try await run(mode: .replay, initial: initial, sweep: sweep, display: display, markFile: log.path, follow: nil, live: nil)
    }

    /// Follows a run file another process is writing; marks are appended to it. With `sweepDirectory`, the
    /// phase diagram is re-read from that folder every `sweepInterval` seconds (every run in it, as it grows).
    static func watch(path: String, sweep: [Dashboard.PhaseCell] = [], sweepDirectory: String? = nil,
                      display: DisplaySettings = .standard) async throws {
        try await run(mode: .watch, initial: [], sweep: sweep, display: display, markFile: path, follow: path, live: nil,
                      sweepDirectory: sweepDirectory)
    }

    /// Shows a training job of this process live. Returns when the user quits (after asking the job to stop,
    /// if it was still running); the caller then awaits the job's result.
    static func live(updates: AsyncStream<TrainingUpdate>, control: TrainingControl, sweep: [Dashboard.PhaseCell] = [],
                     display: DisplaySettings = .standard) async throws {
        try await run(mode: .live, initial: [], sweep: sweep, display: display, markFile: nil, follow: nil, live: (updates, control))
    }

    /// The phase-diagram cells of a sweep directory: every readable `.jsonl` run, placed in its region by the
    /// sweep code's thresholds (undetermined and unfinished cells have no region).
    static func sweepCells(directory: String) throws -> [Dashboard.PhaseCell] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }.sorted()
        } catch {
            throw RuntimeError("\(directory): cannot list the sweep folder")
        }
        var summaries: [CellSummary] = []
        for name in names {
            guard let log = try? RunReader.read(path: (directory as NSString).appendingPathComponent(name), malformed: .skip),
                  let summary = try? CellSummary(log: log, name: name) else { continue }
            summaries.append(summary)
        }
        guard !summaries.isEmpty else { throw RuntimeError("\(directory): no readable run files for the phase diagram") }
        return PhaseDiagram(summaries: summaries, thresholds: PhaseThresholds()).cells.map { cell in
            let region: Dashboard.PhaseRegion? = switch cell.region {
            case .memorization: .memorization
            case .generalization: .generalization
            case .architectural: .architecturalRegularization
            case .undetermined, .unfinished: nil
            }
            return Dashboard.PhaseCell(n: cell.summary.n, p: cell.summary.p, region: region)
        }
    }

    private static func run(mode: DashboardMode, initial: [DashboardEvent], sweep: [Dashboard.PhaseCell], display: DisplaySettings,
                            markFile: String?,
                            follow: String?, live: (AsyncStream<TrainingUpdate>, TrainingControl)?,
                            sweepDirectory: String? = nil) async throws {
        let mailbox = Mailbox(initial)
        let consumer = live.map { (updates, _) in
            Task {
                for await update in updates {
                    switch update {
                    case .record(let r): mailbox.post(.records([r]))
                    case .progress(let step, let total, let elapsed, let rate):
                        mailbox.post(.progress(step: step, totalSteps: total, elapsedSeconds: elapsed, stepsPerSecond: rate))
                    case .failed(let message): mailbox.post(.trainingFailed(message))
                    }
                }
            }
        }
        defer { consumer?.cancel() }
        let environment = ProcessInfo.processInfo.environment
        let useColor = (environment["NO_COLOR"] ?? "").isEmpty
        let control = live?.1
        let signal = try await withCheckedThrowingContinuation { (done: CheckedContinuation<Int32?, Error>) in
            let thread = Thread {
                do {
                    let loop = try EventLoop(mode: mode, useColor: useColor, environment: environment, display: display,
                                             sweep: sweep, mailbox: mailbox,
                                             markFile: markFile, follow: follow, control: control, sweepDirectory: sweepDirectory)
                    done.resume(returning: loop.run())
                } catch {
                    done.resume(throwing: RuntimeError("\(error)"))
                }
            }
            thread.name = "genwindow-dashboard"
            thread.start()
        }
        // Ended by SIGINT/SIGTERM/SIGHUP/SIGQUIT: the terminal is restored; exit as the shell expects (128 + n).
        if let signal { throw ExitCode(128 + signal) }
    }
}

/// Events handed from other threads to the dashboard thread; progress updates coalesce (only the newest
/// matters), records never do. Training never waits on it.
final class Mailbox: Sendable {
    private struct Inbox {
        var events: [DashboardEvent]
        var waker: TerminalWaker?
    }
    private let inbox: Mutex<Inbox>

    init(_ initial: [DashboardEvent]) { inbox = Mutex(Inbox(events: initial, waker: nil)) }

    func post(_ event: DashboardEvent) {
        let waker = inbox.withLock { box -> TerminalWaker? in
            if case .progress = event, let last = box.events.last, case .progress = last { box.events.removeLast() }
            box.events.append(event)
            return box.waker
        }
        waker?.wake()
    }

    func connect(_ waker: TerminalWaker) { inbox.withLock { $0.waker = waker } }

    func take() -> [DashboardEvent] {
        inbox.withLock { box in
            defer { box.events.removeAll() }
            return box.events
        }
    }
}

/// The loop on the dashboard thread: wait (poll on stdin and the wake pipe), apply events, draw when the frame
/// scheduler says so. The terminal is restored when the loop ends, however it ends.
private final class EventLoop {
    let terminal: CursesTerminal
    var state: DashboardState
    var scheduler = FrameScheduler()
    let mailbox: Mailbox
    let markFile: String?
    var markWriter: RunWriter?
    let follower: RunFollower?
    var nextFollow = 0.0
    let control: TrainingControl?
    let sweepDirectory: String?
    var nextSweep = 0.0
    var quit = false

    init(mode: DashboardMode, useColor: Bool, environment: [String: String], display: DisplaySettings, sweep: [Dashboard.PhaseCell],
         mailbox: Mailbox, markFile: String?, follow: String?, control: TrainingControl?, sweepDirectory: String?) throws {
        terminal = try CursesTerminal(useColor: useColor)
        let caps = TerminalCapabilities.detect(environment: environment, terminfoColors: terminal.colorCount,
                                               forceASCII: display.forceASCII)
        let unicode = caps.unicode && terminal.glyphs.braille
        state = DashboardState(mode: mode, width: terminal.width, height: terminal.height, glyphs: unicode ? .unicode : .ascii,
                               theme: caps.colorDepth == .none ? display.theme.withoutColor() : display.theme)
        state.colorDepth = caps.colorDepth
        state.sweep = sweep
        self.mailbox = mailbox
        self.markFile = markFile
        follower = follow.map { RunFollower(path: $0) }
        self.control = control
        self.sweepDirectory = sweepDirectory
        mailbox.connect(terminal.waker)
    }

    deinit { terminal.restore() }

    /// Runs until the user quits (nil) or a terminating signal arrives (its number; SIGHUP for a lost terminal).
    func run() -> Int32? {
        defer { terminal.restore() }
        while !quit {
            if let signal = terminal.takeTerminatingSignal() ?? (terminal.hungUp ? SIGHUP : nil) {
                control?.requestStop()
                return signal
            }
            for input in terminal.readInput() {
                switch input {
                case .resize: apply(.resize(width: terminal.width, height: terminal.height))
                case .key(let key): apply(.key(key))
                }
            }
            for event in mailbox.take() { apply(event) }
            let now = RunWriter.monotonicSeconds()
            if let follower, now >= nextFollow {
                nextFollow = now + DashboardSession.followInterval
                followOnce(follower)
            }
            if let sweepDirectory, now >= nextSweep {
                nextSweep = now + DashboardSession.sweepInterval
                if let cells = try? DashboardSession.sweepCells(directory: sweepDirectory) {
                    state.sweep = cells
                    scheduler.invalidate()
                }
            }
            if quit { return nil }
            var timeout: Double?
            switch scheduler.decide(now: RunWriter.monotonicSeconds()) {
            case .renderNow:
                terminal.present(DashboardView.render(state, width: terminal.width, height: terminal.height))
                scheduler.didRender(at: RunWriter.monotonicSeconds())
            case .wait(let until):
                timeout = max(until - now, 0)
            case .idle:
                break
            }
            if follower != nil { timeout = min(timeout ?? .infinity, max(nextFollow - now, 0)) }
            if sweepDirectory != nil { timeout = min(timeout ?? .infinity, max(nextSweep - now, 0)) }
            terminal.wait(timeout: timeout)
        }
        return nil
    }

    private func followOnce(_ follower: RunFollower) {
        do {
            for update in try follower.poll() {
                switch update {
                case .waiting: if !state.hasHeader { apply(.problem("waiting for \(follower.path) to appear…")) }
                case .header(let h):
                    apply(.problem(nil))
                    apply(.records([.header(h)]))
                case .records(let records): apply(.records(records))
                case .problem(let e): apply(.problem("\(e)"))
                case .restarted: apply(.restarted)
                }
            }
        } catch {
            apply(.problem("\(error)"))
        }
    }

    private func apply(_ event: DashboardEvent) {
        scheduler.invalidate()
        for effect in DashboardUpdate.update(&state, event) { perform(effect) }
    }

    private func perform(_ effect: DashboardEffect) {
        switch effect {
        case .quit: quit = true
        case .stopTraining: control?.requestStop()
        case .setTrainingPaused(let paused): control?.paused = paused
        case .requestTrainingMark(let label): control?.requestMark(label: label)
        case .appendMark(let mark): append(.mark(mark))
        case .appendMarkDeletion(let step): append(.event(EventRecord(kind: "mark_deleted", step: step)))
        case .redraw: terminal.forceRepaint()
        case .suspend: terminal.suspend()
        }
    }

    /// Appends a record to the run file (never rewriting it); a failure shows in the status line.
    private func append(_ record: RunRecord) {
        guard let markFile else { return }
        do {
            if markWriter == nil { markWriter = try RunWriter(appendingTo: markFile) }
            try markWriter!.append(record)
            try markWriter!.flush()
        } catch {
            apply(.problem("could not save to \(markFile): \(error)"))
        }
    }
}
