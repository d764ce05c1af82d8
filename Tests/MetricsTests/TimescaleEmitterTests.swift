import Metrics
import RunFormat
import Testing

@Suite("TimescaleEmitter")
struct TimescaleEmitterTests {
    static let generalization = GeneralizationCriterion(rule: .nearMinimum(relative: 0.25, absolute: 0), persistence: 1)
    static let memorization = MemorizationCriterion(lowerBoundAbove: 0, fractionFloor: 0.01, persistence: 2)

    @Test("tau_gen waits for two later FIDs, tau_mem for its persistence; each event is returned once, then again only when it moves or turns final")
    func sequence() {
        var emitter = TimescaleEmitter(generalization: Self.generalization, memorization: Self.memorization)
        let fids: [Double] = [100, 40, 20, 19, 18, 30, 45]
        var seen: [[String]] = []
        for (i, fid) in fids.enumerated() {
            let step = i * 10
            emitter.addFID(step: step, value: fid)
            let memorized = step >= 40
            emitter.addMemorization(MemorizationPoint(step: step, memFrac: memorized ? 0.5 : 0, ciLow: memorized ? 0.3 : 0))
            seen.append(emitter.events(final: false).map { "\($0.kind)@\($0.step)\($0.fields["provisional"]?.bool == true ? "?" : "")" })
        }
        // FID within 25% of the running minimum first at step 20 (20 ≤ 1.25 · 18); confirmed by steps 30 and 40.
        // f_mem > 0.01 with its interval above 0 from step 40, twice by step 50.
        #expect(seen == [[], [], [], [], ["tau_gen@20?"], ["tau_mem@40"], []])
        #expect(emitter.events(final: false).isEmpty)
        let final = emitter.events(final: true)
        #expect(final.map(\.kind) == [EventKind.tauGen, EventKind.earlyStop])
        #expect(final.map(\.step) == [20, 30], "the lowest FID in [20, 40)")
        #expect(final.allSatisfy { $0.fields["provisional"] == false })
        #expect(final[0].fields["rule"] == .string(Self.generalization.description))
        #expect(emitter.events(final: true).isEmpty)
    }

    @Test("a late FID is inserted at its step, after one already there")
    func lateFID() {
        var emitter = TimescaleEmitter(generalization: .fid, memorization: .standard)
        emitter.addFID(step: 10, value: 5)
        emitter.addFID(step: 30, value: 3)
        emitter.addFID(step: 20, value: 4)
        emitter.addFID(step: 20, value: 4.5)
        #expect(emitter.fidSeries.map(\.step) == [10, 20, 20, 30])
        #expect(emitter.fidSeries.map(\.value) == [5, 4, 4.5, 3])
    }
}
