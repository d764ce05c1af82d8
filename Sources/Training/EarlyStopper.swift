import Foundation
import Metrics
import RunFormat

/// Carries out a `StopRule` for a job that measures FID and f_mem at its evaluations (the DDPM; the RF model in
/// generative mode): after each evaluation it says whether the run ends, and for `window` it keeps the checkpoints
/// of the evaluations that may still be the window's early stop (`RUN.window-step<N>.ckpt`, see
/// `TimescaleDetector.earlyStopCandidates`), removing each as soon as it no longer may, so a run holds a few of
/// them at a time, not one per evaluation.
final class EarlyStopper {
    let rule: StopRule
    /// The criteria of the job's own tau_gen / tau_mem / early_stop events, so the step restored is the one its
    /// `early_stop` event names.
    let generalization: GeneralizationCriterion
    let memorization: MemorizationCriterion
    /// Steps whose window checkpoints are on disk, in step order.
    private(set) var kept: [Int] = []
    /// Set by `resume`, until the kept checkpoints are found again.
    private var resumed = false

    /// How the run stops.
    enum Outcome: Equatable {
        case tauMem
        /// `best`: the evaluation with the best FID (nil: none was finite).
        case fidMin(best: Int?)
        /// `restored`: the window's early-stop step (nil: the window held none — empty, or tau_gen not reached).
        case window(restored: Int?)
    }

    init(rule: StopRule, generalization: GeneralizationCriterion, memorization: MemorizationCriterion) {
        self.rule = rule
        self.generalization = generalization
        self.memorization = memorization
    }

    /// Where the window checkpoint of `run` at `step` is kept: beside the run file, `RUN.window-step<STEP>.ckpt`.
    static func windowCheckpointPath(forRun run: String, step: Int) -> String {
        let base = run.hasSuffix(".jsonl") ? String(run.dropLast(6)) : run
        return "\(base).window-step\(step).ckpt"
    }

    /// After the evaluation at `step` (already in `fid` / `mem`): whether the run stops, and for `window` the
    /// checkpoint of this step saved with `save` when it may be the early stop (nil `run`: no run file, none
    /// kept). `tauMemConfirmed`: the job's own confirmation of tau_mem, for the `tau_mem` rule.
    func afterEvaluation(step: Int, fid: [SeriesPoint], mem: [MemorizationPoint], tauMemConfirmed: Bool, run: String?,
                         save: (String) throws -> Void) throws -> Outcome? {
        switch rule {
        case .tauMem:
            return tauMemConfirmed ? .tauMem : nil
        case .fidMin(let patience):
            guard let stop = patience.stop(in: fid.map(\.value)) else { return nil }
            return .fidMin(best: stop.best.map { fid[$0].step })
        case .window:
            if memorizationConfirmed(mem) {
                let window = TimescaleDetector.window(fid: fid, memorization: mem, state: .finished,
                                                      generalization: generalization, memorizationCriterion: memorization)
                return .window(restored: window.earlyStop)
            }
            guard let run else { return nil }
            let candidates = TimescaleDetector.earlyStopCandidates(fid: fid, memorization: mem,
                                                                   memorizationCriterion: memorization)
            if resumed {
                kept = candidates.filter { FileManager.default.fileExists(atPath: Self.windowCheckpointPath(forRun: run, step: $0)) }
                resumed = false
            }
            if candidates.contains(step) && !kept.contains(step) {
                try save(Self.windowCheckpointPath(forRun: run, step: step))
                kept.append(step)
            }
            for dropped in kept where !candidates.contains(dropped) {
                unlink(Self.windowCheckpointPath(forRun: run, step: dropped))
            }
            kept.removeAll { !candidates.contains($0) }
            return nil
        }
    }

    /// Whether `mem` confirms tau_mem by the job's criterion (a confirmed detection is final while the run goes on).
    func memorizationConfirmed(_ mem: [MemorizationPoint]) -> Bool {
        if case .detected(_, provisional: false) = TimescaleDetector.memorizationTime(mem, criterion: memorization, state: .live) {
            return true
        }
        return false
    }

    /// Called when the job resumes a run: the next evaluation takes back the window checkpoints the interrupted
    /// run left on disk (a fresh run never adopts files an overwritten run left).
    func resume() { resumed = true }

    /// Ends the run at `step` as `outcome` says: the checkpoint — for `window`, the one kept at the early stop,
    /// renamed `RUN.step<S'>.ckpt` (`restored_step` S'); otherwise, or when the window held no early stop, the
    /// current model saved with `save` as `RUN.step<step>.ckpt` (`restored_step` null) — and the `end` record
    /// naming the rule, the checkpoint and what the rule found.
    func end(_ outcome: Outcome, step: Int, fid: [SeriesPoint], run: String?, extra: JSONObject,
             save: (String) throws -> Void) throws -> EndRecord {
        var fields = extra
        fields["stop_when"] = .string(rule.name)
        fields["rule"] = .string(rule.description)
        var checkpoint: String?
        var restoredStep: Int?
        if case .window(let restored?) = outcome, let run, kept.contains(restored) {
            let path = TrainingRunner.checkpointPath(forRun: run, step: restored)
            guard rename(Self.windowCheckpointPath(forRun: run, step: restored), path) == 0 else {
                throw TrainingStateError("cannot restore the checkpoint of step \(restored) as \(path)")
            }
            kept.removeAll { $0 == restored }
            checkpoint = path
            restoredStep = restored
        } else if let run {
            checkpoint = TrainingRunner.checkpointPath(forRun: run, step: step)
            try save(checkpoint!)
        }
        discard(run: run)
        switch outcome {
        case .tauMem: break
        case .fidMin(let best):
            fields["best_step"] = best.map { .number(Double($0)) } ?? .null
            fields["best_fid"] = fid.first { $0.step == best }.map { .number($0.value) } ?? .null
        case .window:
            fields["restored_step"] = restoredStep.map { .number(Double($0)) } ?? .null
        }
        if let checkpoint { fields["checkpoint"] = .string((checkpoint as NSString).lastPathComponent) }
        return EndRecord(step: step, reason: .earlyStop, extra: fields)
    }

    /// Removes the window checkpoints still kept (the run ended some other way, or they were not the one).
    func discard(run: String?) {
        if let run { for step in kept { unlink(Self.windowCheckpointPath(forRun: run, step: step)) } }
        kept.removeAll()
    }
}
