import Metrics
import NumericCore
import Testing

/// The pure rules behind `--stop-when`: fid-min's patience (Lightning's EarlyStopping, mode "min") and the
/// evaluations whose checkpoints `window` keeps.
@Suite struct EarlyStopRulesTests {
    @Test func patienceCountsEvaluationsWithoutImprovement() {
        let rule = PatienceRule(patience: 3)
        // Best at index 2 (5); three evaluations without a lower value stop the run at index 5.
        let values: [Double] = [10, 8, 5, 6, 7, 5]
        #expect(rule.stop(in: values)?.at == 5 && rule.stop(in: values)?.best == 2)
        #expect(rule.stop(in: Array(values.prefix(5))) == nil)
        // An improvement resets the count.
        #expect(rule.stop(in: [10, 8, 9, 7, 8, 9]) == nil)
        #expect(PatienceRule(patience: 1).stop(in: [3, 2, 2]).map { [$0.at, $0.best!] } == [2, 1])
    }

    @Test func minDeltaIsTheLeastFallThatCounts() {
        // Lightning: improvement when value < best − min_delta. 9.5 and 9.2 fall by less than 1: not improvements.
        let rule = PatienceRule(patience: 2, minDelta: 1)
        let stop = rule.stop(in: [10, 9.5, 9.2, 8])
        #expect(stop?.at == 2 && stop?.best == 0)
        // A fall of exactly min_delta is not enough either; a larger one is.
        #expect(rule.stop(in: [10, 9, 9.5]).map(\.at) == 2)
        #expect(rule.stop(in: [10, 8.9, 7.8]) == nil)
    }

    @Test func nonFiniteValuesNeverImprove() {
        let rule = PatienceRule(patience: 2)
        #expect(rule.stop(in: [.nan, .infinity]).map { [$0.at] } == [1])
        #expect(rule.stop(in: [.nan, .infinity])?.best == nil)
        #expect(rule.stop(in: [4, .nan, 3, .nan, .nan]).map { [$0.at, $0.best!] } == [4, 2])
    }

    static func fid(_ values: [Double]) -> [SeriesPoint] {
        values.enumerated().map { SeriesPoint(step: $0.offset * 10, value: $0.element) }
    }

    static func mem(_ flags: [Bool]) -> [MemorizationPoint] {
        flags.enumerated().map { MemorizationPoint(step: $0.offset * 10, memFrac: $0.element ? 0.5 : 0, ciLow: 0) }
    }

    @Test func candidatesAreTheStepsNoLaterFIDBeats() {
        // No memorization yet: every step beaten by a strictly lower later FID is dropped; ties keep the earlier.
        let fid = Self.fid([9, 5, 7, 5, 6, .nan])
        let none = Self.mem(Array(repeating: false, count: 6))
        #expect(TimescaleDetector.earlyStopCandidates(fid: fid, memorization: none) == [10, 30, 40])
        // Step 40 has begun a run of memorizing evaluations that may confirm tau_mem there: a lower FID at or after
        // it does not beat the steps before it, which may still be the window's last.
        let fid2 = Self.fid([9, 5, 7, 6, 1])
        let starting = Self.mem([false, false, false, false, true])
        #expect(TimescaleDetector.earlyStopCandidates(fid: fid2, memorization: starting) == [10, 30, 40])
        #expect(TimescaleDetector.earlyStopCandidates(fid: fid2, memorization: Self.mem(Array(repeating: false, count: 5))) == [40])
    }

    /// On random series, the early stop found when tau_mem is confirmed was a candidate at every evaluation
    /// before (so its checkpoint was kept), and a step once dropped never comes back.
    @Test func theEarlyStopIsAlwaysAmongTheKeptCandidates() {
        var rng = Xoshiro256(seed: 7)
        for _ in 0..<300 {
            let count = 4 + Int(rng.next() % 20)
            var fid: [SeriesPoint] = [], mem: [MemorizationPoint] = []
            var dropped: Set<Int> = []
            for i in 0..<count {
                let step = i * 10
                let value = rng.next() % 7 == 0 ? Double.nan : Double(rng.next() % 50)
                fid.append(SeriesPoint(step: step, value: value))
                mem.append(MemorizationPoint(step: step, memFrac: rng.next() % 3 == 0 ? 0.5 : 0, ciLow: 0))
                if case .detected(_, false) = TimescaleDetector.memorizationTime(mem, state: .live) {
                    let window = TimescaleDetector.window(fid: fid, memorization: mem, state: .finished)
                    if let stop = window.earlyStop { #expect(!dropped.contains(stop)) }
                    break
                }
                let kept = TimescaleDetector.earlyStopCandidates(fid: fid, memorization: mem)
                #expect(dropped.isDisjoint(with: kept))
                dropped.formUnion(fid.map(\.step).filter { $0 <= step && !kept.contains($0) })
            }
        }
    }
}
