import ExternalRuns
@testable import ExternalWatch
import Foundation
import RunFiles
import RunFormat
import Testing

/// A fresh temporary folder per test.
func temporaryFolder(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-watch-\(safe)-\(UUID().uuidString.prefix(8))").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}

func appendText(_ text: String, to path: String) {
    let h = FileHandle(forWritingAtPath: path)!
    h.seekToEndOfFile()
    h.write(Data(text.utf8))
    h.closeFile()
}

/// The metrics records among `updates`.
func metrics(_ updates: [SourceUpdate]) -> [MetricsRecord] {
    updates.flatMap { u -> [MetricsRecord] in
        guard case .records(let rs) = u.change else { return [] }
        return rs.compactMap { if case .metrics(let m) = $0 { m } else { nil } }
    }
}

/// Every record among `updates`.
func records(_ updates: [SourceUpdate]) -> [RunRecord] {
    updates.flatMap { u -> [RunRecord] in if case .records(let rs) = u.change { rs } else { [] } }
}

@Suite("Record files of external runs")
struct RecordingSourceTests {
    @Test("the record file sits beside the run: a directory's in its parent, a file's without its extension")
    func recordFileNames() throws {
        let dir = temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/logs/run1", withIntermediateDirectories: true)
        #expect(RecordFile.path(for: RunKey(path: dir + "/logs/run1/", name: "run1")) == dir + "/logs/run1.genwindow.jsonl")
        #expect(RecordFile.path(for: RunKey(path: dir + "/v0/metrics.csv", name: "metrics.csv")) == dir + "/v0/metrics.genwindow.jsonl")
        #expect(RecordFile.path(for: RunKey(path: dir + "/events.out.tfevents.1.h", name: "e")) == dir + "/events.out.tfevents.1.h.genwindow.jsonl")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(RecordFile.path(for: RunKey(path: ".", name: ".")) == cwd + ".genwindow.jsonl")
    }

    @Test("a followed CSV is recorded as it arrives; the record file replays to what the dashboard was shown")
    func recordsAsItArrives() throws {
        let dir = temporaryFolder()
        let csv = dir + "/metrics.csv"
        write("step,train_loss\n0,1.0\n1,0.5\n", to: csv)
        let source = RecordingSource(try ExternalSources.open(path: csv, format: .csv, live: true))
        var shown = source.poll()
        appendText("2,0.25\n", to: csv)
        shown += source.poll()
        let file = dir + "/metrics.genwindow.jsonl"
        #expect(source.recordFiles.values.first == file)
        let log = try RunReader.read(path: file)
        #expect(log.header.model == "external")
        #expect(shown.contains { if case .header(let h) = $0.change { h == log.header } else { false } })
        #expect(log.records == records(shown))
        #expect(metrics(shown).map(\.step) == [0, 1, 2])
        #expect(source.markFile(for: shown[0].run) == file)
    }

    @Test("a second session continues the record file: its records and marks first, nothing copied twice")
    func continues() throws {
        let dir = temporaryFolder()
        let csv = dir + "/metrics.csv"
        write("step,loss\n0,1.0\n1,0.5\n", to: csv)
        let first = RecordingSource(try ExternalSources.open(path: csv, live: true))
        let run = first.poll()[0].run
        let file = first.markFile(for: run)!
        let writer = try RunWriter(appendingTo: file)
        try writer.append(.mark(MarkRecord(step: 1, label: "stop here")))
        try writer.close()
        appendText("2,0.25\n", to: csv)

        let second = RecordingSource(try ExternalSources.open(path: csv, live: true))
        let shown = second.poll()
        #expect(records(shown).contains(.mark(MarkRecord(step: 1, label: "stop here"))))
        #expect(metrics(shown).map(\.step) == [0, 1, 2])
        let log = try RunReader.read(path: file)
        #expect(log.records.filter { if case .metrics = $0 { true } else { false } }.count == 3)
        #expect(log.records.contains(.mark(MarkRecord(step: 1, label: "stop here"))))
    }

    @Test("a source that restarts rewrites the record file, keeping the marks")
    func restartKeepsMarks() throws {
        let dir = temporaryFolder()
        let csv = dir + "/metrics.csv"
        write("step,loss\n0,1.0\n1,0.5\n", to: csv)
        let source = RecordingSource(try ExternalSources.open(path: csv, live: true))
        let run = source.poll()[0].run
        let file = source.markFile(for: run)!
        let writer = try RunWriter(appendingTo: file)
        try writer.append(.mark(MarkRecord(step: 1, label: "m")))
        try writer.close()
        write("step,loss\n0,9.0\n", to: csv)  // rewritten with other values: the run starts over
        let shown = source.poll()
        #expect(shown.contains { $0.change == .restarted })
        let log = try RunReader.read(path: file)
        #expect(log.records.contains(.mark(MarkRecord(step: 1, label: "m"))))
        let steps = log.records.compactMap { r -> Double? in if case .metrics(let m) = r { m["train_loss"] } else { nil } }
        #expect(steps == [9.0])
    }

    @Test("a record file of another run is left alone: a problem, and marks are not saved")
    func foreignRecordFile() throws {
        let dir = temporaryFolder()
        let csv = dir + "/metrics.csv"
        write("step,loss\n0,1.0\n", to: csv)
        let other = try RunWriter(creating: dir + "/metrics.genwindow.jsonl",
                                  header: RunHeader(created: "", model: "ddpm", config: [:]))
        try other.close()
        let source = RecordingSource(try ExternalSources.open(path: csv, live: true))
        let shown = source.poll()
        #expect(shown.contains { if case .problem(let p) = $0.change { p.contains("records another run") } else { false } })
        #expect(source.markFile(for: shown[0].run) == nil)
        #expect(metrics(shown).count == 1)
        #expect(try RunReader.read(path: dir + "/metrics.genwindow.jsonl").header.model == "ddpm")
    }

    @Test("--record names the first run's file")
    func explicitRecord() throws {
        let dir = temporaryFolder()
        let csv = dir + "/metrics.csv"
        write("step,loss\n0,1.0\n", to: csv)
        let source = RecordingSource(try ExternalSources.open(path: csv, live: false), record: dir + "/mine.jsonl")
        let shown = source.poll()
        #expect(shown.last?.change == .finished)
        #expect(try RunReader.read(path: dir + "/mine.jsonl").records.count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir + "/metrics.genwindow.jsonl"))
    }
}
