import RunFormat

/// One run's row of a workspace, folded from its records as they arrive: its header, the last step, the newest
/// value of each series, the newest tau_gen and tau_mem, and how it ended.
public struct RunTally: Sendable {
    public private(set) var header: RunHeader?
    /// The last step any record reached (the end record's once there is one).
    public private(set) var step: Int?
    /// The newest finite value of every series, by name.
    public private(set) var latest: [String: Double] = [:]
    /// The newest tau_gen and tau_mem events (provisional ones included: `isProvisional` tells).
    public private(set) var tauGen: EventRecord?
    public private(set) var tauMem: EventRecord?
    public private(set) var end: EndReason?

    public init() {}

    public init(_ records: [RunRecord]) {
        for r in records { add(r) }
    }

    public mutating func add(_ record: RunRecord) {
        switch record {
        case .header(let h): header = h
        case .metrics(let m):
            step = max(step ?? m.step, m.step)
            for v in m.values {
                if let value = v.value, value.isFinite { latest[v.name] = value }
            }
        case .event(let e) where e.kind == EventKind.tauGen: tauGen = e
        case .event(let e) where e.kind == EventKind.tauMem: tauMem = e
        case .end(let e):
            end = e.reason
            step = max(step ?? e.step, e.step)
        default: break
        }
    }

    /// True when a time event says later points may still move it.
    public static func isProvisional(_ event: EventRecord?) -> Bool { event?.fields["provisional"]?.bool == true }
}
