import Phases
import RunFormat
import TerminalUI

/// Everything the dashboard draws: the data of the run shown and the view settings. Members of either part are
/// read (and, within the module, written) directly on the state, e.g. `state.series` or `state.logY`.
@dynamicMemberLookup
public struct DashboardState: Sendable {
    public internal(set) var run: RunData
    public internal(set) var view: ViewSettings

    public init(mode: DashboardMode, width: Int = 120, height: Int = 36, glyphs: GlyphSet = .unicode,
                theme: Theme = .color, seriesCapacity: Int = 1 << 20) {
        view = ViewSettings(mode: mode, width: width, height: height, glyphs: glyphs, theme: theme)
        run = RunData(seriesCapacity: seriesCapacity, smoothingWeight: view.smoothingWeight, smoothingKind: view.smoothingKind)
    }

    public subscript<T>(dynamicMember path: KeyPath<RunData, T>) -> T { run[keyPath: path] }

    public subscript<T>(dynamicMember path: WritableKeyPath<RunData, T>) -> T {
        get { run[keyPath: path] }
        set { run[keyPath: path] = newValue }
    }

    public subscript<T>(dynamicMember path: KeyPath<ViewSettings, T>) -> T { view[keyPath: path] }

    public subscript<T>(dynamicMember path: WritableKeyPath<ViewSettings, T>) -> T {
        get { view[keyPath: path] }
        set { view[keyPath: path] = newValue }
    }

    /// True while marks are set by the live training job (at its current step, with a checkpoint); once the
    /// run has ended or failed, marks go to the run file at the cursor, as in a replay.
    public var marksGoToTraining: Bool { view.mode == .live && run.end == nil && run.trainingFailure == nil }

    /// The step the panes show values at: the cursor's, else the newest (within the frozen range).
    public var cursorStep: Int? {
        let steps = run.recordSteps
        guard !steps.isEmpty else { return nil }
        if let cursor = view.cursor { return steps[min(max(cursor, 0), steps.count - 1)] }
        if let frozen = view.frozenStep, let i = indexOfStep(atOrBefore: frozen) { return steps[i] }
        return steps.last
    }

    /// The last step drawn (records after it are hidden while frozen).
    public var visibleLimit: Double { view.frozenStep.map(Double.init) ?? .infinity }

    func indexOfStep(atOrBefore step: Int) -> Int? { run.indexOfStep(atOrBefore: step) }

    /// The run's newest event of `kind` (`RunData.latestEvent`).
    public func latestEvent(_ kind: String, basis: String? = nil, strict: Bool = false) -> EventRecord? {
        run.latestEvent(kind, basis: basis, strict: strict)
    }

    /// The samples record at or before `step`.
    public func preview(atOrBefore step: Int) -> SamplePreview? { run.preview(atOrBefore: step) }

    /// The evaluation record at or before `step`.
    public func evaluation(atOrBefore step: Int) -> MetricsRecord? { run.evaluation(atOrBefore: step) }

    /// Applies records in file order.
    public mutating func fold(_ records: [RunRecord]) {
        for r in records { fold(r) }
    }

    /// Applies one record to the run shown; the cursor keeps its step when old positions are thinned, and the
    /// marks table forgets selected rows whose mark is gone.
    public mutating func fold(_ record: RunRecord) {
        let stepsBefore = run.recordSteps.count
        let cursorStep = stepsBefore == 0 ? nil : view.cursor.map { run.recordSteps[min(max($0, 0), stepsBefore - 1)] }
        if let problem = run.fold(record) { setStatus(problem) }
        if run.recordSteps.count < stepsBefore, let cursorStep { view.cursor = indexOfStep(atOrBefore: cursorStep) ?? 0 }
        if case .event(let e) = record, e.kind == EventKind.markDeleted { dropStaleMarkSelection() }
    }

    /// Undoes a mark change that could not be saved.
    mutating func revertMarkChange(at step: Int) {
        run.revertMarkChange(at: step)
        dropStaleMarkSelection()
    }

    /// Forgets selected marks-table rows whose mark is gone, so the delta row never shows a deleted mark.
    private mutating func dropStaleMarkSelection() {
        let steps = Set(MarksTable.rows(self).map(\.step))
        view.markSelection.removeAll { !steps.contains($0) }
    }

    /// Recomputes the smoothed series after the smoothing weight changed.
    mutating func resmooth() { run.resmooth(weight: view.smoothingWeight, kind: view.smoothingKind) }

    mutating func setStatus(_ message: String?) { view.status = message.map(Sanitize.text) }

    /// Shows `data` instead of the current run, keeping the view settings; the cursor follows the newest record.
    public mutating func show(_ data: RunData) {
        run = data
        run.resmooth(weight: view.smoothingWeight, kind: view.smoothingKind)
        view.cursor = nil
        view.frozenStep = nil
        view.markSelection = []
    }

    /// Forgets the run's records (the followed file was replaced, or the next of several runs began); view
    /// settings, the cursor among them, stay.
    mutating func clearRun() {
        run = RunData(seriesCapacity: run.seriesCapacity, smoothingWeight: view.smoothingWeight, smoothingKind: view.smoothingKind)
    }
}
