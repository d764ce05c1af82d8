#if canImport(Glibc)
import Glibc
#endif
import RunFormat

/// Appends records to a run file as whole lines.
///
/// Metrics records are buffered and written at least every `flushInterval` seconds (checked on every append and
/// by `flushIfDue`); every other record is written at once. Lines go out in single `write(2)` calls of whole
/// lines, so a `kill -9` loses at most the buffered records and never leaves a half line except when the disk
/// itself fails mid-write (the reader ignores a truncated last line). `close` fsyncs.
public final class RunWriter {
    public let path: String
    public let flushInterval: Double
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var oldestBuffered: Double?
    private let clock: () -> Double

    /// Creates a new run file (refusing to replace a non-empty one unless `overwrite`) and writes `header`.
    public init(creating path: String, header: RunHeader, overwrite: Bool = false, flushInterval: Double = 1.0,
                clock: @escaping () -> Double = RunWriter.monotonicSeconds) throws {
        self.path = path
        self.flushInterval = flushInterval
        self.clock = clock
        var st = stat()
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw RunFileError(path: path, message: "is a directory") }
            if st.st_size > 0 && !overwrite {
                throw RunFileError(path: path, message: "already exists (choose another --out, or pass --force to overwrite)")
            }
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw RunFileError.errno(path, "cannot create") }
        try append(.header(header))
    }

    /// Replaces the file at `path` all at once by one holding only `header`, then appends to it: the header goes
    /// to `PATH.tmp`, is fsynced and renamed over `path`, and the folder is fsynced, so a reader (or a crash)
    /// sees the old file or the new one, never a mix. For `train`, whose preliminary header gives way to the full
    /// one when the setup is done.
    public init(replacing path: String, header: RunHeader, flushInterval: Double = 1.0,
                clock: @escaping () -> Double = RunWriter.monotonicSeconds) throws {
        self.path = path
        self.flushInterval = flushInterval
        self.clock = clock
        let temporary = path + ".tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw RunFileError.errno(temporary, "cannot create") }
        do {
            try append(.header(header))
            if fsync(fd) != 0 { throw RunFileError.errno(temporary, "cannot sync") }
            if rename(temporary, path) != 0 { throw RunFileError.errno(path, "cannot replace") }
        } catch {
            Glibc.close(fd)
            fd = -1
            unlink(temporary)
            throw error
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let folderFD = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)  // best effort: some file systems refuse fsync on a folder
            Glibc.close(folderFD)
        }
    }

    /// Opens an existing run file to append more records (resuming a run, or saving marks from replay).
    public convenience init(appendingTo path: String, flushInterval: Double = 1.0,
                            clock: @escaping () -> Double = RunWriter.monotonicSeconds) throws {
        try self.init(existing: path, truncatingTo: nil, flushInterval: flushInterval, clock: clock)
    }

    /// Continues a run after a crash or an interruption: cuts the file back to `length` bytes (what it held when
    /// the checkpoint being resumed was taken), so records written after that checkpoint are not duplicated.
    public convenience init(resuming path: String, truncatingTo length: Int, flushInterval: Double = 1.0,
                            clock: @escaping () -> Double = RunWriter.monotonicSeconds) throws {
        try self.init(existing: path, truncatingTo: length, flushInterval: flushInterval, clock: clock)
    }

    /// Opens `path` for appending, first cut back to `length` bytes when given, and ends a half-written last line.
    private init(existing path: String, truncatingTo length: Int?, flushInterval: Double,
                 clock: @escaping () -> Double) throws {
        self.path = path
        self.flushInterval = flushInterval
        self.clock = clock
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if fd < 0 { throw RunFileError.errno(path, "cannot open for appending") }
        if let length {
            var st = stat()
            guard fstat(fd, &st) == 0, length > 0, length <= Int(st.st_size) else {
                Glibc.close(fd)
                fd = -1
                throw RunFileError(path: path, message: "is shorter than its checkpoint says (\(length) bytes); not the same run")
            }
            if ftruncate(fd, off_t(length)) != 0 {
                let e = RunFileError.errno(path, "cannot truncate")
                Glibc.close(fd)
                fd = -1
                throw e
            }
        }
        try terminatePartialLastLine()
    }

    deinit {
        if fd >= 0 {
            try? flush()
            Glibc.close(fd)
        }
    }

    /// Adds one record. Metrics wait in the buffer for at most `flushInterval`; all else is written now.
    public func append(_ record: RunRecord) throws {
        guard fd >= 0 else { throw RunFileError(path: path, message: "run file is already closed") }
        let line = RunCodec.encode(record)
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        let now = clock()
        if oldestBuffered == nil { oldestBuffered = now }
        if case .metrics = record, let oldest = oldestBuffered, now - oldest < flushInterval, buffer.count < 1 << 16 {
            return
        }
        try flush()
    }

    /// Writes buffered records if the oldest has waited `flushInterval` or longer.
    public func flushIfDue() throws {
        if let oldest = oldestBuffered, clock() - oldest >= flushInterval { try flush() }
    }

    /// Writes every buffered record to the file (to the kernel; not fsynced).
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
        oldestBuffered = nil
    }

    /// Writes the buffer out, fsyncs, and returns the file's length in bytes: where a checkpoint taken now
    /// resumes from (fsynced first, so after a power loss the file is not shorter than its checkpoint says).
    public func flushedLength() throws -> Int {
        try flush()
        if fsync(fd) != 0 && Glibc.errno != EINVAL { throw RunFileError.errno(path, "fsync failed") }
        var st = stat()
        if fstat(fd, &st) != 0 { throw RunFileError.errno(path, "cannot stat") }
        return Int(st.st_size)
    }

    /// Flushes, fsyncs and closes. Further appends fail.
    public func close() throws {
        guard fd >= 0 else { return }
        try flush()
        if fsync(fd) != 0 && Glibc.errno != EINVAL { throw RunFileError.errno(path, "fsync failed") }
        Glibc.close(fd)
        fd = -1
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        guard fd >= 0 else { throw RunFileError(path: path, message: "run file is already closed") }
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if Glibc.errno == EINTR { continue }
                    throw RunFileError.errno(path, "write failed")
                }
                offset += n
            }
        }
    }

    /// A crash can leave a partial last line; appending after it would glue two records together.
    private func terminatePartialLastLine() throws {
        let rfd = open(path, O_RDONLY | O_CLOEXEC)
        guard rfd >= 0 else { return }
        defer { Glibc.close(rfd) }
        let size = lseek(rfd, 0, SEEK_END)
        guard size > 0 else { return }
        var last: UInt8 = 0
        if pread(rfd, &last, 1, size - 1) == 1, last != 0x0A { try writeAll([0x0A]) }
    }

    /// Seconds on the monotonic clock.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
