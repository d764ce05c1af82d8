import Phases
import RunFiles
import RunFormat

/// The line `train` ends with: how the run ended, where it is, and its two times with what they mean — the
/// window between them, or that there is none because memorization began first.
enum ClosingLine {
    static func text(end: EndRecord, path: String) -> String {
        let head = "run \(end.reason.rawValue) at step \(end.step): \(path)"
        guard let log = try? RunReader.read(path: path, malformed: .skip),
              let summary = CellSummary(records: [.header(log.header)] + log.records, name: path) else { return head }
        return head + (summary.windowDescription.map { " — " + $0 } ?? "")
    }
}
