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
        do { try AtomicFile.write(encode(), to: path) } catch { throw NpyError("\(error.path): cannot write (\(error.reason))") }
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
