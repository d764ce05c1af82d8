import Foundation
import NumericCore
import RunFiles
import RunFormat
import Testing

/// Generated hostile inputs for the run-file reader: every one must give a valid result or a clear error.
@Suite("Run-file reader under hostile input")
struct RunFileFuzzTests {
    static let validLines: [String] = [
        RunCodec.encode(.header(RunHeader(created: "2026-11-23T00:00:00Z", model: "rf", config: ["seed": 3, "label": "x"]))),
        RunCodec.encode(.metrics(MetricsRecord(step: 1, timeSeconds: 0.1, values: [("train_loss", 0.5), ("test_loss", 0.75)]))),
        RunCodec.encode(.mark(MarkRecord(step: 2, label: "stop"))),
        RunCodec.encode(.event(EventRecord(kind: "tau_gen", step: 3, fields: ["tau": 1.5]))),
        RunCodec.encode(.end(EndRecord(step: 4, reason: .completed))),
    ]

    static let fragments: [String] = [
        "\u{1B}]52;c;ZXZpbA==\u{07}", "\u{1B}[2J", "\u{9B}31m", "\\u001b[2J", "1e999999", "-1e-999999", "123456789012345678901234567890",
        String(repeating: "[", count: 500), String(repeating: "{\"a\":", count: 300), "\"step\":\"abc\"", "\"type\":null",
        "\u{0}", "\u{7F}", "\"\\ud800\"", "NaN", "Infinity", "{}", "[]", "\"type\":\"header\"", "\"version\":99",
    ]

    /// One mutated file image.
    static func mutate(_ rng: inout Xoshiro256) -> [UInt8] {
        var lines = validLines.map { Array($0.utf8) }
        if rng.nextInt(below: 10) == 0 { lines.removeFirst() }  // missing header
        for _ in 0..<(1 + rng.nextInt(below: 4)) {
            let i = rng.nextInt(below: lines.count)
            switch rng.nextInt(below: 7) {
            case 0:  // truncate a line
                lines[i] = Array(lines[i].prefix(rng.nextInt(below: lines[i].count + 1)))
            case 1:  // flip random bytes, including invalid UTF-8
                for _ in 0..<(1 + rng.nextInt(below: 4)) where !lines[i].isEmpty {
                    lines[i][rng.nextInt(below: lines[i].count)] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 2:  // splice a hostile fragment into the middle
                let at = rng.nextInt(below: lines[i].count + 1)
                lines[i].insert(contentsOf: Array(fragments[rng.nextInt(below: fragments.count)].utf8), at: at)
            case 3:  // a string value carrying terminal escapes
                lines.insert(Array(#"{"type":"mark","step":5,"label":"\u001b]52;c;evil\u0007\u001b[2J"}"#.utf8), at: i)
            case 4:  // wrong types
                lines.insert(Array(#"{"type":"metrics","step":[1],"train_loss":"x"}"#.utf8), at: i)
            case 5:  // an empty or whitespace line
                lines.insert(Array("   \t".utf8), at: i)
            default:  // duplicate a line
                lines.insert(lines[i], at: i)
            }
        }
        var bytes = lines.joined(separator: [0x0A]).map { $0 }
        if rng.nextInt(below: 2) == 0 { bytes.append(0x0A) }
        return bytes
    }

    @Test("3,000 mutated run files: a valid result or a RunFileError, never a crash")
    func mutatedFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-fuzz-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var rng = Xoshiro256(seed: 2026)
        var valid = 0, refused = 0
        for k in 0..<3000 {
            let path = "\(folder)/\(k % 16).jsonl"
            _ = FileManager.default.createFile(atPath: path, contents: Data(Self.mutate(&rng)))
            do {
                let log = try RunReader.read(path: path, malformed: .skip)
                for problem in log.problems {
                    #expect(problem.line != nil && !problem.description.contains("\n"))
                }
                valid += 1
            } catch let error as RunFileError {
                #expect(error.path == path && !error.description.contains("\n"), "\(error)")
                refused += 1
            }
            let follower = RunFollower(path: path)
            _ = try? follower.poll()
        }
        #expect(valid + refused == 3000)
        #expect(valid > 1000 && refused > 100, "the mutations should exercise both outcomes: \(valid) valid, \(refused) refused")
    }

    @Test("a 100 MB line is skipped with an error, in bounded memory")
    func hundredMegabyteLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-huge-\(UUID().uuidString.prefix(8)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = FileHandle(forWritingAtPath: path)!
        handle.write(Data((Self.validLines[0] + "\n").utf8))
        handle.write(Data(#"{"type":"mark","step":1,"label":""#.utf8))
        let block = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<100 { handle.write(block) }
        handle.write(Data("\"}\n".utf8))
        handle.write(Data((Self.validLines[4] + "\n").utf8))
        handle.closeFile()
        let log = try RunReader.read(path: path, malformed: .skip)
        #expect(log.records == [.end(EndRecord(step: 4, reason: .completed))])
        #expect(log.problems.count == 1 && log.problems[0].line == 2)
    }
}
