import Phases

/// One run of a sweep in the dashboard's phase diagram: its data size n, its model size p (or width), and its
/// region (nil while it cannot be classified: no n and p, no records yet).
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
