import RunFormat

/// Turns a run's evaluations, as they arrive, into its `tau_gen` / `tau_mem` / `early_stop` event records: the
/// rules genwindow applies to its own DDPM runs, kept apart from any model so that runs genwindow did not train
/// (sample dumps measured by `RunMeasurement`) get the same events by the same rules.
///
/// `events(final:)` runs `TimescaleDetector.window` on the evaluations so far as a complete series (a detection
/// needs its full persistence) and returns only the events that are new or moved since the last call. While the
/// run goes on, tau_gen is provisional (the FID minimum may still fall) and is returned only once two later FIDs
/// have not moved it (a still-falling FID detects its own latest value). With `final`, early_stop is returned too
/// and every event is marked final.
public struct TimescaleEmitter: Sendable {
    public let generalization: GeneralizationCriterion
    public let memorization: MemorizationCriterion
    /// The FIDs so far, in step order (a late FID is inserted at its step). Settable to restore a saved run.
    public var fidSeries: [SeriesPoint] = []
    /// The memorized fractions so far, in arrival order. Settable to restore a saved run.
    public var memSeries: [MemorizationPoint] = []
    /// The last returned (step, provisional) of each event kind, so that only changes are returned. Settable to
    /// restore a saved run.
    public var emitted: [String: (step: Int, provisional: Bool)] = [:]

    public init(generalization: GeneralizationCriterion, memorization: MemorizationCriterion) {
        self.generalization = generalization
        self.memorization = memorization
    }

    /// Adds a FID at `step`, after any already at that step and before later ones.
    public mutating func addFID(step: Int, value: Double) {
        let at = fidSeries.firstIndex { $0.step > step } ?? fidSeries.count
        fidSeries.insert(SeriesPoint(step: step, value: value), at: at)
    }

    /// Adds a memorized fraction (with its bootstrap interval's lower end).
    public mutating func addMemorization(_ point: MemorizationPoint) {
        let at = memSeries.lastIndex { $0.step <= point.step }.map { $0 + 1 } ?? 0
        memSeries.insert(point, at: at)
    }

    /// The events that the evaluations so far detect and that differ from those returned before (new, moved, or
    /// no longer provisional), in the order tau_gen, tau_mem, early_stop.
    public mutating func events(final: Bool) -> [EventRecord] {
        let window = TimescaleDetector.window(fid: fidSeries, memorization: memSeries, state: .finished,
                                              generalization: generalization, memorizationCriterion: memorization)
        var events: [EventRecord] = []
        let confirmations = fidSeries.filter { $0.step > (window.tauGen.step ?? Int.max) }.count
        if let step = window.tauGen.step, final || confirmations >= 2 {
            events.append(EventRecord(kind: EventKind.tauGen, step: step, fields: [
                "rule": .string(generalization.description), "provisional": .bool(!final)]))
        }
        if let step = window.tauMem.step {
            events.append(EventRecord(kind: EventKind.tauMem, step: step, fields: [
                "rule": .string(memorization.description), "provisional": false]))
        }
        if final, let step = window.earlyStop {
            events.append(EventRecord(kind: EventKind.earlyStop, step: step, fields: [
                "rule": "lowest FID in [tau_gen, tau_mem)", "provisional": false]))
        }
        return events.filter { event in
            let key = (step: event.step, provisional: event.fields["provisional"]?.bool ?? false)
            if let last = emitted[event.kind], last == key { return false }
            emitted[event.kind] = key
            return true
        }
    }
}
