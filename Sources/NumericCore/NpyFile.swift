#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension NpyArray {
    /// Reads a `.npy` file; errors name the file.
    public static func read(path: String) throws -> NpyArray {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw NpyError("\(path): is a directory, not a .npy file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NpyError("\(path): cannot read (\(describeIOError(error)))")
        }
        do {
            return try decode([UInt8](data))
        } catch let e as NpyError {
            throw NpyError("\(path): \(e.message)")
        }
    }

    /// Writes the array to `path` atomically: a temporary file, fsynced, renamed into place (a crash leaves
    /// the old file or the new one, never a prefix).
    public func write(path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NpyError("\(path): cannot write (\(String(cString: strerror(errno))))") }
        let bytes = encode()
        var written = 0
        var failure: String?
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                failure = String(cString: strerror(errno))
                break
            }
            written += n
        }
        if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw NpyError("\(path): cannot write (\(failure))")
        }
    }
}

/// The short reason of a Foundation file error ("No such file or directory"), without Cocoa boilerplate.
func describeIOError(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    switch ns.code {
    case NSFileReadNoSuchFileError: return "No such file or directory"
    case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "Permission denied"
    case NSFileWriteOutOfSpaceError: return "No space left on device"
    default: return ns.localizedDescription
    }
}
