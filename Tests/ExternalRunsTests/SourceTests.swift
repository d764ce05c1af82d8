@testable import ExternalRuns
import Foundation
import RunFormat
import Testing

@Suite("Live sources")
struct SourceTests {
    @Test("an event file growing in small appends: whole records only, each scalar once, problems reported once")
    func growingEventFile() throws {
        let dir = temporaryFolder()
        let file = dir + "/events.out.tfevents.1.host"
        var stream: [UInt8] = []
        for step in 0..<30 { stream += tfrecord(scalarEvent(step: step, tag: "loss", value: Float(step) / 4)) }
        var corrupt = tfrecord(scalarEvent(step: 30, tag: "loss", value: 99))
        corrupt[corrupt.count - 1] ^= 0xFF
        let corruptOffset = stream.count
        stream += corrupt + tfrecord(scalarEvent(step: 31, tag: "loss", value: 7.75))
        append([], to: file)
        let source = try ExternalSources.open(path: dir)
        #expect(source.isLive && source.pollInterval == ExternalSources.followInterval)
        var updates: [SourceUpdate] = source.poll()
        #expect(updates.map(\.change) == [.waiting("no scalars yet in \(dir)")])
        var i = 0
        while i < stream.count {
            let j = min(stream.count, i + 37)
            append(Array(stream[i..<j]), to: file)
            updates += source.poll()
            i = j
        }
        updates += source.poll()
        let records = metrics(updates)
        #expect(same(values(records, "train_loss"), (0..<30).map { ($0, Double($0) / 4) } + [(31, 7.75)]))
        let problems = updates.compactMap { if case .problem(let p) = $0.change { p } else { nil } }
        #expect(problems == ["\(file): byte \(corruptOffset): bad data CRC; record of \(corrupt.count - 16) bytes skipped"])
        #expect(updates.filter { if case .header = $0.change { true } else { false } }.count == 1)
        #expect(!updates.contains { $0.change == .restarted })
    }

    @Test("a second event file and a new run directory appear while watching; each directory is one run")
    func newFilesAndRuns() throws {
        let dir = temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        append(tfrecord(scalarEvent(step: 0, tag: "loss", value: 1)), to: dir + "/a/events.out.tfevents.1.h")
        let source = try ExternalSources.open(path: dir)
        var updates = source.poll()
        append(tfrecord(scalarEvent(step: 1, tag: "loss", value: 2)), to: dir + "/a/events.out.tfevents.2.h")
        try FileManager.default.createDirectory(atPath: dir + "/b/c", withIntermediateDirectories: true)
        append(tfrecord(scalarEvent(step: 5, tag: "val_loss", value: 3)), to: dir + "/b/c/events.out.tfevents.1.h")
        append(tfrecord(scalarEvent(step: 0, tag: "fid", value: 4)), to: dir + "/events.out.tfevents.9.h")
        updates += source.poll()
        let names = Set(updates.map(\.run.name))
        #expect(names == ["a", "b/c", "."])
        let a = metrics(updates.filter { $0.run.name == "a" })
        #expect(same(values(a, "train_loss"), [(0, 1), (1, 2)]))
        #expect(same(values(metrics(updates.filter { $0.run.name == "b/c" }), "test_loss"), [(5, 3)]))
        #expect(same(values(metrics(updates.filter { $0.run.name == "." }), "fid"), [(0, 4)]))
        #expect(updates.first { $0.run.name == "b/c" }?.run.path == dir + "/b/c")
    }

    @Test("purge_step while watching: the run restarts without the purged steps")
    func livePurge() throws {
        let dir = temporaryFolder()
        for step in 0..<10 { append(tfrecord(scalarEvent(step: step, tag: "loss", value: Float(step))), to: dir + "/events.out.tfevents.1.h") }
        let source = try ExternalSources.open(path: dir)
        let first = source.poll()
        #expect(values(metrics(first), "train_loss").count == 10)
        let second = dir + "/events.out.tfevents.2.h"
        append(tfrecord(startEvent(step: 5)), to: second)
        for step in 5..<8 { append(tfrecord(scalarEvent(step: step, tag: "loss", value: 100 + Float(step))), to: second) }
        let updates = source.poll()
        #expect(updates.first?.change == .restarted)
        #expect(same(values(metrics(updates), "train_loss"), (0..<5).map { ($0, Double($0)) } + (5..<8).map { ($0, 100 + Double($0)) }))
    }

