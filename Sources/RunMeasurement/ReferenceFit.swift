import Foundation
import Metrics
import NumericCore

/// The reference the Fréchet distance of every dump is measured against: the held-out rows, brought to the
/// training rows' range, embedded in the session's feature space and fitted once, on first use, then shared by
/// the measurers of every run. In Inception features (a minute's work on two cores) the statistics also go to
/// `cache`, keyed by content as `metrics fd` keys them, so a second session reads them.
public final class ReferenceFit: @unchecked Sendable {
    public let reference: TrainingRows
    public let space: any FeatureSpace
    private let rows: Matrix<Float>
    private let seed: UInt64
    private let cache: StatisticsCache?
    private let lock = NSLock()
    private var fitted: Result<FrechetReference, Error>?

    public init(reference: TrainingRows, trainingScale: ValueScale, seed: UInt64, space: any FeatureSpace,
                cache: StatisticsCache? = nil) {
        self.reference = reference
        self.space = space
        rows = reference.scale.map(reference.rows, to: trainingScale)
        self.seed = seed
        self.cache = cache
    }

    /// Whether the statistics came from the cache (nil until fitted).
    public private(set) var cached: Bool?

    /// The fitted reference (fitting it on the first call; an error is the same on every call).
    public func get() throws -> FrechetReference {
        lock.lock()
        defer { lock.unlock() }
        if fitted == nil {
            fitted = Result {
                guard let cache, let inception = space as? InceptionFeatureSpace else {
                    cached = false
                    return try FrechetReference(testSplit: rows, size: rows.rows, seed: seed, space: space)
                }
                let (statistics, hit) = try cache.statistics(key: try inception.cacheKey(rows)) {
                    GaussianStatistics(features: try inception.embed(rows))
                }
                cached = hit
                return FrechetReference(features: space.name, rows: Array(0..<rows.rows), statistics: statistics)
            }
        }
        return try fitted!.get()
    }
}
