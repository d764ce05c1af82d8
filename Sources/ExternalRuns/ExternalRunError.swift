import Glibc

/// Why an external run cannot be opened or read; prints as one line naming the path.
public struct ExternalRunError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    /// Set when the path is a genwindow run file, which genwindow's own run-file reader opens.
    public let genwindowRun: String?

    public init(_ message: String, genwindowRun: String? = nil) {
        self.message = message
        self.genwindowRun = genwindowRun
    }

    public var description: String { message }

    static func errno(_ path: String, _ what: String) -> ExternalRunError {
        ExternalRunError("\(path): \(what): \(String(cString: strerror(Glibc.errno)))")
    }
}
