import Foundation
import RunFormat

/// Where genwindow keeps what it adds to a run it did not write (the measurements on its samples, the events
/// they move, the user's marks): a genwindow run file beside the run, never inside the user's logs.
public enum RecordFile {
    /// `RUN.genwindow.jsonl`, where RUN is the run's directory (a TensorBoard run: the file sits beside that
    /// directory, in its parent) or the run's file without a `.csv`, `.jsonl`, `.json`, `.txt` or `.log`
    /// extension. Relative paths and `.` are made absolute first, so the name always has a stem.
    public static func path(for run: RunKey) -> String {
        var base = URL(fileURLWithPath: run.path).standardizedFileURL.path
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory)
        if !(exists && isDirectory.boolValue) {
            let ext = (base as NSString).pathExtension.lowercased()
            if ["csv", "jsonl", "json", "txt", "log"].contains(ext) { base = (base as NSString).deletingPathExtension }
        }
        return base + suffix
    }

    /// The suffix of every record file.
    public static let suffix = ".genwindow.jsonl"
}
