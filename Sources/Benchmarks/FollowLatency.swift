import Dashboard
import DashboardDriver
import ExternalRuns
import Foundation
import RunFiles
import RunFormat
import TerminalUI

/// `follow_latency`: how soon a scalar the writer has flushed to an event file is on the screen of `watch`. The
/// whole path runs: a followed `TensorBoardSource` polled by `SessionDriver` on its own thread, the session's
/// frame rendered and presented to a terminal that only looks for the new step in the header. One repetition
/// writes one event and waits for the frame showing it; unit updates/s, so 1 / rate is the latency in seconds
/// (the median, and 1 / min the worst).
enum FollowLatency {
    static func followLatency() -> BenchmarkCase {
        BenchmarkCase(name: "follow_latency", unit: "updates/s", workPerRepetition: 1) {
            let dir = NSTemporaryDirectory() + "genwindow-bench-\(getpid())-follow"
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = dir + "/events.out.tfevents.1700000000.bench.1.0"
            let writer = try EventWriter(path: path)
            try writer.write(step: 0)
            let terminal = WatchingTerminal()
            let source = try ExternalSources.open(path: dir, live: true)
            let session = SessionState(screen: DashboardState(mode: .watch, width: 120, height: 36, glyphs: .unicode),
                                       pollIntervals: [source.pollInterval], now: RunWriter.monotonicSeconds())
            let driver = SessionDriver(terminal: terminal, session: session, sources: [source], mailbox: SessionMailbox(),
                                       clock: RunWriter.monotonicSeconds)
            let box = DriverBox(driver)
            Thread.detachNewThread { _ = box.driver.run() }
            var step = 0
            return {
                step += 1
                try writer.write(step: step)
                guard terminal.waitForStep(step, timeout: 10) else {
                    throw ExternalRunError("follow_latency: step \(step) did not reach the screen within 10 s")
                }
            }
        }
    }
}

/// Appends one scalar event per call to an event file, as torch's `SummaryWriter.flush` leaves it.
private final class EventWriter {
    let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw ExternalRunError("\(path): cannot write the benchmark's event file")
        }
        handle = h
    }

    func write(step: Int) throws {
        let record = ExternalRunsBenchmarks.scalarRecord(step: step, wallTime: Date().timeIntervalSince1970, tag: "loss",
                                                         value: 1 / Float(step + 1))
        try handle.write(contentsOf: Data(record))
    }
}

/// Hands the driver to its thread.
private final class DriverBox: @unchecked Sendable {
    let driver: SessionDriver
    init(_ driver: SessionDriver) { self.driver = driver }
}

/// A terminal that draws nothing: it notes the step each presented frame's header shows and ends the driver once
/// no one has waited on it for 30 s (the benchmark has moved on).
private final class WatchingTerminal: TerminalDevice, @unchecked Sendable {
    let width = 120
    let height = 36
    private let condition = NSCondition()
    private var shownStep = -1
    private var woken = false
    private var lastWait = Date()

    func present(_ buffer: CellBuffer) {
        let header = buffer.line(0)
        guard let r = header.range(of: "step ") else { return }
        let digits = header[r.upperBound...].prefix { $0.isNumber }
        guard let step = Int(digits) else { return }
        condition.lock()
        shownStep = max(shownStep, step)
        condition.broadcast()
        condition.unlock()
    }

    func waitForStep(_ step: Int, timeout: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        lastWait = Date()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while shownStep < step { if !condition.wait(until: deadline) { return false } }
        return true
    }

    func forceRepaint() {}
    func readInput() -> [TerminalInput] { [] }
    func suspend() {}
    func bell() {}
    func restore() {}

    func wait(timeout: Double?) {
        condition.lock()
        if !woken { _ = condition.wait(until: Date(timeIntervalSinceNow: min(timeout ?? 1, 1))) }
        woken = false
        condition.unlock()
    }

    func takeTerminatingSignal() -> Int32? {
        condition.lock()
        defer { condition.unlock() }
        return Date().timeIntervalSince(lastWait) > 30 ? SIGTERM : nil
    }

    var waker: @Sendable () -> Void {
        { [weak self] in
            guard let self else { return }
            self.condition.lock()
            self.woken = true
            self.condition.broadcast()
            self.condition.unlock()
        }
    }
}
