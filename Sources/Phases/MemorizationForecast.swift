#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forecast of tau_mem for a run that has not memorized yet — an estimate, always shown with its basis.
public struct TimescaleForecast: Sendable, Equatable {
    /// The forecast tau_mem, in the time units of the runs it was fitted on (steps, or τ for RF).
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
        proportionalToTrainingSize(earlier: earlier.map { (n: $0.n, time: Double($0.tauMem)) }, n: n, unit: "steps")
    }

    /// The same law on any time axis: `time` is tau_mem in the runs' own units (training time τ for RF, whose
    /// step size changes with n; steps for DDPM), and so is the forecast. `unit` names it in the basis.
    public static func proportionalToTrainingSize(earlier: [(n: Int, time: Double)], n: Int,
                                                  unit: String) -> TimescaleForecast? {
        let logs = earlier.filter { $0.n > 0 && $0.time > 0 && $0.time.isFinite }.map { log($0.time / Double($0.n)) }
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
                                 basis: "forecast: tau_mem ∝ n fitted on \(runs) (\(Self.rate(c)) \(unit) per training example)")
    }

    /// The fitted rate for display: a whole number from 10 up, two decimals below.
    static func rate(_ c: Double) -> String {
        if c >= 10 { return String(Int(c.rounded())) }
        let hundredths = Int((c * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
