import Foundation
import RunFiles
import RunFormat
import Testing

/// A fresh temporary folder per test.
func temporaryFolder(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(safe)-\(UUID().uuidString.prefix(8))").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let sampleHeader = RunHeader(created: "2026-11-23T00:00:00Z", model: "rf", config: ["seed": 1, "n": 100])

func metrics(_ step: Int, _ loss: Double = 1) -> RunRecord {
    .metrics(MetricsRecord(step: step, timeSeconds: Double(step) / 10, values: [("train_loss", loss)]))
}

func fileLines(_ path: String) -> [String] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    var now = 0.0
}

@Suite("Run writer")
struct RunWriterTests {
    @Test("writes the header at once, buffers metrics for at most the flush interval, writes marks at once")
    func flushing() throws {
        let path = temporaryFolder() + "/run.jsonl"
        let clock = ManualClock()
        let writer = try RunWriter(creating: path, header: sampleHeader, flushInterval: 1.0, clock: { clock.now })
        #expect(fileLines(path).count == 2)  // header + trailing empty
        try writer.append(metrics(1))
        clock.now = 0.5
        try writer.append(metrics(2))
        try writer.flushIfDue()
        #expect(fileLines(path).count == 2, "metrics younger than 1 s stay buffered")
        clock.now = 1.0
        try writer.flushIfDue()
        #expect(fileLines(path).count == 4)
        try writer.append(metrics(3))
        try writer.append(.mark(MarkRecord(step: 3, label: "m")))
        #expect(fileLines(path).count == 6, "a mark flushes everything before it")
        clock.now = 5
        try writer.append(metrics(4))
        #expect(fileLines(path).count == 6, "the buffer's age counts from its oldest record")
        clock.now = 6
        try writer.append(metrics(5))
        #expect(fileLines(path).count == 8, "an append once the oldest has waited 1 s flushes")
        try writer.close()
        #expect(throws: RunFileError.self) { try writer.append(metrics(5)) }
    }

    @Test("refuses to overwrite an existing run unless told to, and refuses directories")
    func overwrite() throws {
        let folder = temporaryFolder()
        let path = folder + "/run.jsonl"
        try RunWriter(creating: path, header: sampleHeader).close()
        #expect(throws: RunFileError(path: path, message: "already exists (choose another --out, or pass --force to overwrite)")) {
            try RunWriter(creating: path, header: sampleHeader)
        }
        try RunWriter(creating: path, header: sampleHeader, overwrite: true).close()
        #expect(throws: RunFileError(path: folder, message: "is a directory")) {
            try RunWriter(creating: folder, header: sampleHeader)
        }
        #expect(throws: RunFileError.self) { try RunWriter(creating: "/nonexistent-dir/run.jsonl", header: sampleHeader) }
    }

    @Test("appending after a crash first terminates a partial last line")
    func appendAfterCrash() throws {
        let path = temporaryFolder() + "/run.jsonl"
        try RunWriter(creating: path, header: sampleHeader).close()
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data(#"{"type":"metrics","st"#.utf8))
        handle.closeFile()
        let writer = try RunWriter(appendingTo: path)
        try writer.append(.mark(MarkRecord(step: 1, label: "after")))
        try writer.close()
        let log = try RunReader.read(path: path, malformed: .skip)
        #expect(log.records == [.mark(MarkRecord(step: 1, label: "after"))])
        #expect(log.problems.count == 1 && log.problems[0].line == 2)
    }
}

