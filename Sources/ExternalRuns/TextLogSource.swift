import Foundation
import RunFormat

/// A reader of a line-based log format (CSV, JSON lines).
protocol TextLogReader {
    init()
    mutating func feed(_ bytes: UnsafeRawBufferPointer, into log: inout ScalarLog)
    var problems: [String] { get }
    /// The first line when the format has a header that a rewrite may change (CSV), else nil.
    var headerLine: [UInt8]? { get }
}

extension CSVLogReader: TextLogReader {}

extension JSONLinesLogReader: TextLogReader {
    var headerLine: [UInt8]? { nil }
}

/// One text log file followed as it grows, as one run.
///
/// A file that is truncated, replaced, or rewritten with another header line (Lightning widening its CSV when
/// a new key appears) is read again from the start; rows it still holds as before are not passed on twice,
/// and only when an earlier row changed does the run restart.
final class TextLogRun<Reader: TextLogReader> {
    let key: RunKey
    private let tail: FileTail
    private var reader = Reader()
    private(set) var log = ScalarLog()
    private var emitter: RecordEmitter
    /// While a re-read file has not yet reached the rows already passed on: those rows, to compare with.
    private var previous: ScalarLog?
    private var verified = 0
    private var reported = Set<String>()
    private var announced = false
    static var maxProblems: Int { 20 }

    init(path: String, key: RunKey, format: ExternalFormat, map: TagMap) {
        self.key = key
        tail = FileTail(path: path)
        emitter = RecordEmitter(format: format, source: path, map: map)
    }

    func poll(final: Bool) -> [RunChange] {
        var changes: [RunChange] = []
        if let h = reader.headerLine {
            let p = tail.prefix(h.count + 1)
            if p.count < h.count + 1 || !p.starts(with: h) || (p[h.count] != 0x0A && p[h.count] != 0x0D) {
                tail.reset()
                startOver()
            }
        }
        do {
            _ = try tail.read(restarting: startOver) { bytes in reader.feed(bytes, into: &log) }
        } catch {
            changes.append(.problem(error.description))
        }
        var voided = false
        if let old = previous {
            let n = min(log.count, emitter.emittedRows)
            while verified < n && old.rowEqual(verified, log, verified) { verified += 1 }
            if verified < n {
                voided = true
                previous = nil
            } else if log.count >= emitter.emittedRows {
                previous = nil
            }
        }
        for p in reader.problems where !reported.contains(p) {
            if reported.count < Self.maxProblems { changes.append(.problem("\(tail.path): \(p)")) }
            reported.insert(p)
            if reported.count == Self.maxProblems { changes.append(.problem("\(tail.path): further problems not shown")) }
        }
        let records = emitter.changes(log, voided: voided)
        if !announced && records.isEmpty && emitter.emittedRows == 0 {
            changes.append(.waiting("no scalars yet in \(key.path)"))
        }
        announced = true
        return changes + records
    }

    /// The file is read again from its start: keep what was passed on for comparison.
    private func startOver() {
        if previous == nil && emitter.emittedRows > 0 { previous = log }
        verified = 0
        var fresh = ScalarLog()
        fresh.tags = log.tags
        log = fresh
        reader = Reader()
    }
}

/// Shared body of the single-file text sources.
public class TextFileSource {
    public let path: String
    public let isLive: Bool
    public var pollInterval: Double? { isLive ? ExternalSources.followInterval : nil }
    private var done = false
    private let poller: () -> [RunChange]
    private let runKey: RunKey
    private let logReader: () -> ScalarLog

    init<Reader: TextLogReader>(path: String, format: ExternalFormat, map: TagMap, live: Bool, reader: Reader.Type) throws(ExternalRunError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ExternalRunError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw ExternalRunError("\(path): is a directory, not a \(format.rawValue) file") }
        self.path = path
        isLive = live
        let url = URL(fileURLWithPath: path)
        runKey = RunKey(path: path, name: url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent)
        let run = TextLogRun<Reader>(path: path, key: runKey, format: format, map: map)
        poller = { run.poll(final: !live) }
        logReader = { run.log }
    }

    public func markFile(for run: RunKey) -> String? { nil }

    /// The scalars read so far.
    public var log: ScalarLog { logReader() }

    public func poll() -> [SourceUpdate] {
        guard !done else { return [] }
        var updates = poller().map { SourceUpdate(run: runKey, change: $0) }
        if !isLive {
            done = true
            updates.append(SourceUpdate(run: runKey, change: .finished))
        }
        return updates
    }
}

/// A CSV file with a `step` column (Lightning's `CSVLogger` `metrics.csv`) as a record source of one run.
public final class CSVSource: TextFileSource, RecordSource {
    public init(path: String, map: TagMap = TagMap(), live: Bool) throws(ExternalRunError) {
        try super.init(path: path, format: .csv, map: map, live: live, reader: CSVLogReader.self)
    }
}

/// JSON lines of flat objects with a `step` key as a record source of one run.
public final class JSONLinesSource: TextFileSource, RecordSource {
    public init(path: String, map: TagMap = TagMap(), live: Bool) throws(ExternalRunError) {
        try super.init(path: path, format: .jsonl, map: map, live: live, reader: JSONLinesLogReader.self)
    }
}
