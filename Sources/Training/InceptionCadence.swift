/// When a live run may start another Inception FID, so that the Inception network's share of the run's wall
/// time stays within `share` (20%).
///
/// The rule: an evaluation's samples go to the network only when the worker is idle (checked by the worker) and
/// `busy + estimate ≤ share · (elapsed + estimate)`, where `busy` is every second the worker has spent so far
/// (reference statistics included), `elapsed` the run's wall time and `estimate` the new FID's expected duration
/// (its images times the seconds per image of the last measured job; 0 before any). A FID admitted this way ends,
/// if the estimate holds, with busy ≤ share · elapsed. Evaluations that come while the worker is busy, or while
/// the budget is spent, get no FID.
public struct InceptionCadence: Sendable, Equatable {
    /// The largest share of wall time the network may take.
    public static let defaultShare = 0.2

    public let share: Double
    /// Seconds the worker has spent on reference statistics and FIDs.
    public private(set) var busySeconds: Double
    /// Wall seconds per image of the last measured job (nil before the first).
    public private(set) var secondsPerImage: Double?

    public init(share: Double = defaultShare, busySeconds: Double = 0, secondsPerImage: Double? = nil) {
        precondition(share > 0 && share <= 1, "the share of wall time is in (0, 1]")
        self.share = share
        self.busySeconds = busySeconds
        self.secondsPerImage = secondsPerImage
    }

    /// Whether a FID of `images` images may start now, `elapsed` seconds into the run (the worker being idle).
    public func admits(images: Int, elapsed: Double) -> Bool {
        let estimate = (secondsPerImage ?? 0) * Double(images)
        return busySeconds + estimate <= share * (elapsed + estimate)
    }

    /// Counts a finished job of `images` images that took `seconds`.
    public mutating func record(seconds: Double, images: Int) {
        busySeconds += seconds
        if images > 0 { secondsPerImage = seconds / Double(images) }
    }
}