@Suite("Run reader")
struct RunReaderTests {
    func write(_ text: String) -> String {
        let path = temporaryFolder() + "/run.jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test("reads what the writer wrote, in order, with the end record")
    func readBack() throws {
        let path = temporaryFolder() + "/run.jsonl"
        let writer = try RunWriter(creating: path, header: sampleHeader)
        let records = (0..<100).map { metrics($0, Double($0)) } + [.end(EndRecord(step: 99, reason: .completed))]
        for r in records { try writer.append(r) }
        try writer.close()
        let log = try RunReader.read(path: path)
        #expect(log.header == sampleHeader)
        #expect(log.records == records)
        #expect(log.end?.reason == .completed)
        #expect(!log.hasPartialLastLine && log.problems.isEmpty)
    }

    @Test("a truncated last line is ignored, not an error")
    func truncatedLastLine() throws {
        let header = RunCodec.encode(.header(sampleHeader))
        let path = write(header + "\n" + RunCodec.encode(metrics(1)) + "\n" + #"{"type":"metrics","step":2,"ti"#)
        let log = try RunReader.read(path: path)
        #expect(log.records == [metrics(1)])
        #expect(log.hasPartialLastLine)
    }

    @Test("a malformed middle line names file and line; skipping mode collects it")
    func malformedMiddle() throws {
        let header = RunCodec.encode(.header(sampleHeader))
        let path = write(header + "\n" + #"{"type":"metrics","step":"abc"}"# + "\n\n" + RunCodec.encode(metrics(3)) + "\n")
        #expect(throws: RunFileError(path: path, line: 2, message: #"expected a non-negative integer for "step", found "abc""#)) {
            try RunReader.read(path: path)
        }
        let log = try RunReader.read(path: path, malformed: .skip)
        #expect(log.records == [metrics(3)])
        #expect(log.problems.map(\.description) == [#"\#(path):2: expected a non-negative integer for "step", found "abc""#])
    }

    @Test("files that are not runs are refused clearly")
    func notRuns() throws {
        let empty = write("")
        #expect(throws: RunFileError(path: empty, line: 1, message: "empty run file (no header line)")) { try RunReader.read(path: empty) }
        let noHeader = write(RunCodec.encode(metrics(1)) + "\n")
        #expect(throws: RunFileError(path: noHeader, line: 1, message: "not a genwindow run file: the first line is not a header")) {
            try RunReader.read(path: noHeader)
        }
        let v2 = write(#"{"type":"header","format":"genwindow-run","version":2,"model":"rf","config":{}}"# + "\n")
        #expect(throws: RunFileError(path: v2, line: 1, message: "not a genwindow run file: run format version 2 is not supported (this genwindow reads version 1)")) {
            try RunReader.read(path: v2)
        }
        let csv = write("step,loss\n1,2\n")
        #expect(throws: RunFileError.self) { try RunReader.read(path: csv) }
        #expect(throws: RunFileError(path: "/nonexistent.jsonl", message: "cannot open: No such file or directory")) {
            try RunReader.read(path: "/nonexistent.jsonl")
        }
        let dir = temporaryFolder()
        #expect(throws: RunFileError(path: dir, message: "is a directory, not a run file")) { try RunReader.read(path: dir) }
    }

    @Test("a line over the length limit is skipped and reported without loading it whole")
    func hugeLine() throws {
        let header = RunCodec.encode(.header(sampleHeader))
        let huge = #"{"type":"metrics","step":1,"x":""# + String(repeating: "a", count: 9 << 20) + "\"}"
        let path = write(header + "\n" + huge + "\n" + RunCodec.encode(metrics(2)) + "\n")
        let log = try RunReader.read(path: path, malformed: .skip)
        #expect(log.records == [metrics(2)])
        #expect(log.problems.first?.line == 2)
        #expect(log.problems.first?.message.contains("longer than") == true)
    }

    @Test("thousands of lines decoded together keep their order, line numbers and policy")
    func largeBatches() throws {
        // Far more lines per chunk than one batch needs to be decoded on several threads, with bad lines and a second
        // header between them.
        let header = RunCodec.encode(.header(sampleHeader))
        var lines = [header]
        var expected: [RunRecord] = []
        var problemLines: [Int] = []
        for step in 0..<30_000 {
            switch step {
            case 777, 20_001:
                lines.append(#"{"type":"metrics","step":"abc"}"#)
                problemLines.append(lines.count)
            case 9_000:
                lines.append(header)
                problemLines.append(lines.count)
            default:
                let record = metrics(step, Double(step) / 7)
                lines.append(RunCodec.encode(record))
                expected.append(record)
            }
        }
        let path = write(lines.joined(separator: "\n") + "\n")
        let log = try RunReader.read(path: path, malformed: .skip)
        #expect(log.records == expected)
        #expect(log.problems.map(\.line) == problemLines)
        #expect(log.problems[1].message == "a second header line")
        #expect(throws: RunFileError(path: path, line: 779, message: #"expected a non-negative integer for "step", found "abc""#)) {
            try RunReader.read(path: path)
        }
    }