    @Test("a CSV rewritten with a wider header but the same tag map, seen mid-rewrite: the new rows only, no restart")
    func widenedCSV() throws {
        let path = temporaryFolder() + "/metrics.csv"
        try "epoch,step,train_loss\r\n0,0,1.0\r\n0,1,0.5\r\n".write(toFile: path, atomically: false, encoding: .utf8)
        let source = try CSVSource(path: path, live: true)
        var updates = source.poll()
        let h = try #require(FileHandle(forWritingAtPath: path))
        h.truncateFile(atOffset: 0)
        h.write(Data("epoch,lr,step,train_loss\r\n0,,0,1.0\r\n0,,1,".utf8))
        updates += source.poll()
        h.write(Data("0.5\r\n0,0.1,2,".utf8))
        updates += source.poll()
        h.write(Data("0.25\r\n".utf8))
        h.closeFile()
        updates += source.poll()
        #expect(!updates.contains { $0.change == .restarted })
        #expect(same(values(metrics(updates), "train_loss"), [(0, 1), (1, 0.5), (2, 0.25)]))
        #expect(same(values(metrics(updates), "lr"), [(2, 0.1)]))
    }

    @Test("a Lightning CSV rewritten with a wider header that feeds a new series: one restart, no value twice after it")
    func rewrittenCSV() throws {
        let path = temporaryFolder() + "/metrics.csv"
        try FileManager.default.copyItem(atPath: fixtures + "/lightning/metrics_narrow.csv", toPath: path)
        let source = try ExternalSources.open(path: path)
        var updates = source.poll()
        #expect(values(metrics(updates), "train_loss").count == 5)
        // Rewritten in place, as Lightning does (same file, truncated and written again).
        let wide = fileBytes(fixtures + "/lightning/metrics.csv")
        let h = try #require(FileHandle(forWritingAtPath: path))
        h.truncateFile(atOffset: 0)
        h.write(Data(wide[0..<60]))
        updates += source.poll()
        h.write(Data(wide[60...]))
        h.closeFile()
        updates += source.poll()
        // val_loss now feeds test_loss: the run restarts once with the new header, then every value once.
        #expect(updates.filter { $0.change == .restarted }.count == 1)
        let want = series(expected["csv"]!.object!["metrics.csv"]!.object!)
        let records = metrics(afterLastRestart(updates))
        #expect(same(values(records, "train_loss").sorted { $0.step < $1.step }, want["train_loss"]!))
        #expect(same(values(records, "test_loss"), want["val_loss"]!))
        #expect(values(records, "epoch").count == want["epoch"]!.count)
    }

    @Test("a CSV replaced by different rows restarts the run")
    func replacedCSV() throws {
        let path = temporaryFolder() + "/metrics.csv"
        try "step,loss\n0,1\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let source = try CSVSource(path: path, live: true)
        _ = source.poll()
        try "step,loss\n0,5\n".write(toFile: path, atomically: true, encoding: .utf8)
        let updates = source.poll()
        #expect(updates.first?.change == .restarted)
        #expect(same(values(metrics(updates), "train_loss"), [(0, 5)]))
    }

    @Test("JSON lines followed as they grow; a partial line waits; bad lines reported with their number")
    func jsonLines() throws {
        let path = temporaryFolder() + "/log.jsonl"
        append(Array("{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"lo".utf8), to: path)
        let source = try ExternalSources.open(path: path)
        var updates = source.poll()
        append(Array("ss\": 0.25, \"val_loss\": null}\nnot json\n".utf8), to: path)
        updates += source.poll()
        // val_loss feeds test_loss from the second poll on: the run restarts with the new header.
        let records = metrics(afterLastRestart(updates))
        #expect(records.map(\.step) == [1, 2])
        #expect(records[1]["train_loss"] == 0.25 && records[1].values.contains { $0.name == "test_loss" && $0.value == nil })
        let problems = updates.compactMap { if case .problem(let p) = $0.change { p } else { nil } }
        #expect(problems.count == 1 && problems[0].hasPrefix("\(path): line 3: invalid JSON"))
    }

    @Test("the factory's one-line errors: empty log directory, unknown format, unknown --map tag, genwindow run")
    func factoryErrors() throws {
        let empty = temporaryFolder()
        #expect(throws: ExternalRunError("\(empty): no TensorBoard event files (events.out.tfevents.*) in this directory or below")) {
            try ExternalSources.open(path: empty)
        }
        #expect(throws: ExternalRunError("--map: no tag 'ema' for train_loss; the run's scalar tags: lr, train/loss, val/loss")) {
            try ExternalSources.open(path: fixtures + "/torch_simple", map: "train_loss=ema")
        }
        let run = empty + "/run.jsonl"
        try #"{"type":"header","format":"genwindow-run","version":1,"created":"","model":"rf","config":{}}"#.write(toFile: run, atomically: true, encoding: .utf8)
        do {
            _ = try ExternalSources.open(path: run)
            Issue.record("a genwindow run was opened as an external run")
        } catch let e as ExternalRunError {
            #expect(e.genwindowRun == run)
        }
        let mapped = try ExternalSources.open(path: fixtures + "/torch_simple", map: "train_loss=lr", live: false)
        let header = mapped.poll().compactMap { if case .header(let h) = $0.change { h } else { nil } }.first
        #expect(header?.config["map"] == .object(["train_loss": "lr", "test_loss": "val/loss"]))
    }

