import Phases
import RunFormat
import TerminalUI

/// Everything the dashboard shows, folded from run records — the same code path whether the records come
/// from the live trainer, a followed file or a saved run — plus the view settings the keys change.
public struct DashboardState: Sendable {
    // MARK: - Run data

    public let mode: DashboardMode
    /// Sanitized header fields ("" when unknown).
    public private(set) var model = ""
    public private(set) var data = ""
    public private(set) var n: Int?
    /// "p" or "width", with its value.
    public private(set) var size: (name: String, value: Int)?
    public private(set) var totalSteps: Int?
    public private(set) var hasHeader = false
    /// The feature space of the `fid` series (the header's `fid_features`, or the newest evaluation's).
    public private(set) var fidFeatures: String?
    /// The `fid` series' name on screen: "FID" only for Inception features (`FrechetLabel`).
    public var fidLabel: String { FrechetLabel.label(features: fidFeatures, data: data) }
    /// False for a run whose model records no samples (an RF run without `--generative`): no f_mem, FID or
    /// sample previews will come.
    public private(set) var samplesExpected = true
    /// Every numeric metric by name.
    public private(set) var series: [String: Series] = [:]
    /// The smoothed copies of the loss series at the current smoothing weight.
    public private(set) var smoothed: [String: Series] = [:]
    /// The distinct steps of metrics records, ascending: the positions the replay cursor moves through.
    public private(set) var recordSteps: [Int] = []
    /// Records that carry evaluation results (mem_frac or fid), for the samples pane.
    public private(set) var evaluations: [MetricsRecord] = []
    /// Detected timescales and other events (mark deletions are applied to `marks` instead).
    public private(set) var events: [EventRecord] = []
    /// Marks by step, ascending.
    public private(set) var marks: [MarkRecord] = []
    public private(set) var end: EndRecord?
    /// `samples` records, oldest first (thinned to `previewCapacity` in long live runs).
    public private(set) var previews: [SamplePreview] = []
    /// The memorization threshold on d1/d2 (the header's `mem_k`, else 1/3).
    public private(set) var memorizationK = 1.0 / 3.0
    public private(set) var lastTimeSeconds: Double?
    public private(set) var progress: (step: Int, elapsed: Double, stepsPerSecond: Double)?
    /// The latest problem (malformed line, failed write), shown in the status line.
    public private(set) var status: String?
    public private(set) var trainingFailure: String?
    /// Runs of a sweep, for the phase diagram (empty: only the current run is shown).
    public var sweep: [PhaseCell] = []
    /// Which of several followed runs this is ("2/5 run-n100.jsonl"), shown in the header; nil for one run.
    public var runLabel: String?
    /// A forecast of tau_mem from other runs, shown (labelled as a forecast) until tau_mem is detected.
    public var memorizationForecast: MemorizationEstimate?
    let seriesCapacity: Int

    // MARK: - View

    public var width: Int
    public var height: Int
    public var glyphs: GlyphSet
    public var theme: Theme
    /// Colours the sample previews may use (grey ramp, 24-bit greys, or none: ASCII density ramp).
    public var colorDepth: ColorDepth = .palette256
    /// Index into `recordSteps`; nil follows the newest record.
    public internal(set) var cursor: Int?
    public internal(set) var logX = true
    public internal(set) var logY = true
    /// Index into `DashboardState.smoothingWeights`.
    public internal(set) var smoothingIndex = 1
    public internal(set) var robustRange = false
    /// Each level halves the visible step range (in axis units).
    public internal(set) var zoomLevel = 0
    /// While frozen, only records up to this step are shown.
    public internal(set) var frozenStep: Int?
    public internal(set) var focus: Pane = .loss
    public internal(set) var zoomed = false
    public internal(set) var showHelp = false
    /// Help entries scrolled past (the overlay clamps it to what fits).
    public internal(set) var helpOffset = 0
    public internal(set) var confirmingQuit = false
    public internal(set) var paused = false
    /// The marks table (`k`) is open.
    public internal(set) var showMarks = false
    /// The highlighted row of the marks table.
    public internal(set) var markRow = 0
    /// Steps of the (at most two) rows selected for deltas, in selection order.
    public internal(set) var markSelection: [Int] = []
    /// The label typed so far while the one-line mark prompt is open.
    public internal(set) var prompt: String?
    /// The step the prompt labels: the marks table's highlighted mark, or nil for the cursor's step.
    public internal(set) var promptStep: Int?
    /// For each step whose mark was changed by a key and handed to the host to save: the mark there before
    /// (nil: none), restored if saving fails.
    var markBeforeChange: [Int: MarkRecord?] = [:]

