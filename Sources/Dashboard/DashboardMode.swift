/// Where the dashboard's records come from.
public enum DashboardMode: String, Sendable, CaseIterable {
    /// A training job in this process.
    case live
    /// A run file another process is writing.
    case watch
    /// A saved run, stepped through with the cursor.
    case replay

    public var label: String {
        switch self {
        case .live: "LIVE"
        case .watch: "WATCH"
        case .replay: "REPLAY"
        }
    }
}

/// The panes, in focus order.
public enum Pane: Int, Sendable, CaseIterable {
    case loss, memorization, phase, samples
    /// The runs pane (`r` shows it); in the focus order only while shown.
    case runs

    public var title: String {
        switch self {
        case .loss: "Loss"
        case .memorization: "Memorization & quality"
        case .phase: "Phase diagram n × p"
        case .samples: "Samples"
        case .runs: "Runs"
        }
    }
}
