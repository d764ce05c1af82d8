/// The name and version every run file declares in its header.
public enum RunFormatVersion {
    public static let format = "genwindow-run"
    public static let version = 1
}

/// Line 1 of a run: what was trained and every setting needed to reproduce it.
public struct RunHeader: Equatable, Sendable {
    /// ISO-8601 creation time, e.g. "2026-11-23T21:40:00Z".
    public var created: String
    /// "rf", "ddpm", "optimal", …
    public var model: String
    /// Every setting needed to reproduce the run, seed and dataset included.
    public var config: JSONObject
    /// Keys beyond the required ones (kept when reading, written back in order).
    public var extra: JSONObject

    public init(created: String, model: String, config: JSONObject, extra: JSONObject = JSONObject()) {
        self.created = created
        self.model = model
        self.config = config
        self.extra = extra
    }
}

/// Measured values at one training step. Absent keys mean "not measured at this step".
public struct MetricsRecord: Equatable, Sendable {
    public var step: Int
    /// Seconds since the run started.
    public var timeSeconds: Double
    /// Named numbers in insertion order: "train_loss", "test_loss", "mem_frac", "fid", "tau", …
    /// A nil value is a measurement that came out non-finite (written as JSON null).
    public var values: [(name: String, value: Double?)]
    /// Non-numeric fields (e.g. "features": "data").
    public var extra: JSONObject

    public init(step: Int, timeSeconds: Double, values: [(String, Double?)] = [], extra: JSONObject = JSONObject()) {
        self.step = step
        self.timeSeconds = timeSeconds
        self.values = values.map { (name: $0.0, value: $0.1) }
        self.extra = extra
    }

    /// The value of `name`, if measured and finite.
    public subscript(name: String) -> Double? {
        for v in values where v.name == name { return v.value }
        return nil
    }

    /// Sets (or replaces) one value.
    public mutating func set(_ name: String, _ value: Double?) {
        if let i = values.firstIndex(where: { $0.name == name }) { values[i].value = value } else { values.append((name, value)) }
    }

    public static func == (a: MetricsRecord, b: MetricsRecord) -> Bool {
        a.step == b.step && a.timeSeconds == b.timeSeconds && a.extra == b.extra && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// An early-stopping point chosen by the user (or suggested by a detector).
public struct MarkRecord: Equatable, Sendable {
    public var step: Int
    public var label: String
    /// Path of the parameters saved at the mark, relative to the run file's folder, if any.
    public var checkpoint: String?
    public var extra: JSONObject

    public init(step: Int, label: String, checkpoint: String? = nil, extra: JSONObject = JSONObject()) {
        self.step = step
        self.label = label
        self.checkpoint = checkpoint
        self.extra = extra
    }
}

/// Something that happened at a step: a detected `tau_gen` or `tau_mem`, `diverged`, a deleted mark, …
public struct EventRecord: Equatable, Sendable {
    public var kind: String
    public var step: Int
    /// Event-specific fields, e.g. "tau", "value", "provisional".
    public var fields: JSONObject

    public init(kind: String, step: Int, fields: JSONObject = JSONObject()) {
        self.kind = kind
        self.step = step
        self.fields = fields
    }
}

/// Why a run ended.
public enum EndReason: String, Sendable, CaseIterable {
    case completed
    case interrupted
    case diverged
    /// Stopped by its own `--stop-when` rule (the `end` record names the rule and the checkpoint kept).
    case earlyStop = "early_stop"

    /// True when the run ended as it was set up to: its budget done or its stopping rule met. Such a run is
    /// finished (not resumable, not rerun by a sweep) and its records are a whole run for analysis.
    public var isFinished: Bool { self == .completed || self == .earlyStop }
}

/// The last line of a run that ended (a crashed run has none).
public struct EndRecord: Equatable, Sendable {
    public var step: Int
    public var reason: EndReason
    public var extra: JSONObject

    public init(step: Int, reason: EndReason, extra: JSONObject = JSONObject()) {
        self.step = step
        self.reason = reason
        self.extra = extra
    }
}

/// One line of a run file. Record types this version does not know are kept as `other`, so newer files stay
/// readable and round-trip unchanged.
public enum RunRecord: Equatable, Sendable {
    case header(RunHeader)
    case metrics(MetricsRecord)
    case mark(MarkRecord)
    case event(EventRecord)
    case end(EndRecord)
    case other(type: String, fields: JSONObject)

    /// The step the record refers to, if it has one.
    public var step: Int? {
        switch self {
        case .header: nil
        case .metrics(let m): m.step
        case .mark(let m): m.step
        case .event(let e): e.step
        case .end(let e): e.step
        case .other(_, let f): f["step"]?.int
        }
    }
}