    /// none, 0.6, 0.9, 0.99 (TensorBoard's default is 0.6).
    public static let smoothingWeights: [Double] = [0, 0.6, 0.9, 0.99]
    /// The series drawn in the loss pane, in legend order.
    public static let lossSeries = ["train_loss", "test_loss", "gen_loss"]

    public init(mode: DashboardMode, width: Int = 120, height: Int = 36, glyphs: GlyphSet = .unicode,
                theme: Theme = .color, seriesCapacity: Int = 1 << 20) {
        self.mode = mode
        self.width = width
        self.height = height
        self.glyphs = glyphs
        self.theme = theme
        self.seriesCapacity = seriesCapacity
    }

    public var smoothingWeight: Double { DashboardState.smoothingWeights[smoothingIndex] }

    /// True while marks are set by the live training job (at its current step, with a checkpoint); once the
    /// run has ended or failed, marks go to the run file at the cursor, as in a replay.
    public var marksGoToTraining: Bool { mode == .live && end == nil && trainingFailure == nil }

    /// The step the panes show values at: the cursor's, else the newest (within the frozen range).
    public var cursorStep: Int? {
        guard !recordSteps.isEmpty else { return nil }
        if let cursor { return recordSteps[min(max(cursor, 0), recordSteps.count - 1)] }
        if let frozenStep, let i = indexOfStep(atOrBefore: frozenStep) { return recordSteps[i] }
        return recordSteps.last
    }

    /// The last step drawn (records after it are hidden while frozen).
    public var visibleLimit: Double { frozenStep.map(Double.init) ?? .infinity }

