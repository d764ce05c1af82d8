import Dispatch
import Foundation
import RunFiles
import RunFormat
import Training

/// Runs a job without the dashboard: progress lines on stdout, the run file on disk, and an orderly stop on
/// SIGINT, SIGTERM or SIGHUP (the run ends as "interrupted", a checkpoint is saved, exit status 128 + signal).
enum HeadlessTraining {
    /// `signals`: the caller's traps, already watching its setup (a signal that arrived after the setup and
    /// before this call stops the run at once), which stay in place for the caller's next run; nil: traps of
    /// this run's own.
    static func run(_ job: sending TrainingJob, writer: sending RunWriter, quiet: Bool = false,
                    checkpointInterval: Double? = nil, elapsedOffset: Double = 0,
                    signals callerSignals: StopSignals? = nil) async throws {
        let signals = callerSignals ?? StopSignals()
        let path = writer.path
        let runner = TrainingRunner()
        let control = runner.control
        signals.onSignal { _ in control.requestStop() }
        runner.start(job, writer: writer, checkpointInterval: checkpointInterval, elapsedOffset: elapsedOffset)
        let printer = ProgressPrinter(quiet: quiet)
        for await update in runner.updates { printer.show(update) }
        let result = await runner.result()
        if callerSignals == nil { signals.cancel() }
        switch result {
        case .failure(let failure):
            throw RuntimeError("training failed: \(failure.message) (run file: \(path))")
        case .success(let end):
            printer.finish(end, path: path)
            if let signal = signals.received { Foundation.exit(128 + signal) }
            if end.reason == .diverged { Foundation.exit(1) }
        }
    }
}

/// Traps SIGINT, SIGTERM and SIGHUP for the whole of `train` (setup, then training), remembering which arrived
/// first and passing each to the current handler. One set of traps from start to end: the signal sources are
/// made once, as a second source for the same signal after a cancelled one receives nothing.
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var first: Int32?
    private var handler: (@Sendable (Int32) -> Void)?

    /// Returns once every trap is in place, so that a signal from then on is caught (not ignored).
    init() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.deliver(sig) }
            source.resume()
            sources.append(source)
        }
        for sig in [SIGINT, SIGTERM, SIGHUP] { Self.waitUntilCaught(sig) }
    }

    /// libdispatch installs its own handler for a source's signal when it registers the source, on its manager
    /// thread, some time after `resume()`; until then the signal is ignored. Waits (at most about a second) for
    /// the handler, so that a signal right after, say, the run file appears is not lost.
    private static func waitUntilCaught(_ sig: Int32) {
        var action = sigaction()
        for _ in 0..<10_000 {
            guard sigaction(sig, nil, &action) == 0 else { return }
            let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
            if handler != unsafeBitCast(SIG_IGN, to: Int.self) { return }
            usleep(100)
        }
    }

    /// Calls `handler` for every signal from now on; at once too when one has already arrived (say between the
    /// end of the setup and the start of training).
    func onSignal(_ handler: @escaping @Sendable (Int32) -> Void) {
        let pending: Int32? = lock.withLock {
            self.handler = handler
            return first
        }
        if let pending { handler(pending) }
    }

    /// The first stop signal received, if any.
    var received: Int32? { lock.withLock { first } }

    func cancel() {
        for s in sources { s.cancel() }
    }

    private func deliver(_ sig: Int32) {
        let handler: (@Sendable (Int32) -> Void)? = lock.withLock {
            if first == nil { first = sig }
            return self.handler
        }
        handler?(sig)
    }
}

/// Prints one line per metrics record and event, and a live step counter on a terminal.
final class ProgressPrinter {
    private let quiet: Bool
    private let isTerminal = isatty(1) == 1
    private var counterShown = false

    init(quiet: Bool) { self.quiet = quiet }

    func show(_ update: TrainingUpdate) {
        switch update {
        case .started:
            break
        case .record(.header(let h)):
            line("training \(h.model): \(describe(h.config))")
        case .record(.metrics(let m)):
            guard !quiet else { return }
            let values = m.values.compactMap { v in v.value.map { "\(v.name) \(formatValue($0))" } }
            line("step \(m.step)  " + values.joined(separator: "  "))
        case .record(.event(let e)):
            let extra = e.fields.pairs.map { "\($0.key)=\(JSONWriter.string($0.value))" }.joined(separator: " ")
            line("event \(e.kind) at step \(e.step)" + (extra.isEmpty ? "" : "  \(extra)"))
        case .record(.mark(let m)):
            line("mark at step \(m.step): \(m.label)")
        case .record:
            break
        case .progress(let p):
            guard isTerminal, !quiet else { return }
            let of = p.totalSteps.map { "/\($0)" } ?? ""
            print("\rstep \(p.step)\(of)  \(formatValue(p.stepsPerSecond)) steps/s\u{1B}[K", terminator: "")
            fflush(nil)
            counterShown = true
        case .failed(let message):
            line("error: \(message)")
        }
    }

    func finish(_ end: EndRecord, path: String) {
        line(ClosingLine.text(end: end, path: path))
    }

    private func line(_ text: String) {
        if counterShown { print("\r\u{1B}[K", terminator: ""); counterShown = false }
        print(text)
        fflush(nil)
    }

    private func describe(_ config: JSONObject) -> String {
        config.pairs.prefix(12).map { "\($0.key)=\(JSONWriter.string($0.value))" }.joined(separator: " ")
    }
}

/// Four significant digits, plain or scientific as fits.
func formatValue(_ x: Double) -> String {
    if x == 0 || !x.isFinite { return "\(x)" }
    let magnitude = abs(x)
    if magnitude >= 1e-3 && magnitude < 1e6 { return String(format: "%.4g", x) }
    return String(format: "%.3e", x)
}
