import Glibc

/// Reads a file another process may still be appending to: each `read` passes on the bytes added since the
/// previous one (read with `pread` from the saved offset), and starts over from byte 0 when the file was
/// truncated or replaced. Costs one `stat` when nothing changed.
final class FileTail {
    let path: String
    private var fd: Int32 = -1
    private var inode: ino_t = 0
    private(set) var offset: off_t = 0

    init(path: String) { self.path = path }

    deinit { if fd >= 0 { close(fd) } }

    enum Outcome: Equatable {
        /// The file does not exist (yet, or any more).
        case missing
        /// Read from where the last call stopped (maybe nothing new).
        case continued
        /// The file shrank or was replaced: the bytes passed on are from its start, everything before is void.
        case restarted
    }

    /// Passes the new bytes to `body`, in chunks of at most 1 MiB; calls `restarting` first when the file was
    /// truncated or replaced (the bytes that follow are from its start).
    func read(restarting: () -> Void = {}, _ body: (UnsafeRawBufferPointer) -> Void) throws(ExternalRunError) -> Outcome {
        var st = stat()
        guard stat(path, &st) == 0 else {
            guard fd >= 0 else { return .missing }
            reset()
            restarting()
            return .restarted
        }
        var outcome = Outcome.continued
        if fd >= 0 && (st.st_ino != inode || st.st_size < offset) {
            reset()
            restarting()
            outcome = .restarted
        }
        if fd < 0 {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .errno(path, "cannot open") }
            inode = st.st_ino
        }
        guard st.st_size > offset else { return outcome }
        var chunk = [UInt8](repeating: 0, count: Int(min(st.st_size - offset, 1 << 20)))
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, offset) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw .errno(path, "read failed")
            }
            if n == 0 { break }
            offset += off_t(n)
            chunk.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            if n < chunk.count { break }
        }
        return outcome
    }

    /// The first `count` bytes of the open file (fewer when it is shorter), read without moving the offset.
    func prefix(_ count: Int) -> [UInt8] {
        guard fd >= 0, count > 0 else { return [] }
        var b = [UInt8](repeating: 0, count: count)
        let n = b.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, count, 0) }
        return n > 0 ? Array(b[0..<n]) : []
    }

    /// Closes the file; the next `read` starts from byte 0.
    func reset() {
        if fd >= 0 { close(fd) }
        fd = -1
        offset = 0
    }
}
