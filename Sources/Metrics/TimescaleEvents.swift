import RunFormat

extension GeneralizationWindow {
    /// The window as run-file `event` records, for the dashboard and saved runs: `tau_gen`, `tau_mem` and
    /// `early_stop` (each only when detected), every one carrying the rule that produced it and whether it is
    /// provisional, so a reader can tell a live estimate from a final value.
    public func eventRecords(generalization: GeneralizationCriterion, memorization: MemorizationCriterion) -> [EventRecord] {
        var events: [EventRecord] = []
        if case .detected(let step, let provisional) = tauGen {
            events.append(EventRecord(kind: EventKind.tauGen, step: step, fields: [
                "rule": .string(generalization.description), "provisional": .bool(provisional),
            ]))
        }
        if case .detected(let step, let provisional) = tauMem {
            events.append(EventRecord(kind: EventKind.tauMem, step: step, fields: [
                "rule": .string(memorization.description), "provisional": .bool(provisional),
            ]))
        }
        if let earlyStop {
            let provisional = tauGen.isProvisional || tauMem.step == nil || tauMem.isProvisional
            events.append(EventRecord(kind: EventKind.earlyStop, step: earlyStop, fields: [
                "rule": .string("lowest FID in [tau_gen, tau_mem)"), "provisional": .bool(provisional),
            ]))
        }
        return events
    }
}

extension TimescaleDetection {
    /// True for a provisional detection.
    public var isProvisional: Bool {
        if case .detected(_, true) = self { true } else { false }
    }
}
