import RunFormat

/// A run's evaluation records in step order. A live FID in Inception features is written after its evaluation,
/// at the step of the samples it was computed from (often after records of later steps): it is merged into the
/// evaluation of that step, so the evaluation shown at a step has both its memorized fraction and its FID.
extension [MetricsRecord] {
    /// Adds `m` at its step: merged into a record of the same step (values and extras it does not have yet are
    /// added; the record's own are kept), else inserted after every record of an earlier step.
    mutating func insertEvaluation(_ m: MetricsRecord) {
        guard let lastStep = last?.step, m.step <= lastStep else {
            append(m)
            return
        }
        if let i = lastIndex(where: { $0.step == m.step }) {
            for (name, value) in m.values where !self[i].values.contains(where: { $0.name == name }) {
                self[i].values.append((name, value))
            }
            for (key, value) in m.extra where self[i].extra[key] == nil { self[i].extra[key] = value }
        } else {
            insert(m, at: firstIndex { $0.step > m.step } ?? endIndex)
        }
    }
}
