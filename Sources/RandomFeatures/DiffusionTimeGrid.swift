/// The diffusion times of a generative RF model (one score per time): `count` times log-spaced from `tMin` to
/// `tMax`, ascending. Log spacing puts most times at small t, where the score changes fastest and the last
/// denoising steps decide whether a sample lands on a training point.
public struct RFDiffusionGrid: Sendable, Equatable {
    /// Ascending times t_0 = tMin < … < t_{K−1} = tMax.
    public let times: [Double]

    public init(count: Int, tMin: Double, tMax: Double) {
        precondition(count >= 1 && tMin > 0 && tMax >= tMin, "a diffusion-time grid needs count ≥ 1 and 0 < tMin ≤ tMax")
        times = count == 1 ? [tMin] : logGrid(from: tMin, to: tMax, count: count)
    }

    public init(times: [Double]) {
        precondition(!times.isEmpty && times.first! > 0 && zip(times, times.dropFirst()).allSatisfy { $0 < $1 },
                     "diffusion times must be positive and strictly ascending")
        self.times = times
    }

    public var count: Int { times.count }
}

/// Whether the K scores of a generative RF model share one frozen feature matrix W or each draw their own.
public enum RFFeatureSharing: String, Sendable, CaseIterable {
    case shared
    case independent
}
