import TerminalUI

/// One named metric over training steps, stored for fast drawing: steps ascending, with per-block minima and
/// maxima so a chart column's extremes cost O(points / 64 + 128) instead of a scan.
///
/// Memory is bounded: when `capacity` points are held, the series is compacted in place by keeping the minimum
/// and maximum of every four consecutive points (spikes survive; the count halves). A million-step run therefore
/// never holds more than `capacity` points per series.
public struct Series: Sendable {
    static let blockSize = 64

    /// Training steps, non-decreasing.
    public private(set) var steps: [Double] = []
    /// Values; NaN for measurements that came out non-finite.
    public private(set) var values: [Double] = []
    private var blockMin: [Double] = []
    private var blockMax: [Double] = []
    public let capacity: Int

    public init(capacity: Int = 1 << 20) {
        precondition(capacity >= 8, "series capacity must be at least 8")
        self.capacity = capacity
    }

    public var count: Int { steps.count }
    public var isEmpty: Bool { steps.isEmpty }
    public var lastStep: Double? { steps.last }

    /// Appends a point. A step smaller than the last one (a file written out of order) is ignored and reported
    /// by returning false; infinities are stored as NaN (not drawable).
    @discardableResult
    public mutating func append(step: Double, value: Double) -> Bool {
        if let last = steps.last, step < last { return false }
        if steps.count >= capacity { compact() }
        let v = value.isFinite ? value : .nan
        steps.append(step)
        values.append(v)
        let b = (steps.count - 1) / Series.blockSize
        if b == blockMin.count {
            blockMin.append(.infinity)
            blockMax.append(-.infinity)
        }
        if v.isFinite {
            blockMin[b] = min(blockMin[b], v)
            blockMax[b] = max(blockMax[b], v)
        }
        return true
    }

    /// Index of the last point with step ≤ `step`.
    public func index(atOrBefore step: Double) -> Int? {
        let i = upperBound(step)
        return i > 0 ? i - 1 : nil
    }

    /// The last finite value at or before `step`.
    public func value(atOrBefore step: Double) -> Double? {
        guard var i = index(atOrBefore: step) else { return nil }
        while i >= 0 {
            if values[i].isFinite { return values[i] }
            i -= 1
        }
        return nil
    }

    /// First index with steps[i] >= s.
    func lowerBound(_ s: Double) -> Int {
        var lo = 0, hi = steps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if steps[mid] < s { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// First index with steps[i] > s.
    func upperBound(_ s: Double) -> Int {
        var lo = 0, hi = steps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if steps[mid] <= s { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Minimum and maximum of the finite values at indices `lo..<hi`, nil when there are none.
    public func extremes(_ lo: Int, _ hi: Int) -> (min: Double, max: Double)? {
        var mn = Double.infinity, mx = -Double.infinity
        let bs = Series.blockSize
        var i = max(lo, 0)
        let end = min(hi, values.count)
        values.withUnsafeBufferPointer { v in
            while i < end && i % bs != 0 {
                let x = v[i]
                if x < mn { mn = x }
                if x > mx { mx = x }
                i += 1
            }
            while i + bs <= end {
                let b = i / bs
                if blockMin[b] < mn { mn = blockMin[b] }
                if blockMax[b] > mx { mx = blockMax[b] }
                i += bs
            }
            while i < end {
                let x = v[i]
                if x < mn { mn = x }
                if x > mx { mx = x }
                i += 1
            }
        }
        return mn <= mx ? (mn, mx) : nil
    }

    /// Per-column min/max downsampling: for each of `count` columns of the x axis `scale`, the extremes and
    /// first/last finite values of the points whose step falls in that column and is ≤ `limit`.
    public func columns(scale: AxisScale, count: Int, upTo limit: Double = .infinity,
                        toStep: (Double) -> Double = { $0 }) -> [DotColumn?] {
        guard count > 0 else { return [] }
        var out = [DotColumn?](repeating: nil, count: count)
        let end = upperBound(limit)
        guard end > 0 else { return out }
        // Column boundaries are the chart's own (LineChart.columnRange), so points land where they are drawn;
        // `toStep` turns an axis value (a time) into the step it stands for.
        var lo = lowerBound(toStep(LineChart.columnRange(0, of: count, scale: scale).lower))
        for c in 0..<count {
            let upper = toStep(LineChart.columnRange(c, of: count, scale: scale).upper)
            let hi = min(c == count - 1 ? upperBound(upper) : lowerBound(upper), end)
            if hi > lo, let e = extremes(lo, hi), let f = firstFinite(lo, hi), let l = lastFinite(lo, hi) {
                out[c] = DotColumn(min: e.min, max: e.max, first: f, last: l)
            }
            lo = max(lo, hi)
            if lo >= end { break }
        }
        return out
    }

    private func firstFinite(_ lo: Int, _ hi: Int) -> Double? {
        var i = lo
        while i < hi { if values[i].isFinite { return values[i] }; i += 1 }
        return nil
    }

    private func lastFinite(_ lo: Int, _ hi: Int) -> Double? {
        var i = hi - 1
        while i >= lo { if values[i].isFinite { return values[i] }; i -= 1 }
        return nil
    }

    /// Keeps the minimum and maximum (in step order) of every group of four points.
    private mutating func compact() {
        var s: [Double] = [], v: [Double] = []
        s.reserveCapacity(capacity / 2 + 4)
        v.reserveCapacity(capacity / 2 + 4)
        var g = 0
        while g < steps.count {
            let end = min(g + 4, steps.count)
            var iMin = -1, iMax = -1
            for i in g..<end where values[i].isFinite {
                if iMin < 0 || values[i] < values[iMin] { iMin = i }
                if iMax < 0 || values[i] > values[iMax] { iMax = i }
            }
            if iMin < 0 {
                s.append(steps[g]); v.append(.nan)
            } else {
                for i in Set([iMin, iMax]).sorted() { s.append(steps[i]); v.append(values[i]) }
            }
            g = end
        }
        steps = []
        values = []
        blockMin = []
        blockMax = []
        for (step, value) in zip(s, v) { append(step: step, value: value) }
    }
}
