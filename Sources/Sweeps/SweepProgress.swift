/// The live state of a running sweep, and the text shown for it (pure: the clock is passed in).
public struct SweepProgress: Sendable {
    public var total: Int
    /// Cells already finished before this invocation started (skipped on resume).
    public var skipped: Int
    public var workers: Int
    /// Wall-clock seconds of cells finished in this invocation (completed, early_stop or diverged).
    public var durations: [Double] = []
    public var failed: [(name: String, why: String)] = []
    /// Running cells and when they started (monotonic seconds).
    public var running: [(name: String, start: Double)] = []
    public var pending: Int

    public init(total: Int, skipped: Int, pending: Int, workers: Int) {
        self.total = total
        self.skipped = skipped
        self.pending = pending
        self.workers = workers
    }

    public var done: Int { skipped + durations.count }

    /// Seconds until every cell is done: remaining work at the mean duration of the cells finished so far, shared
    /// by the workers. Nil until a cell has finished.
    public func eta(now: Double) -> Double? {
        guard !durations.isEmpty else { return nil }
        let mean = durations.reduce(0, +) / Double(durations.count)
        let left = running.reduce(0.0) { $0 + max(0, mean - (now - $1.start)) } + Double(pending) * mean
        return left / Double(max(1, min(workers, running.count + pending)))
    }

    /// The terminal display: one line per state (done, running, failed).
    public func lines(now: Double) -> [String] {
        let etaText = eta(now: now).map { "  ETA \(Self.duration($0))" } ?? ""
        var out = ["done \(done)/\(total)  running \(running.count)  failed \(failed.count)  pending \(pending)\(etaText)"]
        if !running.isEmpty {
            out.append("  running: " + running.map { "\($0.name) (\(Self.duration(now - $0.start)))" }.joined(separator: ", "))
        }
        if !failed.isEmpty {
            out.append("  failed:  " + failed.map { "\($0.name) (\($0.why))" }.joined(separator: ", "))
        }
        return out
    }

    /// The line printed when a cell finishes, for logs and pipes.
    public func finishedLine(name: String, status: CellStatus, seconds: Double, detail: String?) -> String {
        let extra = detail.map { " (\($0))" } ?? ""
        return "[\(done + failed.count)/\(total)] \(name) \(status.rawValue)\(extra) in \(Self.duration(seconds))"
    }

    /// "42s", "3m05s", "1h02m".
    public static func duration(_ s: Double) -> String {
        let t = Int(max(0, s).rounded())
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m" + pad2(t % 60) + "s" }
        return "\(t / 3600)h" + pad2((t % 3600) / 60) + "m"
    }

    private static func pad2(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
}
