import RunFormat
import TerminalUI

/// The dashboard's state transitions: pure, so every key and record can be tested without a terminal.
public enum DashboardUpdate {
    /// Applies `event` to `state` and returns what the host must do.
    public static func update(_ state: inout DashboardState, _ event: DashboardEvent) -> [DashboardEffect] {
        switch event {
        case .run(let change):
            apply(change, &state)
            return []
        case .resize(let w, let h):
            state.width = max(w, 0)
            state.height = max(h, 0)
            return []
        case .problem(let message):
            state.setStatus(message)
            return []
        case .markNotSaved(let step, let message):
            state.revertMarkChange(at: step)
            state.setStatus("mark not saved: \(message)")
            return []
        case .key(let key):
            return handle(key, &state)
        }
    }

    /// News about the run shown.
    private static func apply(_ change: RunChange, _ state: inout DashboardState) {
        switch change {
        case .waiting(let what):
            if !state.hasHeader { state.setStatus(what) }
        case .started(let label):
            // A new run: the last one's records go at once, so its data is never shown under the new label.
            if state.hasHeader { state.clearRun() }
            state.runLabel = label.map(Sanitize.text)
        case .header(let h):
            state.setStatus(nil)
            state.fold(.header(h))
        case .records(let records): state.fold(records)
        case .progress(let p): state.run.setProgress(p)
        case .problem(let message): state.setStatus(message)
        case .restarted:
            state.clearRun()
            state.setStatus("the run file was replaced; reading it again")
        case .failed(let message): state.run.setTrainingFailure(message)
        case .finished: break
        }
    }

    private static func handle(_ key: Key, _ state: inout DashboardState) -> [DashboardEffect] {
        if state.confirmingQuit {
            switch key {
            case .character("y"), .character("Y"):
                state.confirmingQuit = false
                return [.stopTraining, .quit]
            case .ctrl("c"):
                return [.stopTraining, .quit]
            default:
                state.confirmingQuit = false
                return []
            }
        }
        if state.prompt != nil { return handlePrompt(key, &state) }
        if var list = state.tagList {
            let (chosen, open) = list.handle(key, names: state.series.keys)
            state.tagList = open ? list : nil
            if let chosen { state.extraSeries = chosen }
            return []
        }
        if state.showMarks, let effects = handleMarksTable(key, &state) { return effects }
        if state.showHelp {
            if key == .ctrl("c") { return quit(&state) }
            switch key {
            case .down, .character("j"): state.helpOffset += 1
            case .up, .character("k"): state.helpOffset = max(state.helpOffset - 1, 0)
            case .pageDown: state.helpOffset += 10
            case .pageUp: state.helpOffset = max(state.helpOffset - 10, 0)
            default: break
            }
            if let a = KeyBindings.action(for: key, in: state.mode), a == .help || a == .closeOverlay || a == .quit {
                state.showHelp = false
            }
            return []
        }
        guard let action = KeyBindings.action(for: key, in: state.mode) else { return [] }
        return perform(action, &state)
    }

