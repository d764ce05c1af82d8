import Metrics
import NumericCore

/// The FID and memorized-fraction series a sample-based detector has seen, as state-file arrays (prefixed by
/// `prefix`), so a resumed run's detectors see the same history as the uninterrupted run's.
enum EvaluationSeriesState {
    static func entries(prefix: String, fid: [SeriesPoint], memorization: [MemorizationPoint])
        -> [(name: String, array: NpyArray)]
    {
        [
            TrainingState.entry("\(prefix)fid_steps", fid.map(\.step)),
            TrainingState.entry("\(prefix)fid_values", fid.map(\.value)),
            TrainingState.entry("\(prefix)mem_steps", memorization.map(\.step)),
            TrainingState.entry("\(prefix)mem_frac", memorization.map(\.memFrac)),
            TrainingState.entry("\(prefix)mem_ci_low", memorization.map(\.ciLow)),
        ]
    }

    /// The series back; steps must be non-negative and at most `maxStep`.
    static func restore(prefix: String, from state: TrainingState, maxStep: Int) throws
        -> (fid: [SeriesPoint], memorization: [MemorizationPoint])
    {
        let fidSteps = try state.integers("\(prefix)fid_steps")
        let fidValues = try state.doubles("\(prefix)fid_values", count: fidSteps.count)
        let memSteps = try state.integers("\(prefix)mem_steps")
        let memFrac = try state.doubles("\(prefix)mem_frac", count: memSteps.count)
        let ciLow = try state.doubles("\(prefix)mem_ci_low", count: memSteps.count)
        guard (fidSteps + memSteps).allSatisfy({ $0 >= 0 && $0 <= Int64(maxStep) }) else {
            throw TrainingStateError("evaluation steps outside 0…\(maxStep)")
        }
        let fid = zip(fidSteps, fidValues).map { SeriesPoint(step: Int($0), value: $1) }
        let memorization = (0..<memSteps.count).map {
            MemorizationPoint(step: Int(memSteps[$0]), memFrac: memFrac[$0], ciLow: ciLow[$0])
        }
        return (fid, memorization)
    }
}
