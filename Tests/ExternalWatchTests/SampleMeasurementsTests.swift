import ExternalRuns
@testable import ExternalWatch
import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing

/// Measures a dump as its mean value, recording which steps it saw and what it was restored from.
final class MeanMeasurer: DumpMeasuring, @unchecked Sendable {
    private let lock = NSLock()
    private var _steps: [Int] = []
    private var _restored: [RunRecord] = []
    var steps: [Int] { lock.withLock { _steps } }
    var restored: [RunRecord] { lock.withLock { _restored } }

    func measure(_ dump: NpyArray, step: Int, name: String?) throws -> [RunRecord] {
        guard case .float32(let v) = dump.values else { throw ExternalRunError("\(name ?? "?"): not float32") }
        lock.withLock { _steps.append(step) }
        var m = MetricsRecord(step: step, timeSeconds: 0, values: [("mem_frac", Double(v.reduce(0, +)) / Double(v.count))])
        m.extra = ["samples": .number(Double(dump.shape[0]))]
        return [.metrics(m)]
    }

    func measure(image: ImageEntry) throws -> [RunRecord] {
        lock.withLock { _steps.append(image.step) }
        var m = MetricsRecord(step: image.step, timeSeconds: 0, values: [("mem_frac", 1)])
        m.extra = ["samples": 1]
        return [.metrics(m)]
    }

    func restore(_ records: [RunRecord]) { lock.withLock { _restored = records } }

    func finish() -> [RunRecord] { [.event(EventRecord(kind: "early_stop", step: steps.max() ?? 0))] }
}

/// Polls `source` until `done` holds of everything it said (at most 10 s).
func poll(_ source: RecordingSource, until done: ([SourceUpdate]) -> Bool) -> [SourceUpdate] {
    var all: [SourceUpdate] = []
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        all += source.poll()
        if done(all) { break }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return all
}

@Suite("Samples measured off the polling thread")
struct SampleMeasurementsTests {
    @Test("dumps are measured as they land, a half-written one once it is whole, each once")
    func dumpsMeasuredLive() throws {
        let dir = temporaryFolder()
        let dumps = dir + "/samples"
        try FileManager.default.createDirectory(atPath: dumps, withIntermediateDirectories: true)
        write("step,loss\n0,1.0\n100,0.5\n200,0.25\n", to: dir + "/metrics.csv")
        try NpyArray(shape: [2, 2], values: .float32([0, 0, 1, 1])).write(path: dumps + "/step_100.npy")
        let whole = NpyArray(shape: [1, 2], values: .float32([1, 1])).encode()
        _ = FileManager.default.createFile(atPath: dumps + "/step_200.npy", contents: Data(whole.prefix(whole.count - 3)))
        let measurer = MeanMeasurer()
        let measurements = SampleMeasurements(dumps: dumps, imageTag: nil) { _ in measurer }
        let source = RecordingSource(try ExternalSources.open(path: dir + "/metrics.csv", live: true), measurements: measurements)
        #expect(source.pollInterval == ExternalSources.followInterval)
        var shown = poll(source) { metrics($0).contains { $0.step == 100 && $0["mem_frac"] == 0.5 } }
        _ = FileManager.default.createFile(atPath: dumps + "/step_200.npy", contents: Data(whole))
        shown += poll(source) { metrics($0).contains { $0.step == 200 && $0["mem_frac"] == 1 } }
        Thread.sleep(forTimeInterval: 0.6)
        shown += source.poll()
        measurements.stop()
        #expect(measurer.steps == [100, 200])
        #expect(metrics(shown).filter { $0["mem_frac"] != nil }.map(\.step) == [100, 200])
        #expect(!shown.contains { $0.change == .finished })
        let log = try RunReader.read(path: dir + "/metrics.genwindow.jsonl")
        #expect(log.records.filter { if case .metrics(let m) = $0 { m["mem_frac"] != nil } else { false } }.count == 2)
    }

    @Test("read once, the run finishes after its last dump is measured, with the final events")
    func replayFinishesAfterMeasuring() throws {
        let dir = temporaryFolder()
        for step in [10, 20, 30] {
            try NpyArray(shape: [1, 2], values: .float32([Float(step), 0])).write(path: dir + "/s\(step).npy")
        }
        write("step,loss\n0,1.0\n30,0.5\n", to: dir + "/metrics.csv")
        let measurer = MeanMeasurer()
        let measurements = SampleMeasurements(dumps: dir, imageTag: nil) { _ in measurer }
        let shown = poll(RecordingSource(try ExternalSources.open(path: dir + "/metrics.csv", live: false), measurements: measurements)) {
            $0.contains { $0.change == .finished }
        }
        measurements.stop()
        #expect(metrics(shown).filter { $0["mem_frac"] != nil }.map(\.step) == [10, 20, 30])
        let finishedAt = shown.firstIndex { $0.change == .finished }!
        #expect(finishedAt == shown.count - 1)
        #expect(records(shown).last == .event(EventRecord(kind: "early_stop", step: 30)))
    }

    @Test("a second session restores the measurements and does not measure those dumps again")
    func secondSessionSkipsMeasured() throws {
        let dir = temporaryFolder()
        let dumps = dir + "/samples"
        try FileManager.default.createDirectory(atPath: dumps, withIntermediateDirectories: true)
        write("step,loss\n0,1.0\n100,0.5\n", to: dir + "/metrics.csv")
        try NpyArray(shape: [1, 2], values: .float32([1, 1])).write(path: dumps + "/samples-100.npy")
        let first = MeanMeasurer()
        let one = SampleMeasurements(dumps: dumps, imageTag: nil) { _ in first }
        _ = poll(RecordingSource(try ExternalSources.open(path: dir + "/metrics.csv", live: false), measurements: one)) {
            $0.contains { $0.change == .finished }
        }
        one.stop()
        try NpyArray(shape: [1, 2], values: .float32([0, 0])).write(path: dumps + "/samples-300.npy")
        let second = MeanMeasurer()
        let two = SampleMeasurements(dumps: dumps, imageTag: nil) { _ in second }
        let shown = poll(RecordingSource(try ExternalSources.open(path: dir + "/metrics.csv", live: false), measurements: two)) {
            $0.contains { $0.change == .finished }
        }
        two.stop()
        #expect(second.steps == [300])
        #expect(second.restored.contains { $0.step == 100 })
        #expect(metrics(shown).filter { $0["mem_frac"] != nil }.map(\.step) == [100, 300])
    }

    @Test("a measurer that cannot be made is one problem on the run; the run still shows and finishes")
    func measurerFails() throws {
        let dir = temporaryFolder()
        write("step,loss\n0,1.0\n", to: dir + "/metrics.csv")
        let measurements = SampleMeasurements(dumps: dir, imageTag: nil) { _ in throw ExternalRunError("train.npy: no such file") }
        let shown = poll(RecordingSource(try ExternalSources.open(path: dir + "/metrics.csv", live: false), measurements: measurements)) {
            $0.contains { $0.change == .finished }
        }
        measurements.stop()
        #expect(shown.filter { $0.change == .problem("train.npy: no such file") }.count == 1)
        #expect(metrics(shown).count == 1)
    }
}
