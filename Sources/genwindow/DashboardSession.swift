import ArgumentParser
import Curses
import Dashboard
import Foundation
import RunFiles
import RunFormat
import Synchronization
import TerminalUI
import Training

/// Runs the dashboard: one dedicated thread owns the terminal and runs the event loop (keys, records, frame
/// timing); the command's task just awaits it. Replay, watch and live differ only in where records come from.
enum DashboardSession {
    /// Seconds between polls of a followed run file (each poll is one stat when nothing changed).
    static let followInterval = 0.25
    /// Seconds between listings of a watched folder (new run files are followed from then on).
    static let listInterval = 1.0
    /// Seconds between re-reads of a watched folder's runs for the phase diagram and the forecast.
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

    /// Steps through a saved run; marks are appended to `log.path`. `sweep` fills the phase diagram and the
    /// tau_mem forecast.
    static func replay(_ log: RunLog, sweep: SweepFolder? = nil, display: DisplaySettings = .standard) async throws {
        var initial: [DashboardEvent] = [.records([.header(log.header)] + log.records)]
        if let first = log.problems.first {
            initial.append(.problem("\(log.problems.count) malformed line(s) skipped; first: \(first)"))
        }
        var source = Source(mode: .replay, initial: initial, sweep: sweep)
        source.markFile = log.path
        try await run(source, display: display)
    }

    /// Follows a run file another process is writing, or every run file of a folder (new ones too; `]`/`[`
    /// switch between them, the newest is shown first); marks are appended to the run shown. For a folder
    /// without `sweep`, the phase diagram and forecast are re-read from it every `sweepInterval` seconds.
    static func watch(path: String, sweep: SweepFolder? = nil, display: DisplaySettings = .standard) async throws {
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        var source = Source(mode: .watch, initial: [], sweep: sweep)
        if folder {
            source.followDirectory = path
            if sweep == nil { source.sweepDirectory = path }
        } else {
            source.followFile = path
        }
        try await run(source, display: display)
    }

    /// Shows a training job of this process live. Returns when the user quits (after asking the job to stop,
    /// if it was still running); the caller then awaits the job's result.
    /// Once the run has ended, marks are appended to its file as in a replay. With `sweepDirectory` (runs
    /// trained in turn into one folder) the phase diagram and the forecast are re-read from that folder
    /// whenever a run ends.
    static func live(updates: AsyncStream<TrainingUpdate>, control: TrainingControl, sweepDirectory: String? = nil,
                     display: DisplaySettings = .standard) async throws {
        var source = Source(mode: .live, initial: [], sweep: nil)
        source.control = control
        source.sweepDirectory = sweepDirectory
        try await run(source, display: display, updates: updates)
    }

    /// Where a session's records come from.
    struct Source: Sendable {
        var mode: DashboardMode
        var initial: [DashboardEvent]
        var sweep: SweepFolder?
        /// Replay and a finished live run: the file marks are appended to.
        var markFile: String?
        /// Watch: one run file, or every run file of a folder.
        var followFile: String?
        var followDirectory: String?
        /// Re-read for the phase diagram and the forecast every `sweepInterval` seconds.
        var sweepDirectory: String?
        var control: TrainingControl?
    }

