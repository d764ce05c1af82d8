import Metrics
import RunFormat

/// `--stop-when`: the rule by which a run ends itself, with a checkpoint and an `end` record of reason
/// `early_stop` (docs/ddpm.md, "Stopping early").
public enum StopRule: Sendable, Equatable {
    /// At the evaluation that confirms tau_mem (the DDPM's f_mem rule; the RF model's loss-based tau_mem once it
    /// would be final).
    case tauMem
    /// At the evaluation where the FID (the RF model: its generative Fréchet distance) has not improved for the
    /// rule's patience.
    case fidMin(PatienceRule)
    /// When tau_mem is confirmed (the window has closed), going back to the window's early-stop step: the lowest
    /// FID in [tau_gen, tau_mem). The checkpoint saved there becomes the run's.
    case window

    /// The names `--stop-when` takes and the header's `stop_when` records.
    public static let names = ["tau_mem", "fid-min", "window"]

    /// The rule named `name` (one of `names`); `patience` and `minDelta` apply to `fid-min` only.
    public init?(name: String, patience: Int = 3, minDelta: Double = 0) {
        switch name {
        case "tau_mem": self = .tauMem
        case "fid-min": self = .fidMin(PatienceRule(patience: patience, minDelta: minDelta))
        case "window": self = .window
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .tauMem: "tau_mem"
        case .fidMin: "fid-min"
        case .window: "window"
        }
    }

    /// The rule in words, for the `end` record.
    public var description: String {
        switch self {
        case .tauMem: "stop at the evaluation that confirms tau_mem"
        case .fidMin(let p): "stop after " + p.description
        case .window: "stop when tau_mem is confirmed; keep the lowest-FID model in [tau_gen, tau_mem)"
        }
    }

    /// The header's keys: `stop_when`, and for `fid-min` its `patience` and `min_delta`.
    public var headerFields: JSONObject {
        var fields: JSONObject = ["stop_when": .string(name)]
        if case .fidMin(let p) = self {
            fields["patience"] = .number(Double(p.patience))
            fields["min_delta"] = .number(p.minDelta)
        }
        return fields
    }

    /// The rule a header records (nil: none); throws on a `stop_when` this version does not know.
    static func from(header config: JSONObject) throws -> StopRule? {
        guard let name = config["stop_when"]?.string else { return nil }
        let patience = config["patience"]?.int ?? 3, minDelta = config["min_delta"]?.double ?? 0
        guard patience >= 1, minDelta >= 0, minDelta.isFinite, let rule = StopRule(name: name, patience: patience, minDelta: minDelta) else {
            throw TrainingStateError("the header's 'stop_when' is unknown")
        }
        return rule
    }
}
