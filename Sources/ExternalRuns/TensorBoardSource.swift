import Foundation
import RunFormat

/// One event file of a run and how far it has been read.
final class EventFile {
    let path: String
    let tail: FileTail
    var framer = TFRecordFramer()

    init(path: String) {
        self.path = path
        tail = FileTail(path: path)
    }
}

/// A TensorBoard run followed live: its event files (one, or every event file of its directory, merged in name
/// order) read with `pread` from where each stopped, whole records only.
final class TensorBoardRun {
    let key: RunKey
    private var files: [EventFile] = []
    private(set) var decoder = EventDecoder()
    private var emitter: RecordEmitter
    /// Problems already reported (a run read again does not report them twice).
    private var reported = Set<String>()
    private var seenPurges = 0
    private var announced = false

    init(key: RunKey, source: String, map: TagMap) {
        self.key = key
        emitter = RecordEmitter(format: .tfevents, source: source, map: map)
    }

    /// Reads what was appended to `paths` (the run's event files, in name order) since the last poll.
    func poll(_ paths: [String], final: Bool) -> [RunChange] {
        var changes: [RunChange] = []
        let known = files.map(\.path)
        if paths.count < known.count || Array(paths.prefix(known.count)) != known {
            // A file vanished or one sorts before those read: read the run again in the new order.
            files.removeAll()
            decoder.reset()
        }
        for path in paths.dropFirst(files.count) { files.append(EventFile(path: path)) }
        var k = 0
        while k < files.count {
            let file = files[k]
            do {
                let outcome = try file.tail.read { bytes in
                    file.framer.feed(bytes) { record, offset in decoder.consume(record, file: file.path, offset: offset) }
                }
                if outcome == .restarted {
                    // A file was truncated or replaced: read the whole run again.
                    files = files.map { EventFile(path: $0.path) }
                    decoder.reset()
                    k = 0
                    continue
                }
            } catch {
                changes.append(.problem(error.description))
            }
            var problems = file.framer.problems.map { "\(file.path): \($0)" }
            if final && file.framer.pendingBytes > 0 {
                problems.append("\(file.path): the last \(file.framer.pendingBytes) bytes are not a whole record (truncated)")
            }
            for p in problems where reported.insert(p).inserted { changes.append(.problem(p)) }
            k += 1
        }
        for m in decoder.malformed {
            let p = "\(m.file): byte \(m.offset): not a valid event record; skipped"
            if reported.insert(p).inserted { changes.append(.problem(p)) }
        }
        let voided = decoder.purges != seenPurges
        seenPurges = decoder.purges
        let records = emitter.changes(decoder.log, voided: voided)
        if !announced && records.isEmpty && emitter.emittedRows == 0 {
            changes.append(.waiting("no scalars yet in \(key.path)"))
        }
        announced = true
        return changes + records
    }
}

/// TensorBoard event files as a record source: a single event file, or a log directory where every directory
/// holding event files is one run (new files and new run directories are picked up while watching).
public final class TensorBoardSource: RecordSource, ImageSummaries {
    public let path: String
    public let isLive: Bool
    public var pollInterval: Double? { isLive ? ExternalSources.followInterval : nil }
    private let map: TagMap
    private let isDirectory: Bool
    private var runs: [String: TensorBoardRun] = [:]
    private var done = false

    /// `live`: follow the files as they grow; otherwise the first poll reads everything and finishes.
    public init(path: String, map: TagMap = TagMap(), live: Bool) throws(ExternalRunError) {
        self.path = path
        self.map = map
        self.isLive = live
        var st = stat()
        guard stat(path, &st) == 0 else { throw ExternalRunError("\(path): no such file or directory") }
        isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
        if isDirectory && LogDirectory.runs(under: path).isEmpty {
            throw ExternalRunError("\(path): no TensorBoard event files (events.out.tfevents.*) in this directory or below")
        }
    }

    public func markFile(for run: RunKey) -> String? { nil }

    /// The scalar tags of every run read so far, sorted.
    public var tags: [String] { Set(runs.values.flatMap { $0.decoder.log.tags.names }).sorted() }

    /// The runs read so far, sorted.
    public var runKeys: [RunKey] { runs.values.map(\.key).sorted() }

    /// The image summaries of `run` read so far, in the order read.
    public func images(of run: RunKey) -> [ImageEntry] { runs[run.path]?.decoder.log.images ?? [] }

    /// The logs read so far, by run.
    public var logs: [RunKey: ScalarLog] {
        Dictionary(uniqueKeysWithValues: runs.values.map { ($0.key, $0.decoder.log) })
    }

    public func poll() -> [SourceUpdate] {
        guard !done else { return [] }
        var found: [LogDirectory.Run]
        if isDirectory {
            found = LogDirectory.runs(under: path)
        } else {
            let name = (path as NSString).lastPathComponent
            found = [LogDirectory.Run(directory: path, name: name, files: [path])]
        }
        var updates: [SourceUpdate] = []
        for r in found {
            let run = runs[r.directory] ?? TensorBoardRun(key: RunKey(path: r.directory, name: r.name), source: path, map: map)
            runs[r.directory] = run
            updates += run.poll(r.files, final: !isLive).map { SourceUpdate(run: run.key, change: $0) }
        }
        if !isLive {
            done = true
            updates += runs.values.map(\.key).sorted().map { SourceUpdate(run: $0, change: .finished) }
        }
        return updates
    }
}
