import RunFormat

/// Where a run stands: ended (and why), still being written, or silent for too long.
public enum RunStatus: String, Sendable, CaseIterable {
    case running, completed, interrupted, diverged
    /// Ended by its own `--stop-when` rule.
    case earlyStop = "early_stop"
    /// No `end` record, and nothing written for longer than the stall limit.
    case stalled

    /// The status of a run that ended with `end` (nil: no end record yet) and was last written
    /// `secondsSinceLastWrite` ago; without an end it is stalled past `stallAfter` seconds.
    public static func of(end: EndReason?, secondsSinceLastWrite: Double, stallAfter: Double) -> RunStatus {
        switch end {
        case .completed?: .completed
        case .interrupted?: .interrupted
        case .diverged?: .diverged
        case .earlyStop?: .earlyStop
        case nil: secondsSinceLastWrite > stallAfter ? .stalled : .running
        }
    }

    /// Seconds without a record before a run with no end is called stalled (`--stall-after`'s default).
    public static let defaultStallAfter = 300.0
}
