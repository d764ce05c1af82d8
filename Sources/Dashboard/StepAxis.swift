#if canImport(Glibc)
import Glibc
#endif
import TerminalUI

/// What the loss pane's horizontal axis measures (`t` cycles, as TensorBoard's horizontal axis setting).
public enum XAxisMode: Sendable, Equatable, CaseIterable {
    case step
    /// Seconds since the run started (its records' `time_s`).
    case relativeTime
    /// The time of day the record was written (the header's `created` plus `time_s`).
    case wallClock

    var title: String {
        switch self {
        case .step: "step"
        case .relativeTime: "relative time"
        case .wallClock: "wall clock (UTC)"
        }
    }
}

/// When each record of a run was written: its steps, ascending, with their `time_s`, and the run's start.
public struct RunTimeline: Sendable, Equatable {
    public var steps: [Double] = []
    public var seconds: [Double] = []
    /// The header's `created`, in seconds since 1970 (UTC); nil when missing or unreadable.
    public var created: Double?

    public init() {}

    /// Seconds since 1970 of an ISO-8601 UTC time such as "2026-11-23T21:40:00Z".
    static func epoch(_ iso: String) -> Double? {
        let digits = iso.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard digits.count >= 6, iso.hasSuffix("Z") else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let (y0, m, d) = (digits[0], digits[1], digits[2])
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + digits[3] * 3600 + digits[4] * 60 + digits[5])
    }
}

/// Maps steps to the loss pane's horizontal axis and back, piecewise linearly through a run's timeline (and
/// beyond its ends at its last rate), and writes the axis labels.
struct StepAxis {
    let mode: XAxisMode
    let timeline: RunTimeline

    /// The axis value of `step`.
    func x(_ step: Double) -> Double {
        guard mode != .step else { return step }
        return interpolate(step, from: timeline.steps, to: timeline.seconds) + offset
    }

    /// The step at axis value `x`.
    func step(_ x: Double) -> Double {
        guard mode != .step else { return x }
        return interpolate(x - offset, from: timeline.seconds, to: timeline.steps)
    }

    /// Whether a log scale is possible (the step axis and relative time, both from 0).
    var allowsLog: Bool { mode != .wallClock }

    private var offset: Double { mode == .wallClock ? timeline.created ?? 0 : 0 }

    /// The axis label of `x`: a step count, a duration ("42s", "3:05", "2h03"), or a time of day ("21:40").
    func label(_ x: Double) -> String {
        switch mode {
        case .step: return NumberFormat.compact(x)
        case .relativeTime: return StepAxis.duration(x)
        case .wallClock:
            let s = Int(x.rounded()) % 86_400
            let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60)
            return pad(h) + ":" + pad(m) + (timeline.seconds.last.map { $0 < 600 } == true ? ":" + pad(sec) : "")
        }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)" }
        return "\(s / 3600)h" + (s / 60 % 60 < 10 ? "0" : "") + "\(s / 60 % 60)"
    }

    private func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Piecewise-linear interpolation of `value` through (xs, ys) (xs ascending), extrapolated past the ends
    /// from the nearest two points; the identity without two points.
    private func interpolate(_ value: Double, from xs: [Double], to ys: [Double]) -> Double {
        guard xs.count >= 2 else { return xs.first.map { value - $0 + ys[0] } ?? value }
        var lo = 0, hi = xs.count - 1
        if value <= xs[0] { hi = 1 } else if value >= xs[hi] { lo = hi - 1 } else {
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if xs[mid] <= value { lo = mid } else { hi = mid }
            }
        }
        let span = xs[hi] - xs[lo]
        guard span > 0 else { return ys[lo] }
        return ys[lo] + (value - xs[lo]) / span * (ys[hi] - ys[lo])
    }
}