    @Test("chunk boundaries anywhere inside lines don't matter")
    func chunkBoundaries() throws {
        // Lines long enough that the 1 MiB read chunks end in the middle of several of them.
        let path = temporaryFolder() + "/run.jsonl"
        let writer = try RunWriter(creating: path, header: sampleHeader)
        let pad = String(repeating: "x", count: 70_001)
        let records: [RunRecord] = (0..<40).map { .event(EventRecord(kind: "note", step: $0, fields: ["text": .string(pad)])) }
        for r in records { try writer.append(r) }
        try writer.close()
        #expect(try RunReader.read(path: path).records == records)
    }
}

@Suite("Run follower")
struct RunFollowerTests {
    @Test("follows a file from before it exists, through appends, partial lines and truncation")
    func follow() throws {
        let path = temporaryFolder() + "/run.jsonl"
        let follower = RunFollower(path: path)
        #expect(try follower.poll() == [.waiting])

        let writer = try RunWriter(creating: path, header: sampleHeader, flushInterval: 0)
        #expect(try follower.poll() == [.header(sampleHeader)])
        #expect(try follower.poll().isEmpty)

        try writer.append(metrics(1))
        try writer.append(metrics(2))
        #expect(try follower.poll() == [.records([metrics(1), metrics(2)])])

        // Another process caught mid-write: only whole lines are delivered.
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        let line = RunCodec.encode(metrics(3))
        handle.write(Data(line.prefix(10).utf8))
        #expect(try follower.poll().isEmpty)
        handle.write(Data((line.dropFirst(10) + "\n").utf8))
        #expect(try follower.poll() == [.records([metrics(3)])])

        handle.write(Data("garbage\n".utf8))
        handle.closeFile()
        let updates = try follower.poll()
        #expect(updates.count == 1)
        if case .problem(let e) = updates.first { #expect(e.line == 5) } else { Issue.record("expected a problem, got \(updates)") }

        // Replaced by a new, shorter run.
        try RunWriter(creating: path, header: sampleHeader, overwrite: true).close()
        #expect(try follower.poll() == [.restarted, .header(sampleHeader)])
    }

    /// What `watch` sees of a `train` whose setup ends: the preliminary header, then the file replaced at once by
    /// one with the full header (`RunWriter(replacing:)`) and the records after it; no temporary file is left.
    @Test("follows a preliminary header replaced by the full one")
    func headerReplacedAfterTheSetup() throws {
        let folder = temporaryFolder()
        let path = folder + "/run.jsonl"
        let follower = RunFollower(path: path)
        let preliminary = RunHeader(created: "2026-12-04T00:00:00Z", model: "rf", config: ["n": 800, "setup": "in progress"])
        try RunWriter(creating: path, header: preliminary).close()
        #expect(try follower.poll() == [.header(preliminary)])
        let writer = try RunWriter(replacing: path, header: sampleHeader, flushInterval: 0)
        try writer.append(metrics(1))
        #expect(try follower.poll() == [.restarted, .header(sampleHeader), .records([metrics(1)])])
        try writer.close()
        #expect(try RunReader.read(path: path).header == sampleHeader)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["run.jsonl"])
    }

    @Test("a file that is not a run is an error")
    func notARun() throws {
        let path = temporaryFolder() + "/x.jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: Data("hello\n".utf8))
        #expect(throws: RunFileError.self) { try RunFollower(path: path).poll() }
    }
}
