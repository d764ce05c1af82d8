import Foundation
import RunFormat

/// The input formats genwindow reads besides its own run files.
public enum ExternalFormat: String, Sendable, CaseIterable {
    case tfevents, csv, jsonl, genwindow
}

/// Passes a run's scalar log on as genwindow records: a synthesized header, then one `MetricsRecord` per step for
/// the rows that arrived since the last call.
///
/// The header's config names the format, the source and the tag feeding each series. When the log is voided
/// (a purge, a file replaced by different contents) or a newly seen tag changes which tag feeds a series, the
/// run starts over: `restarted`, a new header, every row again.
public struct RecordEmitter {
    public let format: ExternalFormat
    public let source: String
    public let map: TagMap
    public private(set) var emittedRows = 0
    private var headerSent = false
    private var resolved: [String: String] = [:]
    private var knownTags = 0

    public init(format: ExternalFormat, source: String, map: TagMap) {
        self.format = format
        self.source = source
        self.map = map
    }

    /// What changed since the last call; `voided` when rows already passed on are no longer in `log`. A log
    /// shorter than what was passed on but not voided (a file being rewritten with the same rows) waits until it
    /// grows past it.
    public mutating func changes(_ log: ScalarLog, voided: Bool) -> [RunChange] {
        var out: [RunChange] = []
        if voided { restart(&out) }
        if log.tags.count != knownTags {
            knownTags = log.tags.count
            let now = map.resolve(log.tags.names)
            if headerSent && now != resolved { restart(&out) }
            resolved = now
        }
        guard log.count > emittedRows else { return out }
        if !headerSent {
            out.append(.header(header(log)))
            headerSent = true
        }
        out.append(.records(Self.records(log, from: emittedRows, names: TagMap.valueNames(log.tags.names, resolved: resolved))))
        emittedRows = log.count
        return out
    }

    private mutating func restart(_ out: inout [RunChange]) {
        if headerSent { out.append(.restarted) }
        headerSent = false
        emittedRows = 0
    }

    /// The synthesized header: model "external", created at the first wall time (when the format has one).
    public func header(_ log: ScalarLog) -> RunHeader {
        var mapObject = JSONObject()
        for name in TagMap.series { if let tag = resolved[name] { mapObject[name] = .string(tag) } }
        let created = log.wallTimes.first(where: { $0 > 0 }).map(Self.iso8601) ?? ""
        return RunHeader(created: created, model: "external",
                         config: ["format": .string(format.rawValue), "source": .string(source), "map": .object(mapObject)])
    }

    /// One record per step for rows `from..<log.count`, ordered by step (rows of one step merged; a value seen
    /// twice at a step keeps the later one). Time is seconds since the log's first wall time (0 without one).
    public static func records(_ log: ScalarLog, from: Int, names: [String]) -> [RunRecord] {
        let start = log.wallTimes.first(where: { $0 > 0 }) ?? 0
        var order = Array(from..<log.count)
        if !(from + 1..<max(from + 1, log.count)).allSatisfy({ log.steps[$0 - 1] <= log.steps[$0] }) {
            order.sort { log.steps[$0] < log.steps[$1] || (log.steps[$0] == log.steps[$1] && $0 < $1) }
        }
        var out: [RunRecord] = []
        var k = 0
        while k < order.count {
            let step = log.steps[order[k]]
            let wall = log.wallTimes[order[k]]
            var m = MetricsRecord(step: step, timeSeconds: wall > 0 && start > 0 ? wall - start : 0)
            while k < order.count && log.steps[order[k]] == step {
                let row = order[k]
                let x = log.values[row]
                m.set(names[Int(log.tagIDs[row])], x.isFinite ? x : nil)
                k += 1
            }
            out.append(.metrics(m))
        }
        return out
    }

    static func iso8601(_ seconds: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: seconds))
    }
}
