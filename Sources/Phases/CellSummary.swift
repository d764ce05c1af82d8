import RunFormat

/// A detected time scale: the step of its event and its value (`tau` in the model's time units — τ = kη/d² for
/// RF — or the step when the event carries no `tau`).
public struct Timescale: Equatable, Sendable {
    public var step: Int
    public var tau: Double
    public var provisional: Bool

    public init(step: Int, tau: Double, provisional: Bool = false) {
        self.step = step
        self.tau = tau
        self.provisional = provisional
    }
}

/// What the phase diagram needs from one run file.
public struct CellSummary: Equatable, Sendable {
    public var name: String
    public var n: Int
    public var p: Int
    /// The end record's reason, nil when the run has none.
    public var endReason: EndReason?
    /// The last step the run reached (the end record's, else the last record's).
    public var endStep: Int
    public var tauGen: Timescale?
    public var tauMem: Timescale?
    /// mem_frac at the last evaluation that measured it; nil when the run never measured it.
    public var finalMemFrac: Double?
    /// The highest mem_frac over the run (Paper A's memorization ratio).
    public var maxMemFrac: Double?
    public var finalFID: Double?
    /// How far the test loss rose after its minimum, relative to the minimum; nil without test-loss records.
    public var testLossRise: Double?
    /// |train loss at the middle step − at the end| / |at the end|: how far training still moved over the second
    /// half of the run; nil without train-loss records.
    public var trainLossChange: Double?
    /// The unit of `tauGen.tau` and `tauMem.tau`: "τ" when the events carry the model's time, else "steps".
    public var timeUnit: String
    /// The run's model and every setting that defines the experiment apart from n and the seed
    /// (`CellSummary.groupSettings`): runs of one group differ only in n (and seed), so tau_mem ∝ n is fitted
    /// per group.
    public var group: String

    public var tauGenReached: Bool { tauGen.map { $0.step <= endStep } ?? false }
    public var tauMemReached: Bool { tauMem.map { $0.step <= endStep } ?? false }

    /// Whether the run has a generalization window [tau_gen, tau_mem].
    public enum Window: String, Sendable {
        /// Both times reached, tau_mem after tau_gen.
        case yes
        /// Both reached, tau_mem at or before tau_gen: the model memorizes before its samples are good.
        case absent = "none"
        /// tau_gen reached, tau_mem not (yet): the window is still open at the end of the run.
        case open
    }

    /// The run's window; nil before tau_gen is reached.
    public var window: Window? {
        guard tauGenReached, let gen = tauGen else { return nil }
        guard tauMemReached, let mem = tauMem else { return .open }
        return mem.step > gen.step ? .yes : .absent
    }

    public init(name: String, n: Int, p: Int, endReason: EndReason?, endStep: Int, tauGen: Timescale?, tauMem: Timescale?,
                finalMemFrac: Double?, maxMemFrac: Double?, finalFID: Double?, testLossRise: Double?,
                trainLossChange: Double?, timeUnit: String = "steps", group: String = "") {
        self.name = name
        self.n = n
        self.p = p
        self.endReason = endReason
        self.endStep = endStep
        self.tauGen = tauGen
        self.tauMem = tauMem
        self.finalMemFrac = finalMemFrac
        self.maxMemFrac = maxMemFrac
        self.finalFID = finalFID
        self.testLossRise = testLossRise
        self.trainLossChange = trainLossChange
        self.timeUnit = timeUnit
        self.group = group
    }

    /// The two times and what they mean, for a closing line: "tau_gen at step A, tau_mem at step B:
    /// generalization window [A, B)", the window still open, or none because memorization began first; nil
    /// before tau_gen.
    public var windowDescription: String? {
        guard let window, let gen = tauGen else { return nil }
        let g = "tau_gen at step \(gen.step)"
        switch window {
        case .yes: return "\(g), tau_mem at step \(tauMem!.step): generalization window [\(gen.step), \(tauMem!.step))"
        case .open: return "\(g), tau_mem not reached: the window is still open"
        case .absent:
            return "no window: tau_mem at step \(tauMem!.step) came before \(g) (the model memorizes before its samples are good)"
        }
    }

    /// The header settings that make two runs one experiment at different n: model and problem size, data,
    /// conditioning, optimizer and noise handling. Settings derived from n (an RF learning rate resolved from
    /// U's spectrum, τ_max, a batch of min(n, …)) and the seed are left out.
    public static let groupSettings = ["data", "d", "dimension", "p", "width", "depth", "t", "labels", "classes", "optimizer",
                                       "ema", "weight_decay", "layernorm", "noise", "sigma_x", "generative", "guidance",
                                       "label_dropout", "schedule", "sampler"]

