import Testing
import TerminalUI
import Dashboard

@Suite struct SeriesTests {
    @Test func extremesMatchANaiveScan() {
        var s = Series()
        var x: UInt64 = 12345
        for i in 0..<1000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let v = i % 97 == 0 ? Double.nan : Double(x >> 40) / Double(1 << 24)
            s.append(step: Double(i), value: v)
        }
        for (lo, hi) in [(0, 1000), (3, 7), (60, 200), (64, 128), (999, 1000), (500, 500)] {
            let finite = s.values[lo..<hi].filter(\.isFinite)
            let e = s.extremes(lo, hi)
            #expect(e?.min == finite.min() && e?.max == finite.max())
        }
    }

    @Test func rejectsOutOfOrderStepsAndStoresInfinityAsNaN() {
        var s = Series()
        let accepted = [s.append(step: 10, value: 1), s.append(step: 5, value: 2), s.append(step: 10, value: .infinity)]
        #expect(accepted == [true, false, true])
        #expect(s.count == 2 && s.values[1].isNaN)
        #expect(s.value(atOrBefore: 100) == 1)
        #expect(s.value(atOrBefore: 9) == nil)
    }

    @Test func columnsKeepSpikesOfAMillionPoints() {
        var s = Series()
        for i in 1...1_000_000 { s.append(step: Double(i), value: i == 777_777 ? 50 : 1) }
        let scale = AxisScale(lower: 1, upper: 1_000_000, isLog: false)
        let cols = s.columns(scale: scale, count: 100)
        #expect(cols.count == 100)
        #expect(cols.allSatisfy { $0 != nil })
        #expect(cols[77]?.max == 50)
        #expect(cols.enumerated().allSatisfy { $0.offset == 77 || $0.element?.max == 1 })
        let limited = s.columns(scale: scale, count: 100, upTo: 500_000)
        #expect(limited[49] != nil && limited[50] == nil)
    }

    @Test func logColumnsSkipStepZeroAndCoverTheRange() {
        var s = Series()
        for step in [0, 1, 10, 100, 1000] { s.append(step: Double(step), value: Double(step)) }
        let cols = s.columns(scale: AxisScale(lower: 1, upper: 1000, isLog: true), count: 3)
        #expect(cols.map { $0?.min } == [1, 10, 100])
        #expect(cols[2]?.max == 1000)
    }

    @Test func compactionBoundsMemoryAndKeepsExtremes() {
        var s = Series(capacity: 64)
        for i in 0..<1000 { s.append(step: Double(i), value: i == 501 ? -9 : (i == 733 ? 9 : 0)) }
        #expect(s.count <= 64)
        #expect(s.extremes(0, s.count)?.min == -9 && s.extremes(0, s.count)?.max == 9)
        #expect(s.steps == s.steps.sorted())
        #expect(s.lastStep! >= 990)
    }
}

@Suite struct SmoothingTests {
    @Test func debiasedEMAMatchesTensorBoard() {
        let out = DebiasedEMA.smooth([1, 2, 3], weight: 0.5)
        #expect(abs(out[0] - 1) < 1e-12)
        #expect(abs(out[1] - 1.25 / 0.75) < 1e-12)
        #expect(abs(out[2] - 2.125 / 0.875) < 1e-12)
    }

    @Test func nonFinitePointsPassThroughWithoutAdvancing() {
        let out = DebiasedEMA.smooth([.nan, 4, .infinity, 4], weight: 0.9)
        #expect(out[0].isNaN && out[2] == .infinity)
        #expect(abs(out[1] - 4) < 1e-12 && abs(out[3] - 4) < 1e-12)
    }
}

@Suite struct FrameSchedulerTests {
    @Test func coalescesBurstsAndIdlesWhenClean() {
        var f = FrameScheduler(minimumInterval: 0.05)
        #expect(f.decide(now: 0) == .renderNow)
        f.didRender(at: 0)
        #expect(f.decide(now: 0.01) == .idle)
        f.invalidate()
        f.invalidate()
        #expect(f.decide(now: 0.02) == .wait(until: 0.05))
        #expect(f.decide(now: 0.05) == .renderNow)
        f.didRender(at: 0.05)
        #expect(f.decide(now: 10) == .idle)
        f.invalidate()
        #expect(f.decide(now: 10) == .renderNow)
    }

    @Test func neverMoreThanTwentyFramesPerSecond() {
        var f = FrameScheduler()
        let frames = Self.framesInOneSecond(&f) { $0.invalidate() }
        #expect(frames <= 20 && frames >= 19)
    }

    /// Frames drawn over one second of a manual clock ticking every millisecond, `change` marking the state
    /// out of date before each tick.
    static func framesInOneSecond(_ f: inout FrameScheduler, change: (inout FrameScheduler) -> Void) -> Int {
        var frames = 0
        var t = 0.0
        while t < 1 {
            change(&f)
            if f.decide(now: t) == .renderNow { f.didRender(at: t); frames += 1 }
            t += 0.001
        }
        return frames
    }

    @Test func routineCountersDrawFourFramesPerSecondUntilSomethingElseChanges() {
        var f = FrameScheduler()
        f.didRender(at: 0)
        f.invalidateRoutine()
        #expect(f.decide(now: 0.05) == .wait(until: 0.25))
        f.invalidate()
        #expect(f.decide(now: 0.05) == .renderNow)
        let frames = Self.framesInOneSecond(&f) { $0.invalidateRoutine() }
        #expect(frames >= 3 && frames <= 4)
    }
}
