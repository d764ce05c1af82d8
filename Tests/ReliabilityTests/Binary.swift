import Foundation
import RunFiles
import RunFormat

/// A fresh temporary folder.
func temporaryFolder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "genwindow-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A record with what varies between identical runs removed: wall-clock times and the creation date.
func comparable(_ record: RunRecord) -> RunRecord {
    switch record {
    case .metrics(var m):
        m.timeSeconds = 0
        return .metrics(m)
    case .end(let e):
        return .end(EndRecord(step: e.step, reason: e.reason))
    default:
        return record
    }
}
