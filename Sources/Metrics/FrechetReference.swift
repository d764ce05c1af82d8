import NumericCore

/// The fixed reference distribution FID is measured against during training: a fixed-size subset of the held-out
/// test split, chosen once from a seed, embedded and fitted once, so that FID curves compare across steps and
/// across runs of the same dataset. Record `features`, `rows.count` and the sample count with every value — FD is
/// biased at small counts and only comparable at equal counts.
public struct FrechetReference: Sendable {
    /// Name of the feature space the statistics live in.
    public let features: String
    /// Test-split rows used (0-based, ascending).
    public let rows: [Int]
    /// Gaussian fit of their features.
    public let statistics: GaussianStatistics

    /// Picks `size` rows of `testSplit` (all of them when it has no more) with `Xoshiro256(seed:, stream: 0x464944)`,
    /// embeds them in `space` and fits their Gaussian.
    public init(testSplit: Matrix<Float>, size: Int, seed: UInt64, space: any FeatureSpace) throws {
        guard size >= 2, testSplit.rows >= 2 else {
            throw FrechetDistanceError("an FD reference needs at least 2 rows, got \(min(size, testSplit.rows))")
        }
        let chosen = Self.chosenRows(available: testSplit.rows, size: size, seed: seed)
        var subset = Matrix<Float>(rows: chosen.count, cols: testSplit.cols)
        for (i, r) in chosen.enumerated() {
            for k in 0..<testSplit.cols { subset.storage[i * testSplit.cols + k] = testSplit.storage[r * testSplit.cols + k] }
        }
        features = space.name
        rows = chosen
        statistics = GaussianStatistics(features: try space.embed(subset))
    }

    /// A reference whose statistics were fitted before (read from a `StatisticsCache`).
    public init(features: String, rows: [Int], statistics: GaussianStatistics) {
        self.features = features
        self.rows = rows
        self.statistics = statistics
    }

    /// The rows a reference of `size` takes from `available` test rows: all of them when there are no more,
    /// else `size` drawn with `Xoshiro256(seed:, stream: 0x464944)`, ascending.
    public static func chosenRows(available: Int, size: Int, seed: UInt64) -> [Int] {
        var rng = Xoshiro256(seed: seed, stream: 0x46_4944)
        return size >= available ? Array(0..<available) : rng.sample(size, from: available).sorted()
    }

    /// FD between `samples` (embedded in `space`, which must be the reference's) and the reference.
    public func distance(to samples: Matrix<Float>, in space: any FeatureSpace) throws -> Double {
        guard space.name == features else {
            throw FrechetDistanceError("reference is in the '\(features)' feature space, not '\(space.name)'")
        }
        guard samples.rows >= 2 else { throw FrechetDistanceError("need at least 2 samples, got \(samples.rows)") }
        return try FrechetDistance.between(GaussianStatistics(features: try space.embed(samples)), statistics)
    }
}
