import Foundation

/// A TensorBoard log directory: as TensorBoard does, every directory under it (itself included) holding event
/// files is one run, named by its path relative to the log directory ("." for the log directory itself).
public enum LogDirectory {
    public struct Run: Equatable, Sendable {
        public var directory: String
        public var name: String
        /// The run's event files (full paths), in name order: the order they are read and merged in.
        public var files: [String]
    }

    /// Whether a file name is an event file's (TensorBoard's test: the name contains "tfevents").
    public static func isEventFile(_ name: String) -> Bool { name.contains("tfevents") }

    /// The runs under `root`, sorted by name; symbolic links to directories are not followed.
    public static func runs(under root: String) -> [Run] {
        var out: [Run] = []
        visit(root, relative: ".", &out)
        return out.sorted { $0.name < $1.name }
    }

    private static func visit(_ dir: String, relative: String, _ out: inout [Run]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        var files: [String] = []
        for name in names.sorted() {
            let path = dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                visit(path, relative: relative == "." ? name : relative + "/" + name, &out)
            } else if (st.st_mode & S_IFMT) == S_IFREG && isEventFile(name) {
                files.append(path)
            }
        }
        if !files.isEmpty { out.append(Run(directory: dir, name: relative, files: files)) }
    }
}
