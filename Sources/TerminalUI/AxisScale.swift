import Foundation

/// Maps data values to positions along an axis, linearly or logarithmically, and chooses tick values.
public struct AxisScale: Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public var isLog: Bool

    /// A scale over [`lower`, `upper`]. A log scale needs `lower` > 0; degenerate ranges are widened so every
    /// mapping stays finite.
    public init(lower: Double, upper: Double, isLog: Bool) {
        var lo = lower, hi = upper
        if isLog {
            if !(lo > 0) || !lo.isFinite { lo = hi.isFinite && hi > 0 ? hi / 10 : 1 }
            if !(hi > 0) || !hi.isFinite { hi = lo * 10 }
            if hi <= lo { hi = lo * 10; lo = lo / 10 }
        } else {
            if !lo.isFinite { lo = 0 }
            if !hi.isFinite { hi = lo + 1 }
            if hi <= lo {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= pad
                hi += pad
            }
        }
        self.lower = lo
        self.upper = hi
        self.isLog = isLog
    }

    private func transform(_ v: Double) -> Double { isLog ? log10(v) : v }
    private func inverse(_ t: Double) -> Double { isLog ? pow(10, t) : t }

    /// The fraction 0…1 of the way from `lower` to `upper` (outside for values outside the range; NaN for
    /// values a log scale cannot show).
    public func fraction(_ v: Double) -> Double {
        if isLog && !(v > 0) { return .nan }
        let a = transform(lower), b = transform(upper)
        return (transform(v) - a) / (b - a)
    }

    /// The value at fraction `f` of the axis.
    public func value(atFraction f: Double) -> Double {
        let a = transform(lower), b = transform(upper)
        return inverse(a + f * (b - a))
    }

    /// Tick values inside the range, at most about `maxCount`: powers of ten on a log axis (thinned, or filled
    /// in with 2× and 5× when few), 1/2/5 × 10^k steps on a linear one.
    public func ticks(maxCount: Int) -> [Double] {
        guard maxCount > 0 else { return [] }
        if isLog {
            let e0 = Int(ceil(log10(lower) - 1e-9)), e1 = Int(floor(log10(upper) + 1e-9))
            if e1 - e0 + 1 >= 2 {
                let count = e1 - e0 + 1
                let stride = max(1, Int(ceil(Double(count) / Double(maxCount))))
                return Swift.stride(from: e0, through: e1, by: stride).map { pow(10, Double($0)) }
            }
            var t: [Double] = []
            for e in (e0 - 1)...(e1 + 1) {
                for m in [1.0, 2.0, 5.0] {
                    let v = m * pow(10, Double(e))
                    if v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) { t.append(v) }
                }
            }
            if t.count > maxCount { t = t.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) }
            return Array(t.prefix(maxCount))
        }
        let span = upper - lower
        let raw = span / Double(max(maxCount, 1))
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * mag }.first { span / $0 <= Double(maxCount) } ?? 10 * mag
        var t: [Double] = []
        var v = ceil(lower / step - 1e-9) * step
        while v <= upper + step * 1e-9 && t.count <= maxCount {
            t.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return t
    }
}