    static func perform(_ action: DashboardAction, _ state: inout DashboardState) -> [DashboardEffect] {
        let count = state.recordSteps.count
        let current = state.cursor ?? (state.cursorStep.flatMap { state.indexOfStep(atOrBefore: $0) } ?? max(count - 1, 0))
        switch action {
        case .help:
            state.showHelp = true
            state.helpOffset = 0
        case .quit: return quit(&state)
        case .closeOverlay: state.zoomed = false
        case .cursorLeft: moveCursor(to: current - 1, &state)
        case .cursorRight: moveCursor(to: current + 1, &state)
        case .jumpBack: moveCursor(to: current - max(count / 10, 1), &state)
        case .jumpForward: moveCursor(to: current + max(count / 10, 1), &state)
        case .start: moveCursor(to: 0, &state)
        case .end:
            state.frozenStep = nil
            state.cursor = state.mode == .replay && count > 0 ? count - 1 : nil
        case .mark: return addMark(label: "mark", &state)
        case .labelMark:
            let rows = MarksTable.rows(state)
            let selected = state.showMarks && state.markRow < rows.count && !rows[state.markRow].suggested ? rows[state.markRow].step : nil
            if state.marksGoToTraining && selected != nil { return [] }
            state.prompt = ""
            state.promptStep = selected
        case .marksTable:
            state.showMarks.toggle()
            state.markRow = min(state.markRow, max(MarksTable.rows(state).count - 1, 0))
        case .deleteMark:
            guard let step = state.cursorStep, let mark = state.marks.first(where: { $0.step == step }) else { return [] }
            if state.marksGoToTraining {
                state.fold(.event(EventRecord(kind: EventKind.markDeleted, step: step)))
                return [.requestTrainingMarkDeletion(step: step)]
            }
            state.markBeforeChange[step] = .some(mark)
            state.fold(.event(EventRecord(kind: EventKind.markDeleted, step: step)))
            return [.appendMarkDeletion(step: step)]
        case .nextMarker, .previousMarker:
            guard let step = state.cursorStep else { return [] }
            let stops = Set(state.marks.map(\.step) + state.events.map(\.step)).sorted()
            if action == .nextMarker {
                if let target = stops.first(where: { $0 > step }), let i = state.recordSteps.firstIndex(where: { $0 >= target }) {
                    moveCursor(to: i, &state)
                }
            } else if let target = stops.last(where: { $0 < step }) {
                moveCursor(to: state.indexOfStep(atOrBefore: target) ?? 0, &state)
            }
        case .toggleLogY: state.logY.toggle()
        case .toggleLogX: state.logX.toggle()
        case .cycleXAxis:
            let all = XAxisMode.allCases
            state.xAxis = all[(all.firstIndex(of: state.xAxis)! + 1) % all.count]
        case .cycleSmoothing:
            state.smoothingIndex = (state.smoothingIndex + 1) % ViewSettings.smoothingWeights.count
            state.resmooth()
        case .cycleSmoothingKind:
            let all = SmoothingKind.allCases
            state.smoothingKind = all[(all.firstIndex(of: state.smoothingKind)! + 1) % all.count]
            if state.smoothingIndex == 0 { state.smoothingIndex = 1 }
            state.resmooth()
        case .toggleRobustRange: state.robustRange.toggle()
        case .cycleExtraSeries:
            let candidates = SeriesTable.extraCandidates(among: state.series.keys)
            let next = state.extraSeries.flatMap { candidates.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            state.extraSeries = next < candidates.count ? candidates[next] : nil
        case .tagList: state.tagList = TagList()
        case .zoomIn: state.zoomLevel = min(state.zoomLevel + 1, 20)
        case .zoomOut: state.zoomLevel = max(state.zoomLevel - 1, 0)
        case .freeze:
            if state.frozenStep != nil {
                state.frozenStep = nil
            } else {
                state.frozenStep = state.cursorStep
            }
        case .focusNext, .focusPrevious:
            let order = Pane.allCases.filter { $0 != .runs || state.showRuns }
            let i = order.firstIndex(of: state.focus) ?? 0
            state.focus = order[(i + (action == .focusNext ? 1 : order.count - 1)) % order.count]
        case .cycleSeedBands:
            let all = SeedBands.allCases
            state.seedBands = all[(all.firstIndex(of: state.seedBands)! + 1) % all.count]
        case .toggleRuns:
            state.showRuns.toggle()
            if state.showRuns { state.focus = .runs } else if state.focus == .runs { state.focus = .loss }
        case .zoomPane: state.zoomed.toggle()
        case .redraw: return [.redraw]
        case .suspend: return [.suspend]
        case .nextRun: return [.switchRun(by: 1)]
        case .previousRun: return [.switchRun(by: -1)]
        case .pause:
            state.paused.toggle()
            return [.setTrainingPaused(state.paused)]
        }
        return []
    }

    /// Marks the current step (live training), or `step` (default: the cursor's) once the run is on file only;
    /// a mark already at that step is replaced (relabelled).
    private static func addMark(label: String, at step: Int? = nil, _ state: inout DashboardState) -> [DashboardEffect] {
        if state.marksGoToTraining { return [.requestTrainingMark(label: label)] }
        guard let step = step ?? state.cursorStep else { return [] }
        let mark = MarkRecord(step: step, label: label)
        state.markBeforeChange[step] = .some(state.marks.first { $0.step == step })
        state.fold(.mark(mark))
        return [.appendMark(mark)]
    }

    /// The longest label the prompt takes.
    static let labelLimit = 40

    /// Keys while the label prompt is open: printable characters are typed, Backspace erases, Enter saves
    /// the mark (an empty label saves "mark"), Esc and Ctrl-C cancel.
    private static func handlePrompt(_ key: Key, _ state: inout DashboardState) -> [DashboardEffect] {
        var text = state.prompt ?? ""
        switch key {
        case .character(let c):
            let clean = Sanitize.text(String(Character(c)))
            if text.unicodeScalars.count < labelLimit { text += clean }
            state.prompt = text
        case .backspace:
            if !text.isEmpty { text.removeLast() }
            state.prompt = text
        case .escape, .ctrl("c"):
            state.prompt = nil
        case .enter:
            state.prompt = nil
            let label = text.split(separator: " ").joined(separator: " ")
            return addMark(label: label.isEmpty ? "mark" : label, at: state.promptStep, &state)
        default:
            break
        }
        return []
    }

    /// Keys the open marks table takes (nil: the key goes on to the normal bindings): ↑/↓ move the row,
    /// Enter or Space selects it (two selections give deltas; a third replaces the older), Esc or `k` close.
    private static func handleMarksTable(_ key: Key, _ state: inout DashboardState) -> [DashboardEffect]? {
        let rows = MarksTable.rows(state)
        switch key {
        case .up, .character("K"):
            state.markRow = max(state.markRow - 1, 0)
        case .down, .character("J"):
            state.markRow = min(state.markRow + 1, max(rows.count - 1, 0))
        case .enter, .character(" "):
            guard state.markRow < rows.count else { return [] }
            let step = rows[state.markRow].step
            if let i = state.markSelection.firstIndex(of: step) {
                state.markSelection.remove(at: i)
            } else {
                state.markSelection.append(step)
                if state.markSelection.count > 2 { state.markSelection.removeFirst() }
            }
        case .escape, .character("k"):
            state.showMarks = false
        default:
            return nil
        }
        return []
    }

    private static func quit(_ state: inout DashboardState) -> [DashboardEffect] {
        if state.mode == .live && state.end == nil && state.trainingFailure == nil {
            state.confirmingQuit = true
            return []
        }
        return [.quit]
    }

    /// Moves the replay cursor; in live and watch mode moving it also freezes the view there.
    private static func moveCursor(to index: Int, _ state: inout DashboardState) {
        guard !state.recordSteps.isEmpty else { return }
        let i = min(max(index, 0), state.recordSteps.count - 1)
        state.cursor = i
        if state.mode != .replay && state.frozenStep == nil { state.frozenStep = state.recordSteps.last }
    }
}
