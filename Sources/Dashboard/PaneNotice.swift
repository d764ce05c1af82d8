/// What a pane says when it has nothing to draw: why, and what to do about it — never "waiting" for data that
/// will not come.
enum PaneNotice {
    /// The memorization row `what` (f_mem, FID) or the samples pane, before any evaluation is shown.
    static func noEvaluation(_ state: DashboardState, of what: String) -> String {
        if !state.hasHeader { return "waiting for the run header…" }
        if !state.samplesExpected { return "no samples: RF run without --generative" }
        if state.mode == .replay || state.end != nil || state.trainingFailure != nil {
            return "this run recorded no \(what)"
        }
        return "\(what): waiting for the first evaluation…"
    }
}