    @Test("replaying a damaged file: an invalid event and a truncated tail are reported once each, the rest read")
    func damagedReplay() throws {
        let dir = temporaryFolder()
        let file = dir + "/events.out.tfevents.1.h"
        let good = tfrecord(scalarEvent(step: 0, tag: "loss", value: 1))
        let invalid = tfrecord([0x2A, 0x7F, 0x01])
        let tail = Array(tfrecord(scalarEvent(step: 2, tag: "loss", value: 3)).prefix(20))
        append(good + invalid + tfrecord(scalarEvent(step: 1, tag: "loss", value: 2)) + tail, to: file)
        let source = try ExternalSources.open(path: dir, format: .tfevents, live: false)
        let updates = source.poll()
        let problems = updates.compactMap { if case .problem(let p) = $0.change { p } else { nil } }
        #expect(problems == ["\(file): the last 20 bytes are not a whole record (truncated)",
                             "\(file): byte \(good.count): not a valid event record; skipped"])
        #expect(same(values(metrics(updates), "train_loss"), [(0, 1), (1, 2)]))
        #expect(source.poll().isEmpty)
    }

    @Test("a forced format reads a file whose first line alone is not recognised")
    func forcedFormat() throws {
        let path = temporaryFolder() + "/log.txt"
        try "{\"lr\": 0.1}\n{\"step\": 5, \"loss\": 0.5}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ExternalRunError.self) { try ExternalSources.open(path: path) }
        let source = try ExternalSources.open(path: path, format: .jsonl, live: false)
        let updates = source.poll()
        #expect(same(values(metrics(updates), "train_loss"), [(5, 0.5)]))
        #expect(updates.contains { $0.change == .problem("\(path): line 1: no integer \"step\"") })
    }

    @Test("fixtures with bytes flipped at random never crash a source; what survives the CRCs is still read")
    func corruptedFixtures() throws {
        var x: UInt64 = 0x2545_F491_4F6C_DD1D
        for name in FixtureTests.tensorBoardFixtures {
            let dir = fixtures + "/" + name
            for file in try FileManager.default.contentsOfDirectory(atPath: dir) where LogDirectory.isEventFile(file) {
                let original = fileBytes(dir + "/" + file)
                let reference = try TensorBoardSource(path: dir + "/" + file, live: false)
                _ = reference.poll()
                let referenceLog = try #require(reference.logs.values.first)
                let rows = Set((0..<referenceLog.count).map {
                    "\(referenceLog.tags.names[Int(referenceLog.tagIDs[$0])]) \(referenceLog.steps[$0]) \(referenceLog.values[$0])"
                })
                for _ in 0..<20 {
                    var bytes = original
                    for _ in 0..<3 {
                        x ^= x << 13; x ^= x >> 7; x ^= x << 17
                        bytes[Int(x % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: x >> 32) | 1
                    }
                    let copy = temporaryFolder("corrupt") + "/" + file
                    append(bytes, to: copy)
                    let source = try TensorBoardSource(path: copy, live: false)
                    #expect(source.poll().last?.change == .finished)
                    let log = source.logs.values.first ?? ScalarLog()
                    for k in 0..<log.count {
                        #expect(rows.contains("\(log.tags.names[Int(log.tagIDs[k])]) \(log.steps[k]) \(log.values[k])"))
                    }
                    try? FileManager.default.removeItem(atPath: (copy as NSString).deletingLastPathComponent)
                }
            }
        }
    }
}