    /// "rf data=gaussian d=25 p=1600 t=0.1 …": the model, then each `groupSettings` key the header has.
    public static func group(of header: RunHeader) -> String {
        ([header.model] + groupSettings.compactMap { key in
            header.config[key].map { "\(key)=" + (($0.string) ?? JSONWriter.string($0)) }
        }).joined(separator: " ")
    }

    /// The summary of a run's records, header first: n and p from the header config ("n", and "p" for RF or
    /// "width" for DDPM; nil without them), the rest from the records (see `CellTally`).
    public init?(records: [RunRecord], name: String) {
        var tally = CellTally()
        for record in records { tally.add(record) }
        guard let summary = tally.summary(name: name) else { return nil }
        self = summary
    }
}

/// Folds a run's records, one at a time and in file order, into what its `CellSummary` needs, so the dashboard
/// (record by record) and `genwindow phase` (whole files) summarize a run the same way. Of several events of
/// one kind the last final one counts; a provisional event stands in only while the run has not ended (in an
/// ended run it means "not reached").
public struct CellTally: Sendable {
    private var n: Int?
    private var p: Int?
    private var lastStep = 0
    private var gen: (final: Timescale?, provisional: Timescale?) = (nil, nil)
    private var mem: (final: Timescale?, provisional: Timescale?) = (nil, nil)
    private var finalMem: Double?, maxMem: Double?, finalFID: Double?
    private var finalFIDStep = Int.min
    private var minTest = Double.infinity, riseAfterMin = 0.0
    private var sawTest = false
    private var sawTau = false
    private var train: [(step: Int, loss: Double)] = []
    private var end: EndRecord?
    private var group = ""

    public init() {}

    /// True once the header gave n and p.
    public var hasSize: Bool { n != nil && p != nil }

    public mutating func add(_ record: RunRecord) {
        if let s = record.step { lastStep = max(lastStep, s) }
        switch record {
        case .header(let h):
            n = h.config["n"]?.int
            p = (h.config["p"] ?? h.config["width"])?.int
            group = CellSummary.group(of: h)
        case .metrics(let m):
            if let f = m[MetricName.memFrac] {
                finalMem = f
                maxMem = max(maxMem ?? f, f)
            }
            // The FID of the latest step: a live Inception FID is written after evaluations of later steps.
            if let f = m[MetricName.fid], m.step >= finalFIDStep {
                finalFID = f
                finalFIDStep = m.step
            }
            if let t = m[MetricName.trainLoss] { train.append((m.step, t)) }
            if let t = m[MetricName.testLoss] {
                sawTest = true
                if t < minTest {
                    minTest = t
                    riseAfterMin = 0
                } else {
                    riseAfterMin = max(riseAfterMin, t - minTest)
                }
            }
        case .event(let e) where e.kind == EventKind.tauGen || e.kind == EventKind.tauMem:
            let provisional = e.fields["provisional"]?.bool ?? false
            if e.fields["tau"]?.double != nil { sawTau = true }
            let t = Timescale(step: e.step, tau: e.fields["tau"]?.double ?? Double(e.step), provisional: provisional)
            if e.kind == EventKind.tauGen {
                if provisional { gen.provisional = t } else { gen.final = t }
            } else {
                if provisional { mem.provisional = t } else { mem.final = t }
            }
        case .end(let e):
            end = e
        default:
            break
        }
    }

    /// The summary so far; nil until the header gave n and p.
    public func summary(name: String) -> CellSummary? {
        guard let n, let p else { return nil }
        let endStep = end?.step ?? lastStep
        var trainChange: Double?
        if let last = train.last, let middle = train.first(where: { 2 * $0.step >= endStep }) {
            trainChange = abs(middle.loss - last.loss) / max(abs(last.loss), 1e-12)
        }
        return CellSummary(name: name, n: n, p: p, endReason: end?.reason, endStep: endStep,
                           tauGen: end == nil ? gen.final ?? gen.provisional : gen.final,
                           tauMem: end == nil ? mem.final ?? mem.provisional : mem.final,
                           finalMemFrac: finalMem, maxMemFrac: maxMem, finalFID: finalFID,
                           testLossRise: sawTest ? riseAfterMin / max(abs(minTest), 1e-12) : nil, trainLossChange: trainChange,
                           timeUnit: sawTau ? "τ" : "steps", group: group)
    }
}
