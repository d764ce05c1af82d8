import Phases
import RunFormat
import TerminalUI

/// One run's data, folded from its records — the same code path whether the records come from the live
/// trainer, a followed file or a saved run. A session keeps one per run; what the keys change is in
/// `ViewSettings`, which stays when the run shown changes.
public struct RunData: Sendable {
    /// Sanitized header fields ("" when unknown).
    public private(set) var model = ""
    public private(set) var data = ""
    public private(set) var n: Int?
    /// "p" or "width", with its value.
    public private(set) var size: (name: String, value: Int)?
    public private(set) var totalSteps: Int?
    /// For a run genwindow did not train: which tag feeds each series (the header's `map`), as "series←tag".
    public private(set) var tagMap: [String] = []
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
    /// When the records were written, for a time axis.
    public private(set) var timeline = RunTimeline()
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
    public private(set) var trainingFailure: String?
    let seriesCapacity: Int
    /// How the `smoothed` copies are smoothed (the view's, set by `resmooth`).
    private(set) var smoothedWeight: Double
    private(set) var smoothedKind = SmoothingKind.ema
    /// The time-weighted EMA's step unit: a thousandth of the planned steps, or of the steps so far (smoothed
    /// again when the run doubles its length).
    private var smoothingUnit = 1.0
    /// For each step whose mark was changed by a key and handed to the host to save: the mark there before
    /// (nil: none), restored if saving fails.
    var markBeforeChange: [Int: MarkRecord?] = [:]

    public init(seriesCapacity: Int = 1 << 20, smoothingWeight: Double = ViewSettings.smoothingWeights[1],
                smoothingKind: SmoothingKind = .ema) {
        self.seriesCapacity = seriesCapacity
        smoothedWeight = smoothingWeight
        smoothedKind = smoothingKind
    }

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

    /// Applies one record; returns a problem to show when the record could not be used.
    @discardableResult
    public mutating func fold(_ record: RunRecord) -> String? {
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
            if e.kind == EventKind.markDeleted {
                marks.removeAll { $0.step == e.step }
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
                if previews.count > RunData.previewCapacity { thinPreviews() }
            case .failure(let e): return e.description
            }
        case .other: break
        }
        return nil
    }

    /// Undoes a mark change that could not be saved: the marks at `step` are what they were before it.
    mutating func revertMarkChange(at step: Int) {
        guard let before = markBeforeChange.removeValue(forKey: step) else { return }
        marks.removeAll { $0.step == step }
        if let before {
            marks.append(before)
            marks.sort { $0.step < $1.step }
        }
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
        timeline.created = RunTimeline.epoch(h.created)
        model = Sanitize.text(h.model)
        let c = h.config
        data = RunData.dataName(c)
        n = c["n"]?.int
        if let p = c["p"]?.int { size = ("p", p) } else if let w = c["width"]?.int { size = ("width", w) }
        totalSteps = c["steps"]?.int ?? c["total_steps"]?.int
        if let k = c["mem_k"]?.double, k > 0 { memorizationK = k }
        samplesExpected = model != "rf" || c["generative"]?.bool == true
        fidFeatures = c["fid_features"]?.string
        tagMap = (c["map"]?.object ?? [:]).compactMap { series, tag in
            tag.string.map { Sanitize.text(SeriesTable.style(of: series).legend) + "←" + Sanitize.text($0) }
        }
    }

    private mutating func foldMetrics(_ m: MetricsRecord) {
        let step = Double(m.step)
        if recordSteps.last.map({ m.step > $0 }) ?? true {
            recordSteps.append(m.step)
            timeline.steps.append(step)
            timeline.seconds.append(m.timeSeconds)
            if recordSteps.count > seriesCapacity { thinRecordSteps() }
        }
        lastTimeSeconds = m.timeSeconds
        if smoothedKind == .timeWeightedEMA && totalSteps == nil && step > 2000 * smoothingUnit {
            resmooth(weight: smoothedWeight, kind: smoothedKind, force: true)
        }
        for (name, value) in m.values {
            let v = value ?? .nan
            series[name, default: Series(capacity: seriesCapacity)].append(step: step, value: v)
            if SeriesTable.smoothedNames.contains(name) {
                var smoother = smoothers[name] ?? Smoother(kind: smoothedKind, weight: smoothedWeight, unit: smoothingUnit)
                smoothed[name, default: Series(capacity: seriesCapacity)].append(step: step, value: smoother.next(step: step, value: v))
                smoothers[name] = smoother
            }
        }
        if m.values.contains(where: { $0.name == MetricName.memFrac || $0.name == MetricName.fid }) {
            evaluations.insertEvaluation(m)
            if let features = FrechetLabel.featureSpace(of: m) { fidFeatures = Sanitize.text(features) }
        }
    }

    private var smoothers: [String: Smoother] = [:]
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
    /// stay bounded like its series (`DashboardState` moves its cursor to the same step's new position).
    private mutating func thinRecordSteps() {
        let keepFrom = recordSteps.count / 2
        recordSteps = recordSteps[..<keepFrom].enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
            + recordSteps[keepFrom...]
        timeline.steps = timeline.steps[..<keepFrom].enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
            + timeline.steps[keepFrom...]
        timeline.seconds = timeline.seconds[..<keepFrom].enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
            + timeline.seconds[keepFrom...]
    }

    private mutating func thinPreviews() {
        let keepFrom = previews.count / 2
        previews = previews[..<keepFrom].enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil } + previews[keepFrom...]
    }

    /// Recomputes the smoothed series (smoothing runs on the stored points, before any per-column downsampling);
    /// nothing to do when weight and kind are unchanged, unless `force`.
    mutating func resmooth(weight: Double, kind: SmoothingKind, force: Bool = false) {
        guard force || weight != smoothedWeight || kind != smoothedKind else { return }
        smoothedWeight = weight
        smoothedKind = kind
        smoothingUnit = max(Double(totalSteps ?? recordSteps.last ?? 0), 1000) / 1000
        smoothers = [:]
        smoothed = [:]
        for name in SeriesTable.smoothedNames {
            guard let s = series[name] else { continue }
            var smoother = Smoother(kind: kind, weight: weight, unit: smoothingUnit)
            var out = Series(capacity: seriesCapacity)
            for i in 0..<s.count { out.append(step: s.steps[i], value: smoother.next(step: s.steps[i], value: s.values[i])) }
            smoothers[name] = smoother
            smoothed[name] = out
        }
    }

    // MARK: - Other inputs

    /// Applies news about a run that is not on screen (the run shown goes through `DashboardUpdate`, which also
    /// updates the status line and the cursor).
    mutating func apply(_ change: RunChange) {
        switch change {
        case .header(let h): fold(.header(h))
        case .records(let records): fold(records)
        case .progress(let p): setProgress(p)
        case .restarted, .started: self = RunData(seriesCapacity: seriesCapacity, smoothingWeight: smoothedWeight, smoothingKind: smoothedKind)
        case .failed(let message): setTrainingFailure(message)
        case .waiting, .problem, .finished: break
        }
    }

    mutating func setProgress(_ p: TrainingProgress) {
        progress = (p.step, p.elapsedSeconds, p.stepsPerSecond)
        if let total = p.totalSteps { totalSteps = total }
    }

    mutating func setTrainingFailure(_ message: String) { trainingFailure = Sanitize.text(message) }
}
