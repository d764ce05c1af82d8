import Foundation
import Metrics
import NumericCore

/// The reference the Fréchet distance of every dump is measured against: the held-out rows, brought to the
/// training rows' range, embedded in the session's feature space and fitted once, on first use, then shared by
/// the measurers of every run (in Inception features the fit takes about a minute on two cores).
public final class ReferenceFit: @unchecked Sendable {
    public let reference: TrainingRows
    public let space: any FeatureSpace
    private let rows: Matrix<Float>
    private let seed: UInt64
    private let lock = NSLock()
    private var fitted: Result<FrechetReference, Error>?

    public init(reference: TrainingRows, trainingScale: ValueScale, seed: UInt64, space: any FeatureSpace) {
        self.reference = reference
        self.space = space
        rows = reference.scale.map(reference.rows, to: trainingScale)
        self.seed = seed
    }

    /// The fitted reference (fitting it on the first call; an error is the same on every call).
    public func get() throws -> FrechetReference {
        lock.lock()
        defer { lock.unlock() }
        if fitted == nil {
            fitted = Result { try FrechetReference(testSplit: rows, size: rows.rows, seed: seed, space: space) }
        }
        return try fitted!.get()
    }
}
