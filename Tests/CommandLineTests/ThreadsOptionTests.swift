import Foundation
import Testing
import TestSupport

/// `--threads` of train, sample and bench: a bad count is a one-line usage error (exit 64) that writes nothing;
/// a good one trains.
@Suite struct ThreadsOptionTests {
    static let commands = [
        ["train", "--headless", "--out", "run.jsonl", "--d", "4", "--p", "16", "--n", "8", "--steps", "20"],
        ["sample", "--checkpoint", "missing.ckpt", "--out", "s.npy"],
        ["bench", "--quick"],
    ]

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "genwindow-threads-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: commands, ["0", "-1", "1025", "1000000000000", "two"])
    func badCountIsAUsageError(command: [String], value: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try runGenwindow(command + ["--threads", value], currentDirectory: folder)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(outcome.status == 64 && lines.count == 1 && lines.first?.hasPrefix("genwindow: ") == true, "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func oneThreadTrains() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try runGenwindow(Self.commands[0] + ["--threads", "1"], currentDirectory: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/run.jsonl"))
    }
}
