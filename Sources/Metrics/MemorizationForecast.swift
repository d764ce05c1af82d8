#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forecast of tau_mem for a run that has not memorized yet — an estimate, always shown with its basis.
public struct TimescaleForecast: Sendable, Equatable {
    /// Forecast step.
    public var step: Double
    /// ±1 geometric standard deviation of the fit's residuals around `step`; nil with fewer than 2 earlier runs.
    public var low: Double?
    public var high: Double?
    /// What the forecast rests on, for display, e.g. "forecast: tau_mem ∝ n fitted on 4 earlier runs".
    public var basis: String
}

/// Forecasts of tau_mem from earlier runs of a sweep.
public enum MemorizationForecast {
    /// tau_mem ∝ n (Paper B, tau_mem ≈ 300·n steps at fixed width): c = exp(mean ln(tau_mem/n)) over `earlier`
    /// (training-set size, detected tau_mem) pairs of runs with the same model and settings, forecast c·n.
    /// Nil without earlier runs.
    public static func proportionalToTrainingSize(earlier: [(n: Int, tauMem: Int)], n: Int) -> TimescaleForecast? {
        let logs = earlier.filter { $0.n > 0 && $0.tauMem > 0 }.map { log(Double($0.tauMem) / Double($0.n)) }
        guard !logs.isEmpty, n > 0 else { return nil }
        let meanLog = logs.reduce(0, +) / Double(logs.count)
        let c = exp(meanLog)
        let step = c * Double(n)
        var low: Double?, high: Double?
        if logs.count >= 2 {
            let variance = logs.reduce(0) { $0 + ($1 - meanLog) * ($1 - meanLog) } / Double(logs.count - 1)
            let spread = exp(variance.squareRoot())
            low = step / spread
            high = step * spread
        }
        let runs = logs.count == 1 ? "1 earlier run" : "\(logs.count) earlier runs"
        return TimescaleForecast(step: step, low: low, high: high,
                                 basis: "forecast: tau_mem ∝ n fitted on \(runs) (\(Int(c.rounded())) steps per training example)")
    }
}
