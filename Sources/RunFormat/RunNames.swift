/// The series names metrics records carry, one constant per name written anywhere (the run format's
/// vocabulary: readers and writers share these instead of repeating the strings).
public enum MetricName {
    /// RF: training time τ = Σ η_k/d².
    public static let tau = "tau"
    public static let trainLoss = "train_loss"
    public static let testLoss = "test_loss"
    /// RF: L_gen = test_loss − train_loss.
    public static let genLoss = "gen_loss"
    /// RF, Gaussian data: Δ_t·E‖s_A − ∇log p_t‖²/d.
    public static let scoreError = "score_error"
    /// RF with GD: the closed-form trajectory's losses.
    public static let trainLossTheory = "train_loss_theory"
    public static let testLossTheory = "test_loss_theory"
    /// RF: the step's learning rate.
    public static let learningRate = "lr"
    /// The global L2 norm of the gradient over all parameters at the evaluation's step: DDPM, the minibatch
    /// gradient of the step that reached it (before clipping; none at step 0); RF, the full-batch ∇L at the
    /// evaluated readout A.
    public static let gradNorm = "grad_norm"
    /// Memorized fraction of the samples and its 95% bootstrap interval.
    public static let memFrac = "mem_frac"
    public static let memFracCILow = "mem_frac_ci_low"
    public static let memFracCIHigh = "mem_frac_ci_high"
    /// Fréchet distance of the samples to the held-out reference, and the sample count it was measured on.
    public static let fid = "fid"
    public static let fidSamples = "fid_samples"
}

/// The kinds of event records written anywhere.
public enum EventKind {
    /// Generalization time detected.
    public static let tauGen = "tau_gen"
    /// Memorization time detected.
    public static let tauMem = "tau_mem"
    /// The RF test loss first stood 10% above its running minimum: a warning that it climbs, not a time.
    public static let testLossRise = "test_loss_rise"
    /// Suggested early-stopping step (lowest FID in [tau_gen, tau_mem)).
    public static let earlyStop = "early_stop"
    /// The losses or samples stopped being finite; the run ends.
    public static let diverged = "diverged"
    /// A mark was deleted (by the user).
    public static let markDeleted = "mark_deleted"
    /// The run was resumed from its training state.
    public static let resumed = "resumed"
}
