import Foundation

/// Output files of every command (`--out`, `--csv`, `--png`): their missing parent folders are created first, so
/// `--out runs/new/run.jsonl` works on a fresh clone.
enum OutputPath {
    /// Creates the folders above `path`; a failure is a one-line error naming the folder.
    static func createParents(of path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw RuntimeError("\(parent): not a folder, so \(path) cannot be written")
        }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw RuntimeError("\(parent): cannot create the folder for \(path)")
        }
    }
}
