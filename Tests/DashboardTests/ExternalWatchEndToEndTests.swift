import Benchmarks
import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing

/// `genwindow watch LOGDIR --samples DIR --train X.npy` on a TensorBoard log directory this test keeps writing
/// (as a training script would): the step advances as events are flushed, and f_mem appears when the first
/// sample dump lands. What genwindow measured and the mark set go to the record file beside the run.
@Suite(.serialized)
struct ExternalWatchEndToEndTests {
    static func append(steps: ClosedRange<Int>, to path: String) throws {
        var bytes: [UInt8] = []
        for step in steps {
            bytes += ExternalRunsBenchmarks.scalarRecord(step: step, wallTime: 1.7e9 + Double(step), tag: "train/loss",
                                                         value: 1 / Float(step + 1))
        }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(bytes))
        try handle.close()
    }

    @Test func followsALogDirectoryAndMeasuresItsDumps() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        let run = e.directory + "/logs/ddpm"
        let dumps = e.directory + "/dumps"
        for dir in [run, dumps] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        var rng = Xoshiro256(seed: 1)
        let train = NpyArray(shape: [16, 6, 6], values: .uint8((0..<576).map { _ in UInt8(rng.nextUniform() * 256) }))
        try train.write(path: e.directory + "/train.npy")
        let events = run + "/events.out.tfevents.1700000000.host.1.0"
        try Self.append(steps: 0...10, to: events)
        try e.start("watch \(e.directory)/logs --samples \(dumps) --train \(e.directory)/train.npy")
        _ = try e.waitForScreen { $0.contains("step 10 ") && $0.contains("WATCH") }
        try Self.append(steps: 11...500, to: events)
        var screen = try e.waitForScreen { $0.contains("step 500 ") }
        #expect(!screen.contains("memorized ("), "no samples yet: \(screen)")
        // The first dump lands: copies of the training images, so every previewed sample is memorized.
        try train.write(path: dumps + "/samples_step_500.npy")
        screen = try e.waitForScreen { $0.contains("8/8 memorized") }
        e.keys("m")
        let record = e.directory + "/logs/ddpm.genwindow.jsonl"
        var log = try RunReader.read(path: record)
        for _ in 0..<50 where !log.records.contains(where: { if case .mark = $0 { true } else { false } }) {
            usleep(100_000)
            log = try RunReader.read(path: record)
        }
        #expect(log.records.contains { if case .metrics(let m) = $0 { m["mem_frac"] == 1 && m.step == 500 } else { false } })
        #expect(log.records.contains { if case .mark(let m) = $0 { m.step == 500 } else { false } }, "\(log.records.count) records")
        e.keys("q")
        #expect(try e.exitStatus() == 0)
        #expect(log.header.config["source"]?.string?.hasSuffix("/logs") == true)
    }
}
