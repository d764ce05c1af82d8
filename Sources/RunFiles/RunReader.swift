#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import RunFormat

/// A run file read into memory: the header, every valid record in order, and the lines that were not valid.
public struct RunLog: Sendable {
    public var path: String
    public var header: RunHeader
    /// Every record after the header, in file order.
    public var records: [RunRecord]
    /// Malformed lines (skipped), each with file name and line number.
    public var problems: [RunFileError]
    /// True when the file ended without a newline: a record still being written, or lost in a crash.
    public var hasPartialLastLine: Bool

    /// The `end` record, if the run ended.
    public var end: EndRecord? {
        for r in records.reversed() { if case .end(let e) = r { return e } }
        return nil
    }
}

/// How a reader treats a malformed line in the middle of a file.
public enum MalformedLinePolicy: Sendable {
    /// Stop with an error naming the file and line.
    case fail
    /// Skip it and note it in `RunLog.problems` (the dashboard shows these in its status line).
    case skip
}

/// Reads run files in large chunks straight from the file descriptor (no per-line allocation beyond the
/// records themselves).
public enum RunReader {
    /// Reads a whole run. The first line must be a v1 header; a truncated last line is ignored.
    public static func read(path: String, malformed: MalformedLinePolicy = .fail) throws -> RunLog {
        let fd = try openForReading(path)
        defer { close(fd) }
        var decoder = RunStreamDecoder(path: path, malformed: malformed)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RunFileError.errno(path, "read failed")
            }
            if n == 0 { break }
            try chunk.withUnsafeBufferPointer { try decoder.feed(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        guard let header = decoder.header else {
            throw RunFileError(path: path, line: 1, message: decoder.sawAnyLine ? "missing header" : "empty run file (no header line)")
        }
        return RunLog(path: path, header: header, records: decoder.takeRecords(), problems: decoder.problems,
                      hasPartialLastLine: decoder.hasPartialLine)
    }

    static func openForReading(_ path: String) throws -> Int32 {
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw RunFileError(path: path, message: "is a directory, not a run file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw RunFileError.errno(path, "cannot open") }
        return fd
    }
}

/// Turns a byte stream into records: validates the header on line 1, decodes each complete line, and
/// applies the malformed-line policy. Shared by the whole-file reader and the follower.
struct RunStreamDecoder {
    let path: String
    let malformed: MalformedLinePolicy
    private(set) var header: RunHeader?
    private var records: [RunRecord] = []
    private(set) var problems: [RunFileError] = []
    private(set) var sawAnyLine = false
    private var lines = RunLineReader()

    init(path: String, malformed: MalformedLinePolicy) {
        self.path = path
        self.malformed = malformed
    }

    var hasPartialLine: Bool { lines.hasPartialLine }

    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) throws {
        // Move the line splitter out of self so the callback may mutate self without a copy of its buffer.
        var lines = self.lines
        self.lines = RunLineReader(maxLineBytes: lines.maxLineBytes)
        defer { self.lines = lines }
        let maxLineBytes = lines.maxLineBytes
        // Lines inside the chunk wait here and are decoded together (on several threads when there are many); a
        // line that must be handled at once (the header, one joined across chunks) first settles those before it.
        var batch: [(number: Int, bytes: UnsafeBufferPointer<UInt8>)] = []
        try lines.feed(chunk) { line in
            switch line {
            case .tooLong(let number):
                try settle(&batch)
                try problem(RunFileError(path: path, line: number, message: "line longer than \(maxLineBytes) bytes"))
            case .text(let number, let bytes):
                if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return }
                sawAnyLine = true
                let inChunk = bytes.baseAddress.map { $0 >= chunk.baseAddress! && $0 < chunk.baseAddress! + chunk.count }
                if header != nil && inChunk == true {
                    batch.append((number, bytes))
                } else {
                    try settle(&batch)
                    try accept(Result { () throws(RunDecodeError) in try RunCodec.decode(bytes) }, line: number)
                }
            }
        }
        try settle(&batch)
    }

    /// Lines a batch must hold before it is decoded on more than one thread.
    static let parallelBatch = 512

    /// Decodes the waiting lines, then takes their records in line order.
    private mutating func settle(_ batch: inout [(number: Int, bytes: UnsafeBufferPointer<UInt8>)]) throws {
        if batch.isEmpty { return }
        defer { batch.removeAll(keepingCapacity: true) }
        let parts = batch.count >= Self.parallelBatch ? max(1, min(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 8)) : 1
        let decoded = UnsafeMutableBufferPointer<Result<RunRecord, RunDecodeError>>.allocate(capacity: batch.count)
        defer { decoded.deallocate() }
        batch.withUnsafeBufferPointer { lines in
            nonisolated(unsafe) let (target, source) = (decoded.baseAddress!, lines)
            let decodePart: @Sendable (Int) -> Void = { part in
                for k in (part * source.count / parts)..<((part + 1) * source.count / parts) {
                    (target + k).initialize(to: Result { () throws(RunDecodeError) in try RunCodec.decode(source[k].bytes) })
                }
            }
            if parts == 1 { decodePart(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: decodePart) }
        }
        // Each result is moved out (no extra retain); after a throw the rest are deinitialized before deallocation.
        var taken = 0
        defer { (decoded.baseAddress! + taken).deinitialize(count: batch.count - taken) }
        while taken < batch.count {
            let result = (decoded.baseAddress! + taken).move()
            taken += 1
            try accept(result, line: batch[taken - 1].number)
        }
    }

    /// Applies the header rule and the malformed-line policy to one decoded line.
    private mutating func accept(_ decoded: Result<RunRecord, RunDecodeError>, line number: Int) throws {
        let record: RunRecord
        switch decoded {
        case .success(let r): record = r
        case .failure(let error):
            if header == nil {
                throw RunFileError(path: path, line: number, message: "not a genwindow run file: \(error)")
            }
            try problem(RunFileError(path: path, line: number, message: "\(error)"))
            return
        }
        if header == nil {
            guard case .header(let h) = record else {
                throw RunFileError(path: path, line: number, message: "not a genwindow run file: the first line is not a header")
            }
            header = h
        } else if case .header = record {
            try problem(RunFileError(path: path, line: number, message: "a second header line"))
        } else {
            records.append(record)
        }
    }

    private mutating func problem(_ e: RunFileError) throws {
        if malformed == .fail { throw e }
        if problems.count < 1000 { problems.append(e) }
    }

    /// Returns the records decoded since the last call.
    mutating func takeRecords() -> [RunRecord] {
        defer { records.removeAll(keepingCapacity: true) }
        return records
    }

    mutating func reset() {
        header = nil
        records.removeAll()
        problems.removeAll()
        sawAnyLine = false
        lines.reset()
    }
}
