import RunFormat
import Testing
import TerminalUI
import Dashboard

private func replayState() -> DashboardState {
    var s = DashboardState(mode: .replay)
    s.fold([.header(SampleRun.header)] + SampleRun.records)
    _ = DashboardUpdate.update(&s, .key(.end))
    return s
}

@discardableResult
private func press(_ state: inout DashboardState, _ keys: Key...) -> [DashboardEffect] {
    keys.flatMap { DashboardUpdate.update(&state, .key($0)) }
}

@Suite struct FoldTests {
    @Test func headerIsSanitizedAndSizesRead() {
        let s = replayState()
        #expect(s.model == "rf" && s.data == "gmm" && s.n == 1000 && s.size?.name == "p" && s.size?.value == 4000)
        #expect(s.totalSteps == 100_000)
        #expect(s.recordSteps == SampleRun.steps)
        #expect(s.latestEvent("tau_gen")?.step == 1000 && s.end?.reason == .completed)
        #expect(s.evaluations.count == (SampleRun.steps.count + 3) / 4)
    }

    @Test func markDeletionEventsRemoveMarks() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(SampleRun.header), .mark(MarkRecord(step: 5, label: "a\u{1B}[2Jb")), .mark(MarkRecord(step: 9, label: "c")),
                .event(EventRecord(kind: "mark_deleted", step: 5))])
        #expect(s.marks.map(\.step) == [9])
        s.fold(.mark(MarkRecord(step: 2, label: "a\u{1B}[2Jb")))
        #expect(s.marks.map(\.label) == ["ab", "c"])
    }

    @Test func smoothingCanBeChangedAfterTheFact() {
        var s = replayState()
        let raw = s.series["train_loss"]!
        #expect(s.smoothingWeight == 0.6)
        press(&s, .character("s"), .character("s"), .character("s"))
        #expect(s.smoothingWeight == 0)
        #expect(s.smoothed["train_loss"]!.values == raw.values)
        press(&s, .character("s"))
        #expect(s.smoothed["train_loss"]!.values == DebiasedEMA.smooth(raw.values, weight: 0.6))
    }
}

@Suite struct UpdateTests {
    @Test func cursorStepsJumpsAndClamps() {
        var s = replayState()
        let steps = SampleRun.steps
        #expect(s.cursorStep == steps.last)
        press(&s, .left, .character("h"))
        #expect(s.cursorStep == steps[steps.count - 3])
        press(&s, .right)
        #expect(s.cursorStep == steps[steps.count - 2])
        press(&s, .character("g"))
        #expect(s.cursorStep == steps[0])
        press(&s, .left)
        #expect(s.cursorStep == steps[0])
        press(&s, .pageDown)
        #expect(s.cursorStep == steps[steps.count / 10])
        press(&s, .character("G"))
        #expect(s.cursorStep == steps.last)
    }

    @Test func markAndDeleteProduceAppendEffects() {
        var s = replayState()
        press(&s, .left)
        let step = s.cursorStep!
        #expect(press(&s, .character("m")) == [.appendMark(MarkRecord(step: step, label: "mark"))])
        #expect(s.marks.map(\.step) == [step])
        #expect(press(&s, .character("d")) == [.appendMarkDeletion(step: step)])
        #expect(s.marks.isEmpty)
        #expect(press(&s, .character("d")) == [])
    }

    @Test func nextAndPreviousVisitMarksAndEvents() {
        var s = replayState()
        press(&s, .character("g"))
        press(&s, .character("n"))
        #expect(s.cursorStep == 1000)
        press(&s, .character("n"))
        #expect(s.cursorStep == SampleRun.steps.first { $0 >= 20_000 })
        press(&s, .character("N"))
        #expect(s.cursorStep == 1000)
    }

    @Test func liveQuitAsksFirstAndSpacePauses() {
        var s = DashboardState(mode: .live)
        s.fold(.header(SampleRun.header))
        #expect(press(&s, .character("q")) == [])
        #expect(s.confirmingQuit)
        #expect(press(&s, .character("n")) == [])
        #expect(!s.confirmingQuit)
        press(&s, .character("q"))
        #expect(press(&s, .character("y")) == [.stopTraining, .quit])
        #expect(press(&s, .character(" ")) == [.setTrainingPaused(true)])
        #expect(s.paused)
        #expect(press(&s, .character("m")) == [.requestTrainingMark(label: "mark")])
        s.fold(.end(EndRecord(step: 10, reason: .completed)))
        #expect(press(&s, .character("q")) == [.quit])
    }

    @Test func helpSwallowsKeysUntilClosed() {
        var s = replayState()
        press(&s, .character("?"))
        #expect(s.showHelp)
        #expect(press(&s, .character("m")) == [])
        #expect(s.marks.isEmpty)
        press(&s, .escape)
        #expect(!s.showHelp)
        #expect(press(&s, .ctrl("c")) == [.quit])
    }

    @Test func viewToggles() {
        var s = replayState()
        press(&s, .character("y"), .character("x"), .character("o"), .character("+"), .character("+"), .character("-"),
              .tab, .character("z"))
        #expect(!s.logY && !s.logX && s.robustRange && s.zoomLevel == 1 && s.focus == .memorization && s.zoomed)
        press(&s, .backTab, .backTab)
        #expect(s.focus == .samples)
        #expect(press(&s, .ctrl("l")) == [.redraw])
        #expect(press(&s, .ctrl("z")) == [.suspend])
    }

    @Test func watchCursorFreezesAndEndFollowsAgain() {
        var s = DashboardState(mode: .watch)
        s.fold([.header(SampleRun.header)] + SampleRun.records.prefix(10))
        press(&s, .left)
        #expect(s.frozenStep != nil)
        let frozen = s.cursorStep
        s.fold(Array(SampleRun.records[10..<20]))
        #expect(s.cursorStep == frozen)
        press(&s, .end)
        #expect(s.frozenStep == nil && s.cursor == nil && s.cursorStep == s.recordSteps.last)
        press(&s, .character("f"))
        #expect(s.frozenStep == s.recordSteps.last)
    }
}

@Suite struct KeyBindingTests {
    @Test func everyKeyIsBoundOncePerModeAndDocumented() {
        for mode in DashboardMode.allCases {
            let keys = KeyBindings.bindings(in: mode).flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "a key is bound twice in \(mode)")
            #expect(KeyBindings.bindings(in: mode).allSatisfy { !$0.summary.isEmpty })
        }
        #expect(KeyBindings.action(for: .character(" "), in: .replay) == nil)
        #expect(KeyBindings.action(for: .character(" "), in: .live) == .pause)
        #expect(KeyBindings.action(for: .character("d"), in: .live) == .deleteMark)
    }

    @Test func helpOverlayShowsTheWholeTable() {
        var s = replayState()
        press(&s, .character("?"))
        let first = DashboardView.render(s, width: 120, height: 36).text
        #expect(first.contains("more: ↓ or PgDn scrolls"))
        press(&s, .pageDown)
        let text = first + DashboardView.render(s, width: 120, height: 36).text
        for b in KeyBindings.bindings(in: .replay) { #expect(text.contains(b.summary), "help lacks \(b.summary)") }
        #expect(DashboardView.render(s, width: 120, height: 40).text.contains("suspend (fg resumes)"))
    }
}
