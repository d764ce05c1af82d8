import ArgumentParser
import Curses
import Dashboard
import DashboardDriver
import ExternalWatch
import Foundation
import RunFiles
import RunFormat
import TerminalUI
import Training
import Workspace

/// Opens the dashboard on a terminal: one dedicated thread owns the terminal and runs `SessionDriver`; the
/// command's task just awaits it. Replay, watch and live differ only in their record sources.
enum DashboardSession {
    /// Throws `ExitCode(64)` with a message when there is no terminal to draw on.
    static func requireTerminal() throws {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 || term.isEmpty || term == "dumb" {
            writeStandardError("genwindow: the dashboard needs an interactive terminal (stdin and stdout a TTY, TERM not dumb); "
                + "for training without one use `genwindow train --headless`, then `genwindow watch RUN` from a terminal\n")
            throw ExitCode(64)
        }
    }

    /// Steps through a saved run; marks are appended to its file. `sweep` fills the phase diagram and the
    /// tau_mem forecast.
    static func replay(_ log: RunLog, sweep: SweepSnapshot? = nil, display: DisplaySettings = .standard) async throws {
        try await run(mode: .replay, source: SavedRunSource(log), sweep: sweep, display: display)
    }

    /// Steps through every run of a folder (`]`/`[` or the runs pane switch, Space pins); the folder fills the
    /// phase diagram unless `sweep` is given.
    static func replay(directory: String, sweep: SweepSnapshot? = nil, display: DisplaySettings = .standard) async throws {
        try await run(mode: .replay, source: RunFolderSource(directory: directory, follow: false), sweep: sweep ?? (try? SweepFolder.read(directory: directory)),
                      waiting: "no run files (.jsonl) in \(directory)", display: display)
    }

    /// Follows a run file another process is writing, or every run file of a folder (new ones too; `]`/`[`
    /// switch between them, the newest is shown first); marks are appended to the run shown. For a folder
    /// without `sweep`, the phase diagram and forecast are re-read from it every few seconds.
    /// `watching` says how long a silent run may stay `running` and what runs when an event becomes final.
    static func watch(path: String, sweep: SweepSnapshot? = nil, watching: WatchSettings = WatchSettings(),
                      display: DisplaySettings = .standard) async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return try await run(mode: .watch, source: RunFileSource(path: path), sweep: sweep, watching: watching, display: display)
        }
        try await run(mode: .watch, source: RunFolderSource(directory: path), sweep: sweep,
                      sweepDirectory: sweep == nil ? path : nil,
                      waiting: "waiting for a run file (.jsonl) to appear in \(path)…", watching: watching, display: display)
    }

    /// Shows runs genwindow did not train (`watch` follows them, `replay` reads them once), recorded with what
    /// genwindow measures on them; marks go to their record files.
    static func external(_ source: RecordingSource, mode: DashboardMode, sweep: SweepSnapshot? = nil,
                         watching: WatchSettings = WatchSettings(), display: DisplaySettings = .standard) async throws {
        try await run(mode: mode, source: source, sweep: sweep, waiting: "waiting for scalars in \(source.path)…",
                      watching: watching, display: display)
    }

    /// What `watch` adds to the viewer options.
    struct WatchSettings {
        var stallAfter = RunStatus.defaultStallAfter
        var onEvent: EventHook?
    }

    /// Shows a training job of this process live. Returns when the user quits (after asking the job to stop,
    /// if it was still running); the caller then awaits the job's result. Once a run has ended, marks are
    /// appended to its file as in a replay. With `sweepDirectory` (runs trained in turn into one folder) the
    /// phase diagram and the forecast are re-read from that folder whenever a run ends.
    static func live(updates: AsyncStream<TrainingUpdate>, control: TrainingControl, sweepDirectory: String? = nil,
                     display: DisplaySettings = .standard) async throws {
        try await run(mode: .live, source: LiveTrainingSource(updates: updates), sweepDirectory: sweepDirectory,
                      control: control, display: display)
    }

    private static func run(mode: DashboardMode, source: any RecordSource, sweep: SweepSnapshot? = nil,
                            sweepDirectory: String? = nil, waiting: String? = nil, watching: WatchSettings = WatchSettings(),
                            control: TrainingControl? = nil, display: DisplaySettings) async throws {
        let environment = ProcessInfo.processInfo.environment
        let box = SourceBox(source: source)
        let signal = try await withCheckedThrowingContinuation { (done: CheckedContinuation<Int32?, Error>) in
            let thread = Thread {
                do {
                    let terminal = try CursesTerminal(useColor: (environment["NO_COLOR"] ?? "").isEmpty, environment: environment)
                    let screen = initialScreen(mode: mode, terminal: terminal, environment: environment, display: display)
                    var session = SessionState(screen: screen, pollIntervals: [box.source.pollInterval], sweep: sweep,
                                               sweepDirectory: sweepDirectory, waiting: waiting, stallAfter: watching.stallAfter,
                                               now: RunWriter.monotonicSeconds())
                    if let notice = terminal.notice { _ = session.update(.problem(notice)) }
                    let driver = SessionDriver(terminal: terminal, session: session, sources: [box.source], mailbox: SessionMailbox(),
                                               clock: RunWriter.monotonicSeconds, training: control.map(perform),
                                               readSweep: { try? SweepFolder.read(directory: $0) }, onEvent: watching.onEvent)
                    done.resume(returning: driver.run())
                } catch {
                    done.resume(throwing: RuntimeError("\(error)"))
                }
            }
            thread.start()
        }
        // Ended by SIGINT/SIGTERM/SIGHUP/SIGQUIT: the terminal is restored; exit as the shell expects (128 + n).
        if let signal { throw ExitCode(128 + signal) }
    }

    /// The dashboard's first state on `terminal`: its size, glyphs and colours.
    private static func initialScreen(mode: DashboardMode, terminal: CursesTerminal, environment: [String: String],
                                      display: DisplaySettings) -> DashboardState {
        let caps = TerminalCapabilities.detect(environment: environment, terminfoColors: terminal.colorCount,
                                               forceASCII: display.forceASCII)
        let unicode = caps.unicode && terminal.glyphs.braille
        var state = DashboardState(mode: mode, width: terminal.width, height: terminal.height, glyphs: unicode ? .unicode : .ascii,
                                   theme: caps.colorDepth == .none ? display.theme.withoutColor() : display.theme)
        state.colorDepth = caps.colorDepth
        return state
    }

    /// Carries out a session's request on the live job.
    private static func perform(_ control: TrainingControl) -> (TrainingRequest) -> Void {
        { request in
            switch request {
            case .stop: control.requestStop()
            case .setPaused(let paused): control.paused = paused
            case .mark(let label): control.requestMark(label: label)
            case .deleteMark(let step): control.requestMarkDeletion(step: step)
            }
        }
    }
}

/// Hands a source to the dashboard thread, which alone uses it from then on.
private final class SourceBox: @unchecked Sendable {
    let source: any RecordSource
    init(source: any RecordSource) { self.source = source }
}
