import RunFormat

/// The thresholds that decide a cell's region; `genwindow phase` prints them with every diagram.
public struct PhaseThresholds: Equatable, Sendable {
    /// A run memorizes when its last mem_frac is above this (one memorized sample in a hundred by default, so
    /// a single near-duplicate among few samples does not decide the region).
    public var memFrac: Double
    /// The test loss "rises" when, after its minimum, it goes more than this fraction above that minimum. At
    /// finite d the RF test loss still rises a little for n > p and the rise shrinks smoothly with n/p (d = 25,
    /// default budget: 18–28% at n = p, 8% at n = 2p, 2% at n = 4p); 10% puts the boundary between n = p and
    /// n = 2p, next to the theory's n* = p.
    public var testLossRise: Double

    /// A run has converged when its train loss moved less than this fraction over the second half of its steps.
    public var convergence: Double

    public init(memFrac: Double = 0.01, testLossRise: Double = 0.10, convergence: Double = 0.01) {
        self.memFrac = memFrac
        self.testLossRise = testLossRise
        self.convergence = convergence
    }
}

/// Paper B's three regions of the n–p plane, plus the cells a diagram cannot place.
public enum PhaseRegion: String, Sendable, CaseIterable {
    /// Memorization has begun by the end of the training budget.
    case memorization
    /// A generalization window exists: tau_gen < end of budget ≤ tau_mem.
    case generalization
    /// No memorization even at convergence: training converged, the test loss never rose (and mem_frac, where
    /// measured, stayed at or below the threshold).
    case architectural = "architectural_regularization"
    /// Ended, but none of the above holds (e.g. tau_gen not reached within the budget).
    case undetermined
    /// The run has not ended with `completed` or `early_stop` (still running, interrupted, diverged or crashed).
    case unfinished
}

/// Sorts a run into its region of the n–p diagram: the one rule behind `genwindow phase` and the dashboard's
/// phase pane.
public enum PhaseClassifier {
    /// The region of one cell, decided in this order:
    /// 1. not ended `completed` or `early_stop` (its `--stop-when` rule met: a whole run) → unfinished;
    /// 2. memorization has begun by the end of the budget → memorization: the last mem_frac is above the
    ///    threshold; in runs that do not measure mem_frac (RF), tau_mem was reached and the test loss rose;
    /// 3. training converged (train loss), the test loss never rose and mem_frac (where measured) never exceeded
    ///    the threshold → architectural regularization (a tau_mem event without a rising test loss is noise in
    ///    L_gen, not memorization);
    /// 4. tau_gen reached and tau_mem not reached within the budget → generalization;
    /// 5. otherwise undetermined.
    public static func region(of c: CellSummary, thresholds: PhaseThresholds) -> PhaseRegion {
        guard c.endReason?.isFinished == true else { return .unfinished }
        let rose = c.testLossRise.map { $0 > thresholds.testLossRise }
        let memorizing = c.finalMemFrac.map { $0 > thresholds.memFrac } ?? (c.tauMemReached && rose != false)
        if memorizing { return .memorization }
        let converged = c.trainLossChange.map { $0 <= thresholds.convergence } ?? false
        if converged && rose == false && (c.maxMemFrac.map { $0 <= thresholds.memFrac } ?? true) { return .architectural }
        if c.tauGenReached && !c.tauMemReached { return .generalization }
        return .undetermined
    }
}
