#if canImport(Glibc)
import Glibc
#endif
import NumericCore

/// Saves an RF readout A (d×p, float32) as a `.npy` file, atomically: written to a temporary file beside the
/// target, fsynced, then renamed over it, so a reader never sees a partial checkpoint.
enum RFCheckpoint {
    static func save(_ a: Matrix<Float>, to path: String) throws {
        let bytes = NpyArray(a).encode()
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw CheckpointError(path: temporary, reason: String(cString: strerror(errno))) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw CheckpointError(path: temporary, reason: reason)
            }
            written += n
        }
        if fsync(fd) != 0 || close(fd) != 0 {
            throw CheckpointError(path: temporary, reason: String(cString: strerror(errno)))
        }
        if rename(temporary, path) != 0 { throw CheckpointError(path: path, reason: String(cString: strerror(errno))) }
    }
}

/// A checkpoint could not be written.
public struct CheckpointError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot write checkpoint (\(reason))" }
}
