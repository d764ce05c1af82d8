@testable import Dashboard
import RunFormat
import TerminalUI
import Testing

/// The loss pane's horizontal axis in steps, relative time or wall-clock time (`t`).
@Suite struct StepAxisTests {
    static var timeline: RunTimeline {
        var t = RunTimeline()
        t.steps = [0, 100, 1000]
        t.seconds = [2, 12, 102]
        t.created = RunTimeline.epoch("2026-11-23T21:40:00Z")
        return t
    }

    @Test func isoTimesAndTheirEpoch() {
        #expect(RunTimeline.epoch("1970-01-01T00:00:00Z") == 0)
        #expect(RunTimeline.epoch("2026-11-23T21:40:00Z") == 1_795_470_000)
        #expect(RunTimeline.epoch("2000-03-01T00:00:01Z") == 951_868_801)
        #expect(RunTimeline.epoch("not a time") == nil && RunTimeline.epoch("2026-11-23T21:40:00+01:00") == nil)
    }

    @Test func stepsMapToTimesAndBack() {
        let axis = StepAxis(mode: .relativeTime, timeline: Self.timeline)
        #expect(axis.x(0) == 2 && axis.x(50) == 7 && axis.x(550) == 57 && axis.x(2000) == 202, "extrapolated at the last rate")
        for step in [0.0, 37, 100, 999, 1500] { #expect(abs(axis.step(axis.x(step)) - step) < 1e-9) }
        let wall = StepAxis(mode: .wallClock, timeline: Self.timeline)
        #expect(wall.x(100) == 1_795_470_012 && wall.label(wall.x(100)) == "21:40:12")
        #expect(StepAxis(mode: .step, timeline: Self.timeline).x(123) == 123)
        #expect(StepAxis.duration(42) == "42s" && StepAxis.duration(185) == "3:05" && StepAxis.duration(7380) == "2h03")
    }

    @Test func tCyclesTheAxisAndTheLabelsFollow() {
        var s = DashboardState(mode: .replay, width: 120, height: 36)
        s.fold([.header(SampleRun.header)] + SampleRun.records)
        let steps = DashboardView.render(s, width: 120, height: 36).text
        #expect(steps.contains("1k") && !steps.contains("x: relative time"))
        _ = DashboardUpdate.update(&s, .key(.character("t")))
        #expect(s.xAxis == .relativeTime)
        let relative = DashboardView.render(s, width: 120, height: 36)
        #expect(relative.line(1).contains("x: relative time"))
        // SampleRun writes time_s = step / 800: 100k steps are 2:05.
        let axisRow = relative.lines.first { $0.contains("2:05") || $0.contains("1:00") || $0.contains("30s") } ?? ""
        #expect(!axisRow.isEmpty, "\(relative.text)")
        _ = DashboardUpdate.update(&s, .key(.character("t")))
        #expect(DashboardView.render(s, width: 120, height: 36).line(1).contains("x: wall clock (UTC)"))
        _ = DashboardUpdate.update(&s, .key(.character("t")))
        #expect(s.xAxis == .step)
    }

    @Test func aPinnedRunIsPlacedOnItsOwnTimes() {
        var slow = RunTimeline()
        slow.steps = [0, 1000]
        slow.seconds = [0, 1000]
        var fast = RunTimeline()
        fast.steps = [0, 1000]
        fast.seconds = [0, 10]
        #expect(StepAxis(mode: .relativeTime, timeline: slow).x(500) == 500 && StepAxis(mode: .relativeTime, timeline: fast).x(500) == 5)
    }
}
