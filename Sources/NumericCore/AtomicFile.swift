#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file all at once — every file that must survive a crash (checkpoints, training state, `.npy`
/// arrays, sweep manifests and scripts) is written here: the bytes go to a temporary file beside `PATH`
/// (`PATH.tmp-PID`, so processes writing the same path do not collide), are fsynced, renamed over `PATH`, and
/// the folder is fsynced, so after a crash `PATH` holds either the old contents or the new ones, never a mix or
/// a prefix. Interrupted writes (EINTR) are retried.
public enum AtomicFile {
    /// Writes `bytes` to `path` with permissions `mode`.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(AtomicFileError) {
        var failure: AtomicFileError?
        bytes.withUnsafeBytes { buffer in
            do throws(AtomicFileError) { try write(buffer, to: path, mode: mode) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes the UTF-8 of `text` to `path` with permissions `mode`.
    public static func write(text: String, to path: String, mode: mode_t = 0o644) throws(AtomicFileError) {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// Writes the bytes of `bytes` to `path` with permissions `mode`.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o644) throws(AtomicFileError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 { throw AtomicFileError(path: path, reason: "cannot create \(temporary): " + String(cString: strerror(errno))) }
        func fail(_ what: String) -> AtomicFileError {
            let reason = what + String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            return AtomicFileError(path: path, reason: reason)
        }
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write failed: ")
            }
            written += n
        }
        // Some file systems (e.g. a pipe or a special file) refuse fsync with EINVAL: nothing to make durable.
        if fsync(fd) != 0 && errno != EINVAL { throw fail("fsync failed: ") }
        if close(fd) != 0 {
            let reason = "close failed: " + String(cString: strerror(errno))
            unlink(temporary)
            throw AtomicFileError(path: path, reason: reason)
        }
        if rename(temporary, path) != 0 {
            let reason = "cannot rename into place: " + String(cString: strerror(errno))
            unlink(temporary)
            throw AtomicFileError(path: path, reason: reason)
        }
        syncFolder(of: path)
    }

    /// Makes the rename durable (best effort: some file systems refuse fsync on a folder).
    private static func syncFolder(of path: String) {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let fd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// A file that could not be replaced: its path and why ("PATH: fsync failed: No space left on device").
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
