import TerminalUI

/// A forecast of the step where memorization (tau_mem) sets in, computed by the host from other runs (the
/// dashboard only shows it): the step and a short basis, e.g. "∝ n, 3 runs".
public struct MemorizationEstimate: Sendable, Equatable {
    public var step: Double
    public var basis: String

    public init(step: Double, basis: String) {
        self.step = step
        self.basis = basis
    }

    /// The one-line text: "τ_mem ≈ 61k (forecast: ∝ n, 3 runs)".
    public var text: String { "τ_mem ≈ " + NumberFormat.compact(step) + " (forecast: " + basis + ")" }

    /// The forecast to show in `state`: none once tau_mem was detected (any basis) or without a forecast.
    static func shown(in state: DashboardState) -> MemorizationEstimate? {
        guard state.latestEvent("tau_mem") == nil, let f = state.memorizationForecast, f.step.isFinite, f.step > 0 else { return nil }
        return f
    }
}
