import NumericCore
#if canImport(Glibc)
import Glibc
#endif
import RunFiles
import RunFormat

/// Reading and writing the files of a sweep folder.
public enum SweepFiles {
    /// Reads `DIR/sweep.json`, or nil when there is none.
    public static func readManifest(directory: String) throws(SweepError) -> SweepManifest? {
        let path = WorkerInvocation.join(directory, SweepManifest.fileName)
        guard let text = try readText(path) else { return nil }
        return try SweepManifest(parsing: text, path: path)
    }

    /// Writes `DIR/sweep.json` atomically: a temporary file in the same folder, fsynced, renamed over the old one.
    public static func writeManifest(_ manifest: SweepManifest, directory: String) throws(SweepError) {
        try writeAtomically(manifest.text, to: WorkerInvocation.join(directory, SweepManifest.fileName))
    }

    /// What a cell's run file says about the cell.
    public static func runFileState(_ path: String) -> RunFileState {
        if access(path, F_OK) != 0 { return .missing }
        do {
            let log = try RunReader.read(path: path, malformed: .skip)
            return log.end.map { .ended($0.reason) } ?? .open
        } catch {
            return .unreadable("\(error)")
        }
    }

    /// Creates a folder and its parents.
    public static func createDirectory(_ path: String) throws(SweepError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SweepError("cannot create folder \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw SweepError("\(path) is not a folder")
        }
    }

    /// A whole file as text, or nil when it does not exist.
    public static func readText(_ path: String) throws(SweepError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SweepError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SweepError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces `path` with `text` so that readers see the old or the new file, never a partial one.
    public static func writeAtomically(_ text: String, to path: String, mode: mode_t = 0o644) throws(SweepError) {
        do { try AtomicFile.write(text: text, to: path, mode: mode) } catch { throw SweepError("cannot write \(error)") }
    }

    /// The running program's own executable, for starting workers.
    public static func ownExecutable() throws(SweepError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { throw SweepError("cannot find this program's path (/proc/self/exe); pass --genwindow PATH") }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An absolute form of `path` (relative to the current folder), so scripts and workers find it anywhere.
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return trimmed == "." ? cwd : WorkerInvocation.join(cwd, trimmed)
    }
}
