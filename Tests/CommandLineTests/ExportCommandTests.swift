import Foundation
import RunFiles
import RunFormat
import Testing
import TestSupport

/// `genwindow export` through the binary, on a run this test writes.
@Suite struct ExportCommandTests {
    private func writeRun(_ dir: String, samples: Bool) throws -> String {
        let path = dir + "/run.jsonl"
        let writer = try RunWriter(creating: path, header: RunHeader(created: "2026-11-23T00:00:00Z", model: "ddpm",
                                                                     config: ["n": 4, "steps": 20]))
        for step in [0, 10, 20] {
            try writer.append(.metrics(MetricsRecord(step: step, timeSeconds: Double(step), values: [
                ("train_loss", 1 / Double(step + 1)), ("test_loss", 0.5), ("mem_frac", Double(step) / 40)])))
        }
        if samples {
            try writer.append(.other(type: "samples", fields: [
                "step": 20, "shape": [2, 2], "samples": [[0, 50, 100, 150]], "neighbours": [[255, 0, 255, 0]], "ratios": [0.2]]))
        }
        try writer.append(.mark(MarkRecord(step: 10, label: "here")))
        try writer.close()
        return path
    }

    private func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "genwindow-export-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func snapshotCSVAndPNG() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try writeRun(dir, samples: true)
        let r = try runGenwindow(["export", run, "--snapshot", "--width", "100", "--height", "30", "--csv", dir + "/out.csv",
                                  "--png", dir + "/out.png", "--scale", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 30 && lines.allSatisfy { $0.unicodeScalars.count == 100 })
        #expect(r.stdout.contains("REPLAY") && r.stdout.contains("1/1 memorized"))
        let csv = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
        #expect(csv.hasPrefix("step,train_loss,test_loss,mem_frac,smoothed_train_loss,smoothed_test_loss,mark,events\n"))
        #expect(csv.contains("\n10,") && csv.contains(",here,"))
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/out.png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let ascii = try runGenwindow(["export", run, "--snapshot", "--ascii"])
        #expect(ascii.status == 0 && ascii.stdout.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func errors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try writeRun(dir, samples: false)
        let none = try runGenwindow(["export", run])
        #expect(none.status == 64 && none.stderr.contains("nothing to export"))
        let noSamples = try runGenwindow(["export", run, "--png", dir + "/x.png"])
        #expect(noSamples.status == 1 && noSamples.stderr.contains("no samples records"))
        #expect(noSamples.stderr.split(separator: "\n").count == 1)
    }
}
