import Foundation

/// Which tag of an external run feeds each of genwindow's series.
///
/// By default a series is fed by the first of its common names (below, in order of preference) that the run
/// has, matched case-insensitively; `--map series=TAG,…` names the tag outright. Unmapped scalars keep their
/// tags as names, except that a tag spelled like a series it does not feed gets the prefix "tag:".
public struct TagMap: Equatable, Sendable {
    /// genwindow's series that external tags can feed, in the order the header lists them.
    public static let series = ["train_loss", "test_loss", "mem_frac", "fid"]

    /// Common names of each series, most specific first (lowercase).
    public static let commonNames: [String: [String]] = [
        "train_loss": ["train_loss", "train/loss", "loss/train", "training_loss", "training/loss", "loss/training", "loss"],
        "test_loss": ["test_loss", "val_loss", "val/loss", "loss/val", "eval/loss", "test/loss", "loss/test",
                      "eval_loss", "valid_loss", "validation_loss", "validation/loss", "loss/validation"],
        "mem_frac": ["mem_frac", "f_mem", "fmem", "mem/frac", "memorized_fraction", "eval/mem_frac", "val/mem_frac"],
        "fid": ["fid", "eval/fid", "val/fid", "test/fid", "metrics/fid", "fid_score"],
    ]

    /// Tags named by `--map`, by series.
    public var explicit: [String: String]

    public init(explicit: [String: String] = [:]) { self.explicit = explicit }

    /// Parses `train_loss=TAG,test_loss=TAG,…` (the series must be one of `series`; a tag may not be empty).
    public static func parse(_ text: String) throws(ExternalRunError) -> TagMap {
        var explicit: [String: String] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let eq = item.firstIndex(of: "=") else {
                throw ExternalRunError("--map: expected SERIES=TAG, found '\(item)'")
            }
            let name = item[..<eq].trimmingCharacters(in: .whitespaces)
            let tag = String(item[item.index(after: eq)...])
            guard series.contains(name) else {
                throw ExternalRunError("--map: unknown series '\(name)' (expected one of \(series.joined(separator: ", ")))")
            }
            guard !tag.isEmpty else { throw ExternalRunError("--map: no tag given for \(name)") }
            guard explicit[name] == nil else { throw ExternalRunError("--map: \(name) given twice") }
            explicit[name] = tag
        }
        return TagMap(explicit: explicit)
    }

    /// The tag feeding each series among `tags` (a series none of them feeds is absent).
    public func resolve(_ tags: [String]) -> [String: String] {
        var out: [String: String] = [:]
        let lower = tags.map { $0.lowercased() }
        for name in Self.series {
            if let tag = explicit[name] {
                if tags.contains(tag) { out[name] = tag }
                continue
            }
            let taken = Set(explicit.values)
            for candidate in Self.commonNames[name] ?? [] {
                if let k = lower.firstIndex(of: candidate), !taken.contains(tags[k]) {
                    out[name] = tags[k]
                    break
                }
            }
        }
        return out
    }

    /// Throws, listing the run's tags, when an explicitly mapped tag is not among `tags`.
    public func check(against tags: [String]) throws(ExternalRunError) {
        for name in Self.series {
            guard let tag = explicit[name], !tags.contains(tag) else { continue }
            let list = tags.isEmpty ? "none" : tags.sorted().joined(separator: ", ")
            throw ExternalRunError("--map: no tag '\(tag)' for \(name); the run's scalar tags: \(list)")
        }
    }

    /// The record value name of each tag: its series when it feeds one, else the tag (prefixed "tag:" when it
    /// is spelled like a series).
    public static func valueNames(_ tags: [String], resolved: [String: String]) -> [String] {
        var byTag: [String: String] = [:]
        for (name, tag) in resolved { byTag[tag] = name }
        return tags.map { tag in byTag[tag] ?? (series.contains(tag) ? "tag:" + tag : tag) }
    }
}
