import RunFormat

/// Where a run sits in the n-versus-p phase diagram.
public enum PhaseRegion: String, Sendable, CaseIterable {
    case memorization
    case generalization
    case architecturalRegularization = "architectural regularization"

    /// A run's region from its detected timescales: memorization once τ_mem was reached, generalization when
    /// only τ_gen was, unknown before either.
    public static func of(events: [EventRecord]) -> PhaseRegion? {
        if events.contains(where: { $0.kind == "tau_mem" }) { return .memorization }
        if events.contains(where: { $0.kind == "tau_gen" }) { return .generalization }
        return nil
    }
}

/// One run of a sweep: its data size n, its model size p (or width), and its region.
public struct PhaseCell: Hashable, Sendable {
    public var n: Int
    public var p: Int
    public var region: PhaseRegion?

    public init(n: Int, p: Int, region: PhaseRegion?) {
        self.n = n
        self.p = p
        self.region = region
    }
}
