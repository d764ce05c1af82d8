import Foundation
import NumericCore
import RunFiles
import Testing
import TestSupport

/// `--out`, `--csv` and `--png` of train, export and sample create missing parent folders; a parent that is a
/// file is a one-line error with exit status 1 (issue #18, item 1).
@Suite struct OutputFolderTests {
    /// A tiny DDPM run on digits: its run file (with samples records) and its final checkpoint.
    private func tinyDDPMRun(in folder: String) throws -> (run: String, checkpoint: String) {
        let run = folder + "/ddpm.jsonl"
        let r = try runGenwindow(["train", "--headless", "--model", "ddpm", "--data", "digits",
                                  "--n", "8", "--width", "8", "--depth", "1", "--time-embedding", "4", "--batch", "8",
                                  "--steps", "2", "--eval-samples", "4", "--sample-steps", "2", "--test-n", "4",
                                  "--out", run])
        #expect(r.status == 0, "\(r.stderr)")
        return (run, folder + "/ddpm.step2.ckpt")
    }

    @Test func trainCreatesTheFoldersAboveItsRunFile() throws {
        let folder = try temporaryFolder("out-train")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/new/sub/run.jsonl"
        let r = try runGenwindow(["train", "--headless", "--d", "4", "--p", "16", "--n", "4", "--steps", "5", "--out", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try RunReader.read(path: path).end?.reason == .completed)
    }

    @Test func exportAndSampleCreateTheFoldersAboveTheirOutputs() throws {
        let folder = try temporaryFolder("out-export")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (run, checkpoint) = try tinyDDPMRun(in: folder)
        let csv = try runGenwindow(["export", run, "--csv", "new/dir/x.csv"], currentDirectory: folder)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/new/dir/x.csv"))
        let png = try runGenwindow(["export", run, "--png", "new/png/x.png"], currentDirectory: folder)
        #expect(png.status == 0, "\(png.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/new/png/x.png"))
        let sample = try runGenwindow(["sample", "--checkpoint", checkpoint, "--count", "3", "--steps", "2",
                                       "--out", "new/npy/s.npy"], currentDirectory: folder)
        #expect(sample.status == 0, "\(sample.stderr)")
        #expect(try NpyArray.read(path: folder + "/new/npy/s.npy").shape == [3, 64])
    }

    @Test func aParentThatIsAFileIsAOneLineRuntimeError() throws {
        let folder = try temporaryFolder("out-file-parent")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (run, checkpoint) = try tinyDDPMRun(in: folder)
        let file = folder + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let cases: [[String]] = [
            ["train", "--headless", "--d", "4", "--p", "16", "--n", "4", "--steps", "5", "--out", file + "/run.jsonl"],
            ["export", run, "--csv", file + "/sub/x.csv"],
            ["export", run, "--png", file + "/x.png"],
            ["sample", "--checkpoint", checkpoint, "--count", "3", "--steps", "2", "--out", file + "/s.npy"],
        ]
        for arguments in cases {
            let r = try runGenwindow(arguments)
            let lines = r.stderr.split(separator: "\n")
            #expect(r.status == 1 && lines.count == 1 && lines[0].hasPrefix("genwindow: ") && lines[0].contains("folder"),
                    "\(arguments): \(r.status) \(r.stderr)")
        }
    }
}
