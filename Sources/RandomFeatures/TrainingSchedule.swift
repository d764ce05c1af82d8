/// Learning rates for full-batch GD on the RF loss, and training time τ = Σ η_k/d² (docs/science.md §4).
///
/// After a warm-up in which each step advances τ by `warmupGrowth` of the current τ (but never by less than a step
/// of `warmupStart`·η), every step uses η, typically 0.9 × the largest stable step d·p/(Δ_t λ_max(U)).
public struct RFStepSchedule: Sendable, Equatable {
    public let eta: Double
    public let d: Int
    public let warmupStart: Double
    public let warmupGrowth: Double

    public init(eta: Double, d: Int, warmupStart: Double = 0.01, warmupGrowth: Double = 0.1) {
        self.eta = eta
        self.d = d
        self.warmupStart = warmupStart
        self.warmupGrowth = warmupGrowth
    }

    /// The largest stable GD step on the loss with this U: d·p/(Δ_t λ_max).
    public static func stableStep(d: Int, p: Int, delta: Double, lambdaMax: Double) -> Double {
        Double(d * p) / (delta * lambdaMax)
    }

    /// The rate of the step taken when training time is `tau` (τ = 0 before the first step).
    public func learningRate(atTau tau: Double) -> Double {
        if warmupGrowth <= 0 { return eta }
        return min(eta, max(eta * warmupStart, warmupGrowth * Double(d * d) * tau))
    }

    /// τ advanced by one step of rate `lr`.
    public func tauIncrement(lr: Double) -> Double { lr / Double(d * d) }
}

/// Evaluation points log-spaced in τ: step 0, then the first step at which τ reaches each target
/// τ₁·10^{j/perDecade}, with τ₁ the τ of the first step.
public struct LogEvaluationSchedule: Sendable, Equatable {
    public let perDecade: Double
    private var next: Double?

    public init(perDecade: Double = 20) {
        self.perDecade = perDecade
    }

    /// Whether to evaluate after the step that reached `tau`; advances the target past `tau` when it is due.
    public mutating func isDue(tau: Double) -> Bool {
        if tau <= 0 { return true }
        guard let target = next else {
            next = tau * factor
            return true
        }
        if tau < target * (1 - 1e-12) { return false }
        var t = target
        while t <= tau { t *= factor }
        next = t
        return true
    }

    private var factor: Double { rfExp(rfLog(10) / perDecade) }
}
