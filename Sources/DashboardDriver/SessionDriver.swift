import Dashboard
import RunFiles
import RunFormat
import TerminalUI

/// The dashboard's event loop, on the thread that owns the terminal: wait for the mailbox, a key or the
/// session's deadline; feed what arrived to the session; perform its effects; present its frames. Everything
/// it decides is in `SessionState`; this loop only moves values between the session and the world.
public final class SessionDriver {
    private let terminal: any TerminalDevice
    private var session: SessionState
    private let sources: [any RecordSource]
    private let mailbox: SessionMailbox
    private let clock: () -> Double
    private let training: ((TrainingRequest) -> Void)?
    private let readSweep: (String) -> SweepSnapshot?
    private let onEvent: EventHook?

    /// `sources[i]` is the session's source number i. `training` takes requests to a live job; `readSweep`
    /// reads a sweep folder (nil when it cannot be read); `onEvent` is run for every event that becomes final
    /// (with a bell).
    public init(terminal: any TerminalDevice, session: SessionState, sources: [any RecordSource], mailbox: SessionMailbox,
                clock: @escaping () -> Double, training: ((TrainingRequest) -> Void)? = nil,
                readSweep: @escaping (String) -> SweepSnapshot? = { _ in nil }, onEvent: EventHook? = nil) {
        self.terminal = terminal
        self.session = session
        self.sources = sources
        self.mailbox = mailbox
        self.clock = clock
        self.training = training
        self.readSweep = readSweep
        self.onEvent = onEvent
    }

    /// The session as it stands (for tests, after `run` returned).
    public var state: SessionState { session }

    /// Runs until the user quits (nil) or a terminating signal arrives (its number; SIGHUP for a lost terminal).
    /// The terminal is restored when it returns.
    public func run() -> Int32? {
        defer { terminal.restore() }
        let mailbox = self.mailbox
        mailbox.connect(terminal.waker)
        for (i, source) in sources.enumerated() { source.connect { mailbox.post(.updates(source: i, $0)) } }
        while true {
            if let signal = terminal.takeTerminatingSignal() {
                training?(.stop)
                return signal
            }
            // Pushed news first, so that a key acts on the newest state (q right after the run ended quits
            // without asking whether to stop training).
            var events = mailbox.take()
            for input in terminal.readInput() {
                switch input {
                case .key(let key): events.append(.key(key))
                case .resize: events.append(.resize(width: terminal.width, height: terminal.height))
                }
            }
            events.append(.tick(clock()))
            var next = 0
            while next < events.count {
                for effect in session.update(events[next]) { events += perform(effect) }
                next += 1
            }
            if session.quitting { return nil }
            if let frame = session.frame(now: clock()) { terminal.present(frame) }
            var timeout = session.deadline.map { max($0 - clock(), 0) }
            if !mailbox.arm() { timeout = 0 }
            terminal.wait(timeout: timeout)
        }
    }

    /// Performs one effect; returns the events that report its result.
    private func perform(_ effect: SessionEffect) -> [SessionEvent] {
        switch effect {
        case .poll(let i):
            let updates = sources[i].poll()
            return updates.isEmpty ? [] : [.updates(source: i, updates)]
        case .readSweep(let directory): return [.sweepRead(readSweep(directory))]
        case .append(let record, let run, let source):
            return append(record, to: sources[source].markFile(for: run)).map { [$0] } ?? []
        case .training(let request): training?(request)
        case .notify(let event):
            guard let onEvent else { break }
            terminal.bell()
            if let problem = onEvent.run(event) { return [.problem(problem)] }
        case .redraw: terminal.forceRepaint()
        case .suspend: terminal.suspend()
        case .quit: break
        }
        return []
    }

    /// Appends a mark change to `file` (never rewriting it); nil when saved, else the event that undoes it. The
    /// file is opened for each mark: marks are rare, and a file replaced meanwhile (a record file rewritten after
    /// its source restarted) gets the mark, not the old copy.
    private func append(_ record: RunRecord, to file: String?) -> SessionEvent? {
        let step = record.step ?? 0
        guard let file else { return .markNotSaved(step: step, message: "this run has no file") }
        do {
            let writer = try RunWriter(appendingTo: file)
            try writer.append(record)
            try writer.close()
            return nil
        } catch {
            return .markNotSaved(step: step, message: "could not write \(file): \(error)")
        }
    }
}
