#if canImport(Glibc)
import Glibc
#endif

/// A run file that cannot be opened, read or written; prints as one line naming the file.
public struct RunFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    /// 1-based line number when the problem is a line of the file.
    public let line: Int?
    public let message: String

    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }

    static func errno(_ path: String, _ what: String) -> RunFileError {
        RunFileError(path: path, message: "\(what): \(String(cString: strerror(Glibc.errno)))")
    }
}