    func indexOfStep(atOrBefore step: Int) -> Int? {
        var lo = 0, hi = recordSteps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if recordSteps[mid] <= step { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    /// The newest event of `kind` (tau_gen, tau_mem, early_stop, …); with `basis` ("loss" or "samples") only
    /// events of that basis or of none (producers that detect on one basis only do not name it). With `strict`,
    /// an event without a basis counts as the one basis its run detects on: "loss" for an RF run without
    /// `--generative` that measured no samples (as files written before the basis was recorded), "samples"
    /// otherwise (the DDPM).
    public func latestEvent(_ kind: String, basis: String? = nil, strict: Bool = false) -> EventRecord? {
        let unnamed = strict ? (!samplesExpected && evaluations.isEmpty ? "loss" : "samples") : basis
        return events.last { e in
            guard e.kind == kind else { return false }
            guard let basis else { return true }
            return (e.fields["basis"]?.string ?? unnamed) == basis
        }
    }

    /// The samples record at or before `step`.
    public func preview(atOrBefore step: Int) -> SamplePreview? { previews.last { $0.step <= step } }

    /// At most this many `samples` records are kept; beyond it every other older one is dropped.
    static let previewCapacity = 512

    /// The evaluation record at or before `step`.
    public func evaluation(atOrBefore step: Int) -> MetricsRecord? { evaluations.last { $0.step <= step } }

    // MARK: - Folding records

    /// Applies records in file order.
    public mutating func fold(_ records: [RunRecord]) {
        for r in records { fold(r) }
    }

    public mutating func fold(_ record: RunRecord) {
        phaseTally.add(record)
        switch record {
        case .header(let h): foldHeader(h)
        case .metrics(let m): foldMetrics(m)
        case .mark(let m):
            marks.removeAll { $0.step == m.step }
            var clean = m
            clean.label = Sanitize.text(m.label)
            marks.append(clean)
            marks.sort { $0.step < $1.step }
        case .event(let e):
            if e.kind == "mark_deleted" {
                marks.removeAll { $0.step == e.step }
                dropStaleMarkSelection()
            } else {
                var clean = e
                clean.kind = Sanitize.text(e.kind)
                events.append(clean)
            }
        case .end(let e): end = e
        case .other(let type, let fields) where type == "samples":
            switch SamplePreview.parse(fields) {
            case .success(let p):
                previews.append(p)
                if previews.count > DashboardState.previewCapacity { thinPreviews() }
            case .failure(let e): setStatus(e.description)
            }
        case .other: break
        }
    }

    /// Forgets selected marks-table rows whose mark is gone, so the delta row never shows a deleted mark.
    private mutating func dropStaleMarkSelection() {
        let steps = Set(MarksTable.rows(self).map(\.step))
        markSelection.removeAll { !steps.contains($0) }
    }

    /// Undoes a mark change that could not be saved: the marks at `step` are what they were before it.
    mutating func revertMarkChange(at step: Int) {
        guard let before = markBeforeChange.removeValue(forKey: step) else { return }
        marks.removeAll { $0.step == step }
        if let before {
            marks.append(before)
            marks.sort { $0.step < $1.step }
        }
        dropStaleMarkSelection()
    }

    /// The dataset's name in a header config (sanitized; "" when unknown).
    static func dataName(_ c: JSONObject) -> String {
        switch c["data"] {
        case .string(let s)?: Sanitize.text(s)
        case .object(let o)?: Sanitize.text(o["name"]?.string ?? o["kind"]?.string ?? "")
        default: ""
        }
    }

    private mutating func foldHeader(_ h: RunHeader) {
        hasHeader = true
        model = Sanitize.text(h.model)
        let c = h.config
        data = DashboardState.dataName(c)
        n = c["n"]?.int
        if let p = c["p"]?.int { size = ("p", p) } else if let w = c["width"]?.int { size = ("width", w) }
        totalSteps = c["steps"]?.int ?? c["total_steps"]?.int
        if let k = c["mem_k"]?.double, k > 0 { memorizationK = k }
        samplesExpected = model != "rf" || c["generative"]?.bool == true
        fidFeatures = c["fid_features"]?.string
    }

    private mutating func foldMetrics(_ m: MetricsRecord) {
        let step = Double(m.step)
        if recordSteps.last.map({ m.step > $0 }) ?? true {
            recordSteps.append(m.step)
            if recordSteps.count > seriesCapacity { thinRecordSteps() }
        }
        lastTimeSeconds = m.timeSeconds
        for (name, value) in m.values {
            let v = value ?? .nan
            series[name, default: Series(capacity: seriesCapacity)].append(step: step, value: v)
            if DashboardState.lossSeries.contains(name) {
                var ema = smoothers[name] ?? DebiasedEMA(weight: smoothingWeight)
                ema.advance(into: &smoothed[name, default: Series(capacity: seriesCapacity)], step: step, value: v)
                smoothers[name] = ema
            }
        }
        if m.values.contains(where: { $0.name == "mem_frac" || $0.name == "fid" }) {
            evaluations.insertEvaluation(m)
            if let features = FrechetLabel.featureSpace(of: m) { fidFeatures = Sanitize.text(features) }
        }
    }

    private var smoothers: [String: DebiasedEMA] = [:]
    /// What the run's own phase-diagram cell needs, folded from every record.
    private var phaseTally = CellTally()

    /// The run's own cell of the phase diagram, classified by the rule `genwindow phase` uses
    /// (`PhaseClassifier`); `soFar` when the run has not ended and is classified as it stands. The region is nil
    /// while neither time has been detected in a run that goes on.
    public var ownPhaseCell: (cell: PhaseCell, soFar: Bool)? {
        guard var summary = phaseTally.summary(name: "") else { return nil }
        let soFar = summary.endReason == nil
        if soFar {
            guard summary.tauGen != nil || summary.tauMem != nil else { return (PhaseCell(n: summary.n, p: summary.p, region: nil), true) }
            summary.endReason = .completed
        }
        return (PhaseCell(n: summary.n, p: summary.p, region: PhaseClassifier.region(of: summary, thresholds: PhaseThresholds())), soFar)
    }

    /// Keeps every other step of the older half (the newest half stays whole), so a live run's cursor positions
    /// stay bounded like its series; a cursor index is moved to the same step's new position.
    private mutating func thinRecordSteps() {
        let keepFrom = recordSteps.count / 2
        let cursorStep = cursor.map { recordSteps[min(max($0, 0), recordSteps.count - 1)] }
        recordSteps = recordSteps[..<keepFrom].enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
            + recordSteps[keepFrom...]
        if let cursorStep { cursor = indexOfStep(atOrBefore: cursorStep) ?? 0 }
    }

    private mutating func thinPreviews() {
        let keepFrom = previews.count / 2
        previews = previews[..<keepFrom].enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil } + previews[keepFrom...]
    }

    /// Recomputes the smoothed series after the weight changed (smoothing runs on the stored points, before
    /// any per-column downsampling).
    mutating func resmooth() {
        smoothers = [:]
        smoothed = [:]
        for name in DashboardState.lossSeries {
            guard let s = series[name] else { continue }
            var ema = DebiasedEMA(weight: smoothingWeight)
            var out = Series(capacity: seriesCapacity)
            for i in 0..<s.count { ema.advance(into: &out, step: s.steps[i], value: s.values[i]) }
            smoothers[name] = ema
            smoothed[name] = out
        }
    }

    // MARK: - Other inputs

    mutating func setProgress(step: Int, totalSteps: Int?, elapsed: Double, stepsPerSecond: Double) {
        progress = (step, elapsed, stepsPerSecond)
        if let totalSteps { self.totalSteps = totalSteps }
    }

    mutating func setStatus(_ message: String?) { status = message.map(Sanitize.text) }

    mutating func setTrainingFailure(_ message: String) { trainingFailure = Sanitize.text(message) }

    /// Takes the view settings (size, glyphs, theme, axes, smoothing, focus, zoom, sweep) of `other`, the run
    /// shown before this one, so switching between followed runs keeps the view; the cursor follows the newest.
    public mutating func adoptView(of other: DashboardState) {
        width = other.width; height = other.height; glyphs = other.glyphs; theme = other.theme
        colorDepth = other.colorDepth
        logX = other.logX; logY = other.logY; robustRange = other.robustRange; zoomLevel = other.zoomLevel
        focus = other.focus; zoomed = other.zoomed; sweep = other.sweep; showHelp = false
        cursor = nil; frozenStep = nil
        if smoothingIndex != other.smoothingIndex {
            smoothingIndex = other.smoothingIndex
            resmooth()
        }
    }

    /// Forgets the run's records (the followed file was replaced, or the next of several runs began); view
    /// settings stay.
    mutating func clearRun() {
        let keep = self
        self = DashboardState(mode: keep.mode, width: keep.width, height: keep.height, glyphs: keep.glyphs,
                              theme: keep.theme, seriesCapacity: keep.seriesCapacity)
        colorDepth = keep.colorDepth
        logX = keep.logX; logY = keep.logY; smoothingIndex = keep.smoothingIndex; robustRange = keep.robustRange
        zoomLevel = keep.zoomLevel; focus = keep.focus; zoomed = keep.zoomed; sweep = keep.sweep
        runLabel = keep.runLabel; memorizationForecast = keep.memorizationForecast
    }
}

extension DebiasedEMA {
    /// Smooths one more point into `series`.
    mutating func advance(into series: inout Series, step: Double, value: Double) {
        series.append(step: step, value: weight == 0 ? value : next(value))
    }
}
