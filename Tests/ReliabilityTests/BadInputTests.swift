import Dispatch
import Foundation
import NumericCore
import TestSupport
import RunFiles
import Testing

/// Every numeric option of train (rf, ddpm, optimal), sample, export, sweep, emm, phase, metrics, bench and
/// spectrum at 0, negative, NaN, ∞ and absurdly large: one line on stderr, exit status 64, and nothing written.
/// Values that are legal (a seed of 0, `--warmup-growth 0` = no warm-up, zero tolerances, `--bootstrap 0` = no
/// interval, `--weight-decay 0`) are left out.
@Suite struct BadInputTests {
    static let values = ["0", "-1", "nan", "inf", "1e12", "1000000000000", "-1e300"]

    /// (arguments, values that are legal for this option and so not tried).
    static var cases: [[String]] {
        var out: [[String]] = []
        func add(_ base: [String], _ option: String, legal: Set<String> = []) {
            for v in values where !legal.contains(v) { out.append(base + [option, v]) }
        }
        let train = ["train", "--headless", "--out", "run.jsonl", "--d", "4", "--p", "32", "--n", "8"]
        for o in ["--steps", "--n", "--d", "--p", "--t", "--tau-max", "--sigma-x", "--lr-factor", "--warmup-start",
                  "--eval-per-decade", "--hermite-order", "--checkpoint-every"] { add(train, o) }
        add(train, "--lr", legal: ["1e12", "1000000000000"])  // legal; such a run diverges (exit 1)
        add(train, "--warmup-growth", legal: ["0"])
        add(train, "--seed", legal: ["0", "1000000000000"])
        for o in ["--noise-draws", "--test-points"] { add(train + ["--noise", "draws"], o) }
        for o in ["--gen-times", "--gen-t-min", "--gen-t-max", "--gen-samples", "--gen-per-decade", "--gen-reference",
                  "--mem-k"] { add(train + ["--generative"], o) }
        out.append(train + ["--n", "1e12"])
        out.append(train + ["--p", "1000000000"])
        out.append(train + ["--d", "100000", "--p", "1000000"])
        out.append(["train", "--headless", "--out", "run.jsonl", "--n", "100000000", "--p", "1000000"])
        // Too small for the model (issue #18 item 7: these crashed on a precondition in the nearest-neighbour search).
        out.append(["train", "--headless", "--out", "run.jsonl", "--model", "ddpm", "--data", "gaussian", "--n", "1"])
        out.append(["train", "--headless", "--out", "run.jsonl", "--model", "optimal", "--data", "gaussian", "--n", "1"])
        out.append(train + ["--generative", "--n", "1"])
        out.append(["emm", "--model", "rf", "--out", "emm", "--n-min", "1"])
        for o in ["--eval-samples", "--test-n"] {
            out.append(["train", "--headless", "--out", "run.jsonl", "--model", "ddpm", "--data", "gaussian", "--n", "8", o, "1"])
        }
        let sweep = ["sweep", "--out", "sweep"]
        add(sweep + ["--p", "10"], "--n")
        add(sweep + ["--n", "10"], "--p")
        add(sweep + ["--n", "10", "--p", "10"], "-j")
        add(sweep + ["--n", "10", "--p", "10", "--slurm"], "--cpus-per-task")
        add(sweep + ["--n", "10", "--p", "10"], "--seed", legal: ["0", "1000000000000"])
        let emm = ["emm", "--model", "rf", "--out", "emm"]
        for o in ["--epsilon", "--n-start", "--n-min", "--n-max", "--factor", "--cpus-per-task"] { add(emm, o) }
        add(emm, "--tolerance", legal: ["0"])
        add(emm, "--seed", legal: ["0", "1000000000000"])
        add(["phase", "."], "--mem-threshold", legal: ["0"])
        for o in ["--rise-tolerance", "--convergence-tolerance"] { add(["phase", "."], o, legal: ["0"]) }
        let memorized = ["metrics", "memorized", "--samples", "s.npy", "--train", "s.npy"]
        add(memorized, "--k")
        add(memorized, "--bootstrap", legal: ["0"])
        add(memorized, "--seed", legal: ["0", "1000000000000"])
        for o in ["--threads", "--seconds"] { add(["bench", "--quick"], o) }
        for o in ["--d", "--p", "--n", "--t", "--sigma-x", "--density-points"] { add(["spectrum"], o) }
        add(["spectrum"], "--seed", legal: ["0", "1000000000000"])
        let ddpm = ["train", "--headless", "--out", "run.jsonl", "--model", "ddpm", "--data", "gaussian", "--n", "8"]
        for o in ["--steps", "--n", "--lr", "--mem-k", "--checkpoint-every", "--width", "--depth", "--time-embedding",
                  "--batch", "--ema", "--classes", "--guidance", "--momentum", "--sample-steps", "--eval-samples",
                  "--evals-per-decade", "--fid-plateau", "--persistence", "--fid-smoothing", "--mem-floor", "--test-n", "--data-dim",
                  "--resize"] { add(ddpm, o) }
        add(ddpm, "--seed", legal: ["0", "1000000000000"])
        add(ddpm, "--clip", legal: ["1e12", "1000000000000"])
        for o in ["--label-dropout", "--weight-decay", "--warmup", "--fid-fall"] { add(ddpm, o, legal: ["0"]) }
        add(["train", "--headless", "--out", "run.jsonl", "--model", "ddpm", "--data", "gmm", "--n", "8"], "--components")
        let optimal = ["train", "--headless", "--out", "run.jsonl", "--model", "optimal", "--data", "gaussian"]
        for o in ["--n", "--eval-samples", "--sample-steps", "--test-n"] { add(optimal, o) }
        let sample = ["sample", "--checkpoint", "missing.ckpt", "--out", "s.npy"]
        for o in ["--count", "--steps", "--guidance"] { add(sample, o) }
        add(sample, "--seed", legal: ["0", "1000000000000"])
        let export = ["export", "missing.jsonl", "--csv", "out.csv", "--png", "out.png"]
        for o in ["--scale", "--width", "--height"] { add(export, o) }
        add(export, "--smoothing", legal: ["0"])
        add(export, "--step", legal: ["0", "1e12", "1000000000000"])
        add(["metrics", "fd", "a.npy", "b.npy", "--features", "classifier", "--data", "digits"], "--resize")
        return out
    }

