import Foundation
import RunFiles
import RunFormat
import Testing
import TestSupport

/// The small things of issue #18 ("The first ten minutes"), item 16: what export says it wrote, the smallest
/// snapshot, replay of a missing file, bench's results once, doctor's wording, a missing sbatch.
@Suite struct FirstRunMessagesTests {
    private func folder(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "genwindow-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Three steps of metrics, a mark and one 2×2 samples record.
    private func writeRun(_ dir: String) throws -> String {
        let path = dir + "/run.jsonl"
        let writer = try RunWriter(creating: path, header: RunHeader(created: "2026-11-23T00:00:00Z", model: "ddpm",
                                                                     config: ["n": 4, "steps": 20]))
        for step in [0, 10, 20] {
            try writer.append(.metrics(MetricsRecord(step: step, timeSeconds: Double(step), values: [("train_loss", 0.5)])))
        }
        try writer.append(.other(type: "samples", fields: [
            "step": 20, "shape": [2, 2], "samples": [[0, 50, 100, 150]], "neighbours": [[255, 0, 255, 0]], "ratios": [0.2]]))
        try writer.append(.mark(MarkRecord(step: 10, label: "here")))
        try writer.close()
        return path
    }

    @Test func exportSaysWhatItWrote() throws {
        let dir = try folder("export-report")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try writeRun(dir)
        let r = try runGenwindow(["export", run, "--csv", dir + "/x.csv", "--png", dir + "/x.png", "--scale", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "wrote \(dir)/x.csv (3 rows)", "\(lines)")
        let png = try #require(lines.dropFirst().first)
        #expect(png.hasPrefix("wrote \(dir)/x.png (") && png.hasSuffix(" pixels)"), "\(png)")
        // With --snapshot, stdout is the frame alone; the report goes to stderr.
        let s = try runGenwindow(["export", run, "--snapshot", "--csv", dir + "/y.csv"])
        #expect(s.status == 0 && !s.stdout.contains("wrote") && s.stderr == "wrote \(dir)/y.csv (3 rows)\n", "\(s.stderr)")
    }

    @Test(arguments: [(["--height", "10"], "--height"), (["--width", "39"], "--width")])
    func snapshotRefusesSizesTheDashboardCannotDraw(size: [String], option: String) throws {
        let dir = try folder("export-small")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runGenwindow(["export", try writeRun(dir), "--snapshot"] + size)
        let lines = r.stderr.split(separator: "\n")
        #expect(r.status == 64 && r.stdout.isEmpty && lines.count == 1, "\(r.status) \(r.stderr)")
        #expect(lines.first?.hasPrefix("genwindow: \(option) must be in ") == true && r.stderr.contains("40×12"), "\(r.stderr)")
        #expect(try runGenwindow(["export", dir + "/run.jsonl", "--snapshot", "--width", "40", "--height", "12"]).status == 0)
    }

    @Test func replayOfAMissingFileNamesTheFileNotTheTerminal() throws {
        let path = "/nonexistent-\(UUID().uuidString)/run.jsonl"
        let r = try runGenwindow(["replay", path])
        let lines = r.stderr.split(separator: "\n")
        #expect(r.status == 1 && lines.count == 1 && lines[0].contains(path) && !r.stderr.contains("terminal"), "\(r.stderr)")
    }

    @Test func benchPrintsEachResultOnceWhenStdoutAndStderrShareAFile() throws {
        let dir = try folder("bench-once")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        #expect(FileManager.default.createFile(atPath: log, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = genwindowBinary()
        process.arguments = ["bench", "--seconds", "0.01", "--filter", "render_frame_120x36", "--alone"]
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.components(separatedBy: "render_frame_120x36").count - 1 == 1, "\(text)")
    }

    /// The automatic case (information only) is `CommandLineTests.automaticCore`; a forced slower core is flagged.
    @Test func doctorFlagsAForcedSlowerCore() throws {
        let version = try runGenwindow(["--version"]).stdout
        guard version.contains("avx") else { return }  // without AVX the generic kernels are the fastest
        let forced = try runGenwindow(["doctor"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        let slow = forced.stdout.split(separator: "\n").first { $0.hasPrefix("openblas core:") } ?? ""
        #expect(slow.hasPrefix("openblas core: Prescott (generic SSE kernels; SLOWER than this CPU supports"), "\(slow)")
    }

    @Test(arguments: [
        (["sweep", "--n", "10", "--p", "5", "--slurm", "--submit"], "drop --submit to only write the script"),
        (["emm", "--model", "rf", "--n-start", "8", "--n-min", "8", "--n-max", "8", "--slurm"], "drop --slurm"),
    ])
    func aMissingSbatchSaysSlurmIsNotInstalled(arguments: [String], hint: String) throws {
        let dir = try folder("no-sbatch")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runGenwindow(arguments + ["--out", dir + "/out"], environment: ["PATH": dir])
        let lines = r.stderr.split(separator: "\n")
        #expect(r.status == 1 && lines.count == 1, "\(r.status) \(r.stderr)")
        #expect(lines.first?.hasPrefix("genwindow: sbatch not found: Slurm is not installed on this machine; ") == true
                && r.stderr.contains(hint), "\(r.stderr)")
    }
}
