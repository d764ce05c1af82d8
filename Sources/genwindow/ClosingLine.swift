import Phases
import RunFiles
import RunFormat

/// The line `train` ends with: how the run ended (an early stop: by which rule, and the step restored), where it
/// is, and its two times with what they mean — the window between them, or that there is none because
/// memorization began first.
enum ClosingLine {
    static func text(end: EndRecord, path: String) -> String {
        var head = "run \(end.reason.rawValue) at step \(end.step): \(path)"
        if end.reason == .earlyStop {
            let rule = end.extra["stop_when"]?.string ?? "?"
            let restored = end.extra["restored_step"]?.int.map { ", checkpoint of step \($0) restored" } ?? ""
            head = "run stopped early at step \(end.step) by --stop-when \(rule)\(restored): \(path)"
        }
        guard let log = try? RunReader.read(path: path, malformed: .skip),
              let summary = CellSummary(records: [.header(log.header)] + log.records, name: path) else { return head }
        return head + (summary.windowDescription.map { " — " + $0 } ?? "")
    }
}
