import RunFormat
import TerminalUI

/// A forecast of when memorization (tau_mem) sets in, computed by the host from other runs (the dashboard only
/// shows it): the time in the runs' own unit — steps, or the model's training time τ for RF, whose step size
/// depends on n — and a short basis, e.g. "∝ n, 3 runs".
public struct MemorizationEstimate: Sendable, Equatable {
    public var time: Double
    /// "steps", or "τ" (then the run's `tau` series maps it to a step).
    public var unit: String
    public var basis: String

    public init(time: Double, unit: String = "steps", basis: String) {
        self.time = time
        self.unit = unit
        self.basis = basis
    }

    /// The forecast to show in `state`: none once tau_mem was detected (any basis) or without a forecast.
    static func shown(in state: DashboardState) -> MemorizationEstimate? {
        guard state.latestEvent(EventKind.tauMem) == nil, let f = state.memorizationForecast, f.time.isFinite, f.time > 0 else { return nil }
        return f
    }

    /// The training step of the forecast: the time itself in steps; for τ, the step where the run's `tau`
    /// series reaches it (interpolated), or past its end extrapolated from its last two points (τ grows
    /// linearly in steps once the learning rate is constant). Nil without a usable `tau` series.
    func step(in state: DashboardState) -> Double? {
        guard unit == "τ" else { return time }
        guard let tau = state.series[MetricName.tau], tau.count >= 2 else { return nil }
        let steps = tau.steps, taus = tau.values
        var previous: (step: Double, tau: Double)?
        for i in 0..<tau.count where taus[i].isFinite {
            if let p = previous, taus[i] >= time, taus[i] > p.tau {
                return p.step + (time - p.tau) / (taus[i] - p.tau) * (steps[i] - p.step)
            }
            previous = (steps[i], taus[i])
        }
        guard let last = previous, let i = (0..<tau.count).last(where: { taus[$0].isFinite && steps[$0] < last.step }),
              last.tau > taus[i] else { return nil }
        return last.step + (time - last.tau) / (last.tau - taus[i]) * (last.step - steps[i])
    }

    /// The one-line text: "τ_mem ≈ 61k (forecast: ∝ n, 3 runs)"; on a τ axis "τ_mem ≈ 61k (τ 3.7k, forecast: …)".
    func text(in state: DashboardState) -> String {
        guard unit == "τ" else { return "τ_mem ≈ " + NumberFormat.compact(time) + " (forecast: " + basis + ")" }
        let tau = "τ " + NumberFormat.compact(time)
        guard let step = step(in: state) else { return "τ_mem ≈ " + tau + " (forecast: " + basis + ")" }
        return "τ_mem ≈ " + NumberFormat.compact(step) + " (" + tau + ", forecast: " + basis + ")"
    }
}