    @Test func everyBadNumberIsAOneLineUsageErrorAndWritesNothing() throws {
        let cases = Self.cases
        let root = try temporaryFolder("bad-options")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in stride(from: worker, to: cases.count, by: 4) {
                let folder = root + "/\(index)"
                let arguments = cases[index]
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    let outcome = try runGenwindow(arguments, currentDirectory: folder)
                    let lines = outcome.stderr.split(separator: "\n")
                    let written = try FileManager.default.contentsOfDirectory(atPath: folder)
                    if outcome.status != 64 || lines.count != 1 || !lines[0].hasPrefix("genwindow: ") || !written.isEmpty {
                        failures.add("\(arguments.joined(separator: " ")): status \(outcome.status), stderr \(lines), wrote \(written)")
                    }
                } catch {
                    failures.add("\(arguments.joined(separator: " ")): \(error)")
                }
            }
        }
        print("bad options tried: \(cases.count)")
        #expect(cases.count > 300)
        #expect(failures.all.isEmpty, "\(failures.all.joined(separator: "\n"))")
    }

    /// A negative value reaches the option's own check (argument-parser would otherwise read `-5` as a flag and
    /// report a missing value): one line naming the option and the range it allows, exit status 64.
    @Test func aNegativeNumberNamesTheOptionAndItsRange() throws {
        let cases = Self.cases.filter { $0.last == "-1" } + [
            ["train", "--headless", "--n", "-5"], ["train", "--headless", "--lr", "-1"],
            ["train", "--headless", "--model", "ddpm", "--n", "-5"], ["sweep", "--out", "sweep", "--p", "3", "--n", "-5"],
            ["emm", "--out", "emm", "--n-max", "-5"], ["export", "run.jsonl", "--csv", "x.csv", "--step", "-5"],
        ]
        let root = try temporaryFolder("negative-options")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in stride(from: worker, to: cases.count, by: 4) {
                let arguments = cases[index]
                let option = arguments[arguments.count - 2]
                do {
                    let outcome = try runGenwindow(arguments, currentDirectory: root)
                    let lines = outcome.stderr.split(separator: "\n")
                    let line = lines.first ?? ""
                    let namesRange = line.contains("must") || line.contains("positive integer")
                    if outcome.status != 64 || lines.count != 1 || !line.hasPrefix("genwindow: \(option)")
                        && !line.contains("'\(option) ") || !namesRange || line.contains("Missing value") {
                        failures.add("\(arguments.joined(separator: " ")): status \(outcome.status), stderr \(lines)")
                    }
                } catch {
                    failures.add("\(arguments.joined(separator: " ")): \(error)")
                }
            }
        }
        #expect(cases.count > 80)
        #expect(failures.all.isEmpty, "\(failures.all.joined(separator: "\n"))")
    }

    /// Bad files and sizes only known once the input is read: one line, exit status 1, never a crash.
    @Test func badInputFilesAreOneLineRuntimeErrors() throws {
        let folder = try temporaryFolder("bad-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func npy(_ name: String, rows: Int, cols: Int) throws -> String {
            let path = folder + "/" + name
            try NpyArray(Matrix<Float>(rows: rows, cols: cols, storage: (0..<rows * cols).map { Float($0 % 7) })).write(path: path)
            return path
        }
        let rows = try npy("rows.npy", rows: 6, cols: 4), empty = try npy("empty.npy", rows: 0, cols: 4)
        let narrow = try npy("narrow.npy", rows: 6, cols: 3), one = try npy("one.npy", rows: 1, cols: 4)
        let run = folder + "/ddpm.jsonl"
        let tiny = try runGenwindow(["train", "--headless", "--model", "ddpm", "--data", "digits", "--n", "8", "--width", "8",
                                     "--depth", "1", "--time-embedding", "4", "--steps", "2", "--eval-samples", "4",
                                     "--sample-steps", "2", "--test-n", "4", "--out", run])
        #expect(tiny.status == 0, "\(tiny.stderr)")
        let checkpoint = try Data(contentsOf: URL(fileURLWithPath: folder + "/ddpm.step2.ckpt"))
        let truncated = folder + "/truncated.ckpt"
        try checkpoint.prefix(checkpoint.count / 2).write(to: URL(fileURLWithPath: truncated))
        let cases: [([String], String)] = [
            (["metrics", "memorized", "--samples", empty, "--train", rows], "no data"),
            (["metrics", "memorized", "--samples", rows, "--train", empty], "no data"),
            (["metrics", "memorized", "--samples", narrow, "--train", rows], "values per row"),
            (["metrics", "memorized", "--samples", rows, "--train", one], "at least 2 training rows"),
            (["metrics", "fd", empty, rows], "no data"),
            (["metrics", "fd", rows, narrow], "values per row"),
            (["metrics", "fd", rows, one], "at least 2 rows"),
            (["sample", "--checkpoint", truncated, "--out", folder + "/s.npy"], "truncated.ckpt"),
            (["train", "--headless", "--model", "ddpm", "--data", "digits", "--n", "100000", "--out", folder + "/big.jsonl"],
             "too many"),
            (["train", "--headless", "--data", "digits", "--n", "100000", "--p", "16", "--out", folder + "/big-rf.jsonl"],
             "too many"),
        ]
        for (arguments, message) in cases {
            let outcome = try runGenwindow(arguments)
            let lines = outcome.stderr.split(separator: "\n")
            #expect(outcome.status == 1 && lines.count == 1 && lines[0].hasPrefix("genwindow: ") && lines[0].contains(message),
                    "\(arguments): status \(outcome.status), \(outcome.stderr)")
        }
    }

    @Test func aFolderWhereAFileBelongsIsAClearError() throws {
        let folder = try temporaryFolder("bad-paths")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dir = folder + "/dir"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (["train", "--headless", "--d", "4", "--p", "16", "--out", dir], "is a directory"),
            (["train", "--headless", "--resume", dir], "is a directory"),
            (["metrics", "memorized", "--samples", dir, "--train", dir], "is a directory"),
            (["metrics", "fd", dir, dir], "is a directory"),
        ]
        for (arguments, message) in cases {
            let outcome = try runGenwindow(arguments)
            let lines = outcome.stderr.split(separator: "\n")
            #expect(outcome.status == 1 && lines.count == 1 && lines[0].contains(message), "\(arguments): \(outcome.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func anUnreadableFileIsAClearError() throws {
        guard getuid() != 0 else {
            print("skipped: running as root, which can read any file")
            return
        }
        let folder = try temporaryFolder("unreadable")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.jsonl"
        #expect(try runGenwindow(["train", "--headless", "--d", "4", "--p", "16", "--n", "4", "--steps", "20", "--out", path]).status == 0)
        chmod(path, 0)
        let outcome = try runGenwindow(["train", "--headless", "--resume", path])
        #expect(outcome.status == 1 && outcome.stderr.contains("Permission denied"), "\(outcome.stderr)")
    }

    /// A run on a full disk (a 64 KiB tmpfs) fails with one line naming the problem, and what reached the disk
    /// is still a readable run file; no temporary checkpoint is left behind.
    @Test func aFullDiskIsAClearErrorAndLeavesAReadableRun() throws {
        let folder = try temporaryFolder("full-disk")
        defer {
            _ = try? genwindowShell("umount \(folder)")
            try? FileManager.default.removeItem(atPath: folder)
        }
        guard getuid() == 0, try genwindowShell("mount -t tmpfs -o size=64k tmpfs \(folder)") == 0 else {
            print("skipped: cannot mount a small tmpfs (needs root)")
            return
        }
        let path = folder + "/run.jsonl"
        let outcome = try runGenwindow(["train", "--headless", "--d", "4", "--p", "64", "--n", "8", "--steps", "300000",
                                     "--eval-per-decade", "1000", "--checkpoint-every", "0.01", "--out", path])
        let lines = outcome.stderr.split(separator: "\n")
        #expect(outcome.status == 1 && lines.count == 1 && lines[0].contains("No space left on device"), "\(outcome.stderr)")
        let log = try RunReader.read(path: path)
        #expect(!log.records.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasSuffix(".tmp") })
    }
}

/// Runs a shell command, returning its exit status.
func genwindowShell(_ command: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// Failure messages collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ m: String) { lock.withLock { messages.append(m) } }
    var all: [String] { lock.withLock { messages } }
}
