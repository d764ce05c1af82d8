import RunFormat
import Testing
import TerminalUI
import Dashboard

@discardableResult
private func press(_ state: inout DashboardState, _ keys: Key...) -> [DashboardEffect] {
    keys.flatMap { DashboardUpdate.update(&state, .key($0)) }
}

private func type(_ state: inout DashboardState, _ text: String) {
    for c in text.unicodeScalars { press(&state, .character(c)) }
}

/// A live session whose training has written every record, the end included.
private func finishedLiveState() -> DashboardState {
    var s = DashboardState(mode: .live)
    s.fold([.header(SampleRun.header)] + SampleRun.records)
    return s
}

@Suite struct MarkTests {
    @Test func finishedLiveRunTakesMarksAtTheCursorLikeAReplay() {
        var s = finishedLiveState()
        press(&s, .left)
        let step = s.cursorStep!
        #expect(press(&s, .character("m")) == [.appendMark(MarkRecord(step: step, label: "mark"))])
        #expect(s.marks.map(\.step) == [step])
        #expect(press(&s, .character("d")) == [.appendMarkDeletion(step: step)])
        #expect(s.marks.isEmpty)
    }

    @Test func finishedLiveRunOpensTheLabelPromptSoLettersAreNotCommands() {
        var s = finishedLiveState()
        let logY = s.logY
        press(&s, .character("M"))
        #expect(s.prompt == "")
        type(&s, "early")
        #expect(s.logY == logY, "the y of 'early' must be typed, not toggle the log axis")
        #expect(press(&s, .enter) == [.appendMark(MarkRecord(step: SampleRun.steps.last!, label: "early"))])
        #expect(s.marks.map(\.label) == ["early"])
    }

    @Test func failedTrainingAlsoTakesMarksOnFile() {
        var s = DashboardState(mode: .live)
        s.fold([.header(SampleRun.header)] + SampleRun.records.dropLast())
        _ = DashboardUpdate.update(&s, .run(.failed("disk full")))
        #expect(press(&s, .character("m")) == [.appendMark(MarkRecord(step: SampleRun.steps.last!, label: "mark"))])
    }

    @Test func runningLiveRunDeletesThroughTheTrainer() {
        var s = DashboardState(mode: .live)
        s.fold([.header(SampleRun.header)] + SampleRun.records.dropLast() + [.mark(MarkRecord(step: SampleRun.steps.last!, label: "m"))])
        #expect(press(&s, .character("d")) == [.requestTrainingMarkDeletion(step: SampleRun.steps.last!)])
        #expect(s.marks.isEmpty)
    }

    @Test func deletingASelectedMarkClearsItsDeltaRow() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(SampleRun.header)] + SampleRun.records
               + [.mark(MarkRecord(step: 1000, label: "A")), .mark(MarkRecord(step: 20_000, label: "B"))])
        press(&s, .character("k"), .enter, .down, .enter)
        #expect(s.markSelection == [1000, 20_000])
        #expect(MarksTable.table(s).delta != nil)
        press(&s, .escape, .character("g"), .character("n"))
        #expect(s.cursorStep == 1000)
        #expect(press(&s, .character("d")) == [.appendMarkDeletion(step: 1000)])
        #expect(s.markSelection == [20_000])
        #expect(MarksTable.table(s).delta == nil)
    }

    @Test func aMarkThatCouldNotBeSavedIsNotListed() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(SampleRun.header)] + SampleRun.records)
        let step = s.cursorStep!
        press(&s, .character("m"))
        _ = DashboardUpdate.update(&s, .markNotSaved(step: step, message: "could not write x.jsonl: permission denied"))
        #expect(s.marks.isEmpty)
        #expect(s.status?.contains("mark not saved") == true)
    }

    @Test func aRelabelThatCouldNotBeSavedKeepsTheOldLabel() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(SampleRun.header)] + SampleRun.records + [.mark(MarkRecord(step: 1000, label: "old"))])
        press(&s, .character("k"), .character("M"))
        type(&s, "new")
        #expect(press(&s, .enter) == [.appendMark(MarkRecord(step: 1000, label: "new"))])
        _ = DashboardUpdate.update(&s, .markNotSaved(step: 1000, message: "read-only"))
        #expect(s.marks.map(\.label) == ["old"])
    }

    @Test func aDeletionThatCouldNotBeSavedBringsTheMarkBack() {
        var s = DashboardState(mode: .replay)
        s.fold([.header(SampleRun.header)] + SampleRun.records + [.mark(MarkRecord(step: 1000, label: "keep"))])
        press(&s, .character("g"), .character("n"))
        #expect(press(&s, .character("d")) == [.appendMarkDeletion(step: 1000)])
        _ = DashboardUpdate.update(&s, .markNotSaved(step: 1000, message: "read-only"))
        #expect(s.marks.map(\.label) == ["keep"])
    }
}

@Suite struct RunSequenceTests {
    @Test func theNextRunOfASequenceReplacesTheLastOneAtOnce() {
        var s = DashboardState(mode: .live)
        s.fold([.header(SampleRun.header)] + SampleRun.records)
        _ = DashboardUpdate.update(&s, .key(.character("+")))
        _ = DashboardUpdate.update(&s, .key(.character("+")))
        let effects = DashboardUpdate.update(&s, .run(.started(label: "demo 2/12")))
        #expect(effects.isEmpty)
        #expect(!s.hasHeader && s.recordSteps.isEmpty && s.end == nil, "the last run's data is still shown")
        #expect(s.runLabel == "demo 2/12" && s.zoomLevel == 2)
        _ = DashboardUpdate.update(&s, .records([.header(SampleRun.header)]))
        #expect(s.hasHeader && s.runLabel == "demo 2/12")
    }
}