    private static func run(_ source: Source, display: DisplaySettings, updates: AsyncStream<TrainingUpdate>? = nil) async throws {
        let mailbox = Mailbox(source.initial)
        let consumer = updates.map { updates in
            Task {
                for await update in updates {
                    switch update {
                    case .started(let path, let label): mailbox.post(.runStarted(file: path, label: label))
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
        let signal = try await withCheckedThrowingContinuation { (done: CheckedContinuation<Int32?, Error>) in
            let thread = Thread {
                do {
                    let loop = try EventLoop(source: source, useColor: useColor, environment: environment, display: display, mailbox: mailbox)
                    done.resume(returning: loop.run())
                } catch {
                    done.resume(throwing: RuntimeError("\(error)"))
                }
            }
            thread.start()
        }
        // Ended by SIGINT/SIGTERM/SIGHUP/SIGQUIT: the terminal is restored; exit as the shell expects (128 + n).
        if let signal { throw ExitCode(128 + signal) }
    }
}

/// Events handed from other threads to the dashboard thread; progress updates coalesce (only the newest
/// matters), records never do. Training never waits on it. The dashboard thread is woken only when it asked
/// to be (`arm`, before it sleeps with nothing to draw): while a frame is pending it picks events up at the
/// frame's time anyway, so a busy stream costs at most one wake-up per frame.
final class Mailbox: Sendable {
    private struct Inbox {
        var events: [DashboardEvent]
        var waker: TerminalWaker?
        var armed = true
    }
    private let inbox: Mutex<Inbox>

    init(_ initial: [DashboardEvent]) { inbox = Mutex(Inbox(events: initial, waker: nil)) }

    func post(_ event: DashboardEvent) {
        let waker = inbox.withLock { box -> TerminalWaker? in
            if case .progress = event, let last = box.events.last, case .progress = last { box.events.removeLast() }
            box.events.append(event)
            guard box.armed else { return nil }
            box.armed = false
            return box.waker
        }
        waker?.wake()
    }

    func connect(_ waker: TerminalWaker) { inbox.withLock { $0.waker = waker } }

    /// Asks for a wake-up at the next post; false (and not armed) when events are already waiting.
    func arm() -> Bool {
        inbox.withLock { box in
            box.armed = box.events.isEmpty
            return box.armed
        }
    }

    func take() -> [DashboardEvent] {
        inbox.withLock { box in
            defer { box.events.removeAll() }
            return box.events
        }
    }
}

/// One run file followed in watch mode, with the dashboard state its records fold into (the state of the run
/// on screen lives in the loop while it is shown).
private final class FollowedRun {
    let path: String
    let follower: RunFollower
    var state: DashboardState
    var header: RunHeader?

    init(path: String, state: DashboardState) {
        self.path = path
        follower = RunFollower(path: path)
        self.state = state
    }

    var name: String { (path as NSString).lastPathComponent }
}

/// The loop on the dashboard thread: wait (poll on stdin and the wake pipe), apply events, draw when the frame
/// scheduler says so. The terminal is restored when the loop ends, however it ends.
private final class EventLoop {
    let terminal: CursesTerminal
    var state: DashboardState
    var scheduler = FrameScheduler()
    let mailbox: Mailbox
    var markFile: String?
    var markWriter: RunWriter?
    /// Followed runs (watch), sorted by file name; `selected` is the one on screen.
    var runs: [FollowedRun] = []
    var selected = 0
    let followDirectory: String?
    var nextFollow = 0.0
    var nextList = 0.0
    let control: TrainingControl?
    var sweep: SweepFolder?
    let sweepDirectory: String?
    var nextSweep = 0.0
    /// The header of the run on screen, for the forecast.
    var header: RunHeader?
    var quit = false

    init(source: DashboardSession.Source, useColor: Bool, environment: [String: String], display: DisplaySettings,
         mailbox: Mailbox) throws {
        terminal = try CursesTerminal(useColor: useColor, environment: environment)
        let caps = TerminalCapabilities.detect(environment: environment, terminfoColors: terminal.colorCount,
                                               forceASCII: display.forceASCII)
        let unicode = caps.unicode && terminal.glyphs.braille
        state = DashboardState(mode: source.mode, width: terminal.width, height: terminal.height, glyphs: unicode ? .unicode : .ascii,
                               theme: caps.colorDepth == .none ? display.theme.withoutColor() : display.theme)
        state.colorDepth = caps.colorDepth
        state.sweep = source.sweep?.cells ?? []
        if let notice = terminal.notice { _ = DashboardUpdate.update(&state, .problem(notice)) }
        self.mailbox = mailbox
        markFile = source.markFile
        followDirectory = source.followDirectory
        control = source.control
        sweep = source.sweep
        sweepDirectory = source.sweepDirectory
        if let file = source.followFile {
            runs = [FollowedRun(path: file, state: state)]
            markFile = file
        }
        if let followDirectory {
            runs = DashboardSession.runFiles(in: followDirectory).map { FollowedRun(path: $0, state: state) }
            if let newest = newestRun() {
                selected = newest
                markFile = runs[newest].path
                state.runLabel = label(newest)
            } else {
                // An empty folder is watched until its first run appears, as a run file that does not exist yet.
                _ = DashboardUpdate.update(&state, .problem("waiting for a run file (.jsonl) to appear in \(followDirectory)…"))
            }
        }
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
            // Training's events first, so that a key acts on the newest state (q right after the run ended quits
            // without asking whether to stop training).
            for event in mailbox.take() { apply(event) }
            for input in terminal.readInput() {
                switch input {
                case .resize: apply(.resize(width: terminal.width, height: terminal.height))
                case .key(let key): apply(.key(key))
                }
            }
            let now = RunWriter.monotonicSeconds()
            if let followDirectory, now >= nextList {
                nextList = now + DashboardSession.listInterval
                addNewRuns(in: followDirectory)
            }
            if !runs.isEmpty, now >= nextFollow {
                nextFollow = now + DashboardSession.followInterval
                for i in runs.indices { follow(i) }
            }
            if let sweepDirectory, now >= nextSweep {
                nextSweep = now + DashboardSession.sweepInterval
                if let folder = try? SweepFolder.read(directory: sweepDirectory) {
                    sweep = folder
                    state.sweep = folder.cells
                    updateForecast()
                    scheduler.invalidate()
                }
            }
            if quit { return nil }
            var timeout: Double?
            switch scheduler.decide(now: RunWriter.monotonicSeconds()) {
            case .renderNow:
                terminal.present(DashboardView.render(state, width: terminal.width, height: terminal.height))
                scheduler.didRender(at: RunWriter.monotonicSeconds())
                // Events that arrived while drawing are handled on the next turn, without sleeping.
                if !mailbox.arm() { timeout = 0 }
            case .wait(let until):
                timeout = max(until - now, 0)
            case .idle:
                if !mailbox.arm() { timeout = 0 }
            }
            if !runs.isEmpty { timeout = min(timeout ?? .infinity, max(nextFollow - now, 0)) }
            if followDirectory != nil { timeout = min(timeout ?? .infinity, max(nextList - now, 0)) }
            if sweepDirectory != nil { timeout = min(timeout ?? .infinity, max(nextSweep - now, 0)) }
            terminal.wait(timeout: timeout)
        }
        return nil
    }

    private func label(_ i: Int) -> String? {
        runs.count > 1 || followDirectory != nil ? "run \(i + 1)/\(runs.count) " + Sanitize.text(runs[i].name) : nil
    }

    /// The index of the most recently modified of the followed runs (nil when there are none).
    private func newestRun() -> Int? {
        runs.indices.max { DashboardSession.modified(runs[$0].path) < DashboardSession.modified(runs[$1].path) }
    }

    /// Starts following run files that appeared in the folder since the last listing.
    private func addNewRuns(in directory: String) {
        let known = Set(runs.map(\.path))
        let added = DashboardSession.runFiles(in: directory).filter { !known.contains($0) }
        guard !added.isEmpty else { return }
        guard !runs.isEmpty else {
            // The folder's first runs: show one as the initial run was shown.
            runs = added.map { FollowedRun(path: $0, state: state) }
            selected = newestRun() ?? 0
            markFile = runs[selected].path
            state.runLabel = label(selected)
            apply(.problem(nil))
            return
        }
        let current = runs[selected].path
        var blank = DashboardState(mode: state.mode, glyphs: state.glyphs, theme: state.theme)
        blank.adoptView(of: state)
        runs += added.map { FollowedRun(path: $0, state: blank) }
        runs.sort { $0.path < $1.path }
        selected = runs.firstIndex { $0.path == current } ?? 0
        state.runLabel = label(selected)
        scheduler.invalidate()
    }

    /// Reads what run `i` appended; the run on screen goes through `apply`, the others fold into their own state.
    private func follow(_ i: Int) {
        let run = runs[i]
        let shown = i == selected
        do {
            for update in try run.follower.poll() {
                let event: DashboardEvent
                switch update {
                case .waiting:
                    guard shown, !state.hasHeader else { continue }
                    event = .problem("waiting for \(run.path) to appear…")
                case .header(let h):
                    run.header = h
                    if shown { apply(.problem(nil)) }
                    event = .records([.header(h)])
                case .records(let records): event = .records(records)
                case .problem(let e): event = .problem("\(run.name): \(e)")
                case .restarted: event = .restarted
                }
                if shown {
                    apply(event)
                } else {
                    _ = DashboardUpdate.update(&run.state, event)
                }
            }
        } catch {
            if shown { apply(.problem("\(error)")) }
        }
    }

    /// Shows the run `delta` places after the current one, keeping the view settings.
    private func switchRun(by delta: Int) {
        guard runs.count > 1 else { return }
        runs[selected].state = state
        selected = ((selected + delta) % runs.count + runs.count) % runs.count
        var next = runs[selected].state
        next.adoptView(of: state)
        next.runLabel = label(selected)
        state = next
        header = runs[selected].header
        markFile = runs[selected].path
        markWriter = nil
        updateForecast()
    }

    /// The tau_mem forecast for the run on screen from the other runs of the sweep folder.
    private func updateForecast() {
        let name = markFile.map { ($0 as NSString).lastPathComponent }
        state.memorizationForecast = header.flatMap { sweep?.forecast(for: $0, excluding: name) }
    }

    private func apply(_ event: DashboardEvent) {
        if case .progress = event { scheduler.invalidateRoutine() } else { scheduler.invalidate() }
        if case .records(let records) = event, sweepDirectory != nil, records.contains(where: { if case .end = $0 { true } else { false } }) {
            nextSweep = 0
        }
        if case .records(let records) = event, let h = records.lazy.compactMap({ r -> RunHeader? in
            if case .header(let h) = r { h } else { nil }
        }).last {
            header = h
            updateForecast()
        }
        for effect in DashboardUpdate.update(&state, event) { perform(effect) }
    }

    private func perform(_ effect: DashboardEffect) {
        switch effect {
        case .quit: quit = true
        case .stopTraining: control?.requestStop()
        case .setTrainingPaused(let paused): control?.paused = paused
        case .requestTrainingMark(let label): control?.requestMark(label: label)
        case .requestTrainingMarkDeletion(let step): control?.requestMarkDeletion(step: step)
        case .appendMark(let mark): append(.mark(mark), step: mark.step)
        case .appendMarkDeletion(let step): append(.event(EventRecord(kind: "mark_deleted", step: step)), step: step)
        case .redraw: terminal.forceRepaint()
        case .suspend: terminal.suspend()
        case .switchRun(let delta): switchRun(by: delta)
        case .setMarkFile(let file):
            markFile = file
            markWriter = nil
        }
    }

    /// Appends the mark change at `step` to the run file (never rewriting it); when it cannot be saved the
    /// change is undone on screen and the status line says why.
    private func append(_ record: RunRecord, step: Int) {
        guard let markFile else {
            apply(.markNotSaved(step: step, message: "this run has no file"))
            return
        }
        do {
            if markWriter == nil { markWriter = try RunWriter(appendingTo: markFile) }
            try markWriter!.append(record)
            try markWriter!.flush()
        } catch {
            markWriter = nil
            apply(.markNotSaved(step: step, message: "could not write \(markFile): \(error)"))
        }
    }
}

extension DashboardSession {
    /// The `.jsonl` files of a folder, sorted by name.
    static func runFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    static func modified(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
    }
}
