import Foundation

extension GeneralizationCriterion {
    /// The reference minimum of `values` (finite, in step order): the lowest median of `smoothing` consecutive
    /// values, or the median of all of them while there are fewer; nil for no values.
    public func referenceMinimum(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let width = min(smoothing, values.count)
        return (0...(values.count - width)).map { Self.median(values[$0..<($0 + width)]) }.min()
    }

    /// For each of `values` (finite, in step order), whether it satisfies the rule against the whole series: near
    /// the reference minimum and, with `fall` > 0, far enough down on a log scale from the first value towards the
    /// lowest value (the newest one while the series falls, so that a still-falling series does not qualify). The
    /// log condition needs a positive first and lowest value; without them it is not applied.
    public func flags(_ values: [Double]) -> [Bool] {
        guard let minimum = referenceMinimum(values), let first = values.first, let lowest = values.min() else { return [] }
        let near: Double = switch rule {
        case .nearMinimum(let r, let a): minimum + r * abs(minimum) + a
        }
        let logBound = fall > 0 && first > 0 && lowest > 0
            ? log(first) - fall * (log(first) - log(lowest)) : Double.infinity
        return values.map { $0 <= near && (logBound == .infinity || log($0) <= logBound) }
    }

    static func median(_ values: ArraySlice<Double>) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
