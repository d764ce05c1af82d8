#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TimescaleDetector {
    /// RF tau_mem (science.md §4): after the test-loss minimum, the step at which the generalization gap
    /// L_gen = L_test − L_train grows fastest per unit of ln(step), the largest finite-difference slope refined by a
    /// parabola through it and its two neighbours (in ln step). Needs a log-spaced evaluation grid (≥ 10 points per
    /// decade).
    ///
    /// The fastest growth in the newest interval may still be overtaken: `notYet` while live, `notReached` once
    /// finished. Otherwise live detections are provisional. Steps must be positive and increasing.
    public static func memorizationTimeFromGap(
        testLoss: [SeriesPoint], gap: [SeriesPoint], state: SeriesState
    ) -> TimescaleDetection {
        let none: TimescaleDetection = state == .live ? .notYet : .notReached
        guard let minimum = testLoss.filter({ $0.value.isFinite }).min(by: { $0.value < $1.value }) else { return none }
        let points = gap.filter { $0.value.isFinite && $0.step > 0 && $0.step >= minimum.step }
        guard points.count >= 3 else { return none }
        let x = points.map { log(Double($0.step)) }
        var mid: [Double] = [], slope: [Double] = []
        for i in 0..<(points.count - 1) {
            mid.append(0.5 * (x[i] + x[i + 1]))
            slope.append((points[i + 1].value - points[i].value) / (x[i + 1] - x[i]))
        }
        var best = 0
        for i in slope.indices where slope[i] > slope[best] { best = i }
        guard best < slope.count - 1 else { return none }
        var peak = mid[best]
        if best > 0 {
            let (a, b, c) = (mid[best - 1], mid[best], mid[best + 1])
            let (ga, gb, gc) = (slope[best - 1], slope[best], slope[best + 1])
            let denominator = (b - a) * (gb - gc) - (b - c) * (gb - ga)
            if denominator != 0 {
                let vertex = b - 0.5 * ((b - a) * (b - a) * (gb - gc) - (b - c) * (b - c) * (gb - ga)) / denominator
                peak = min(max(vertex, a), c)
            }
        }
        return .detected(step: Int(exp(peak).rounded()), provisional: state == .live)
    }
}
