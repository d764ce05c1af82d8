import Foundation
import Testing
import TestSupport

/// `replay RUN --sweep DIR` places the run among the sweep's cells only when the sweep is of the same model and
/// problem.
@Suite struct SweepOptionTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-runs").path

    @Test func aSweepOfAnotherModelIsRefused() throws {
        let result = try runGenwindow(["replay", Self.samples + "/ddpm/n64-s0.jsonl", "--sweep", Self.samples + "/sweep-rf"])
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("not the same model and problem"), "\(result.stderr)")
        #expect(lines.first?.contains("ddpm") == true && lines.first?.contains("rf") == true)
    }

    @Test func aSweepOfTheSameProblemIsAccepted() throws {
        // Past the sweep check, the replay asks for a terminal (there is none here).
        let result = try runGenwindow(["replay", Self.samples + "/rf/rf-d25-p1600-n100-t0.1.jsonl", "--sweep", Self.samples + "/sweep-rf"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("interactive terminal"), "\(result.stderr)")
    }
}
