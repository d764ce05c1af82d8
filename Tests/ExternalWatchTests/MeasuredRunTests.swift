import ExternalRuns
import ExternalWatch
import Foundation
import NumericCore
import RunFiles
import RunFormat
import RunMeasurement
import Testing

/// The ExternalRuns fixtures (written by scripts/make-source-fixtures.py).
let sourceFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("ExternalRunsTests/Fixtures").path

@Suite("External runs measured end to end")
struct MeasuredRunTests {
    @Test("add_images grids of the training images: memorized at every step, previews, tau_mem, all in the record file")
    func imageSummaries() throws {
        let dir = temporaryFolder()
        try FileManager.default.copyItem(atPath: sourceFixtures + "/images", toPath: dir + "/run")
        let training = try TrainingRows.load(sourceFixtures + "/images_batch.npy", n: nil, seed: 0)
        let measurements = SampleMeasurements(dumps: nil, imageTag: "test_samples") { _ in
            try DumpMeasurer(training: training, reference: nil)
        }
        let probe = try DumpMeasurer(training: training, reference: nil)
        let source = RecordingSource(try ExternalSources.open(path: dir + "/run", live: false), measurements: measurements,
                                     headerFields: probe.headerFields)
        let shown = poll(source) { $0.contains { $0.change == .finished } }
        measurements.stop()
        let measured = metrics(shown).filter { $0["mem_frac"] != nil }
        #expect(measured.map(\.step) == [100, 200])
        #expect(measured.allSatisfy { $0["mem_frac"] == 1 && $0.extra["samples"] == 10 })
        #expect(measured.map(\.timeSeconds) == [0, 100], "the time of the source's scalar at that step (wall times 100 s apart)")
        let all = records(shown)
        #expect(all.filter { if case .other(type: "samples", _) = $0 { true } else { false } }.count == 2)
        #expect(all.contains { if case .event(let e) = $0 { e.kind == "tau_mem" && e.step == 100 } else { false } })
        let log = try RunReader.read(path: dir + "/run.genwindow.jsonl")
        #expect(log.header.config["mem_k"]?.double == 1.0 / 3 && log.header.config["format"]?.string == "tfevents")
        #expect(log.records.map(RunCodec.encode) == all.map(RunCodec.encode))
    }

    @Test("a dump whose shape does not fit the training images is one problem naming both shapes; the others are measured")
    func shapeMismatch() throws {
        let dir = temporaryFolder()
        write("step,loss\n0,1\n", to: dir + "/metrics.csv")
        try FileManager.default.createDirectory(atPath: dir + "/dumps", withIntermediateDirectories: true)
        try NpyArray(shape: [2, 5, 5], values: .uint8(Array(repeating: 7, count: 50))).write(path: dir + "/dumps/step_10.npy")
        let batch = try NpyArray.read(path: sourceFixtures + "/images_batch.npy")
        try batch.write(path: dir + "/dumps/step_20.npy")
        let training = try TrainingRows.load(sourceFixtures + "/images_batch.npy", n: nil, seed: 0)
        let measurements = SampleMeasurements(dumps: dir + "/dumps", imageTag: nil) { _ in
            try DumpMeasurer(training: training, reference: nil)
        }
        let shown = poll(RecordingSource(try ExternalSources.open(path: dir + "/metrics.csv", live: false),
                                         measurements: measurements)) { $0.contains { $0.change == .finished } }
        measurements.stop()
        let problems = shown.compactMap { if case .problem(let p) = $0.change { p } else { nil } }
        #expect(problems.count == 1)
        #expect(problems.first?.contains("step_10.npy") == true && problems.first?.contains("(2, 5, 5)") == true
                && problems.first?.contains("3") == true, "\(problems)")
        #expect(metrics(shown).filter { $0["mem_frac"] != nil }.map(\.step) == [20])
    }
}
