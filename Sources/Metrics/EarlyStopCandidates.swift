extension TimescaleDetector {
    /// The evaluation steps whose model may still turn out to be the window's early stop (`window(…).earlyStop`
    /// on the series at the evaluation that confirms tau_mem), in step order: while tau_mem is not confirmed,
    /// every step with a finite FID except those beaten — a strictly lower FID — by a later evaluation that is
    /// certainly before tau_mem (before the start of the run of evaluations that may still confirm it). A job that
    /// keeps checkpoints for `--stop-when window` keeps these and drops the rest; since a step once beaten stays
    /// beaten, it never needs one back.
    public static func earlyStopCandidates(
        fid: [SeriesPoint], memorization: [MemorizationPoint], memorizationCriterion: MemorizationCriterion = .standard
    ) -> [Int] {
        let closing = memorizationTime(memorization, criterion: memorizationCriterion, state: .live).step ?? Int.max
        let points = fid.filter { $0.value.isFinite }.sorted { $0.step < $1.step }
        var lowestLater = Double.infinity
        var candidates: [Int] = []
        for point in points.reversed() {
            if point.value <= lowestLater { candidates.append(point.step) }
            if point.step < closing { lowestLater = min(lowestLater, point.value) }
        }
        return candidates.reversed()
    }
}
