#if canImport(Glibc)
import Glibc
#endif
import RunFormat

/// What a follower saw since its last poll.
public enum RunFollowUpdate: Sendable, Equatable {
    /// The file does not exist yet (or is empty).
    case waiting
    /// The header, the first time it is read.
    case header(RunHeader)
    case records([RunRecord])
    /// A line that is not a valid record (following goes on).
    case problem(RunFileError)
    /// The file shrank or was replaced: everything read so far is void; a new header follows.
    case restarted
}

/// Follows a run file that another process is writing, like `tail -f`: call `poll()` whenever you want news.
///
/// Works on a file that does not exist yet, reads only whole lines (a record being written is picked up on a
/// later poll), and starts over if the file is truncated or replaced. Polling costs one `stat` when nothing
/// changed.
public final class RunFollower {
    public let path: String
    private var fd: Int32 = -1
    private var inode: ino_t = 0
    private var offset: off_t = 0
    private var decoder: RunStreamDecoder
    private var reportedProblems = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 20)

    public init(path: String) {
        self.path = path
        decoder = RunStreamDecoder(path: path, malformed: .skip)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Reads whatever was appended since the last poll. Throws only for a file that is not a run at all
    /// (bad or missing header) or cannot be read.
    public func poll() throws -> [RunFollowUpdate] {
        var updates: [RunFollowUpdate] = []
        var st = stat()
        guard stat(path, &st) == 0 else {
            if fd >= 0 { restart(&updates) }
            return updates.isEmpty && decoder.header == nil ? [.waiting] : updates
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw RunFileError(path: path, message: "is a directory, not a run file") }
        if fd >= 0 && (st.st_ino != inode || st.st_size < offset) { restart(&updates) }
        if fd < 0 {
            fd = try RunReader.openForReading(path)
            inode = st.st_ino
            offset = 0
        }
        let hadHeader = decoder.header != nil
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RunFileError.errno(path, "read failed")
            }
            if n == 0 { break }
            offset += off_t(n)
            try chunk.withUnsafeBufferPointer { try decoder.feed(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        if !hadHeader, let h = decoder.header { updates.append(.header(h)) }
        let records = decoder.takeRecords()
        if !records.isEmpty { updates.append(.records(records)) }
        while reportedProblems < decoder.problems.count {
            updates.append(.problem(decoder.problems[reportedProblems]))
            reportedProblems += 1
        }
        if decoder.header == nil && updates.isEmpty { updates.append(.waiting) }
        return updates
    }

    private func restart(_ updates: inout [RunFollowUpdate]) {
        if fd >= 0 { close(fd) }
        fd = -1
        offset = 0
        reportedProblems = 0
        let had = decoder.header != nil
        decoder.reset()
        if had { updates.append(.restarted) }
    }
}
