import Foundation
import RunFormat
import Sweeps
import Testing
import TestSupport

func startGenwindow(_ arguments: [String], output: String) throws -> Process {
    let process = Process()
    process.executableURL = genwindowBinary()
    process.arguments = arguments
    #expect(FileManager.default.createFile(atPath: output, contents: nil), "cannot create \(output)")
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// Waits for `p` at most `seconds`, then kills it (so a broken stop path fails the test instead of hanging it).
func waitForExit(_ p: Process, seconds: Double = 60) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        return false
    }
    p.waitUntilExit()
    return true
}

func runGenwindow(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
    let output = directory + "/out-\(UUID().uuidString).txt"
    let p = try startGenwindow(arguments, output: output)
    #expect(waitForExit(p), "genwindow \(arguments.joined(separator: " ")) did not exit in time")
    return (p.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
}

@Suite("genwindow sweep, phase and emm commands", .serialized)
struct SweepCommandTests {
    @Test("a tiny real RF sweep end to end through this binary's own train command, then its phase diagram")
    func realRF() throws {
        let fake = try FakeWorker()
        defer { fake.remove() }
        let dir = fake.directory + "/rf"
        let r = try runGenwindow(["sweep", "--model", "rf", "--n", "10,40", "--p", "20", "--d", "5", "--tau-max", "200",
                                  "--out", dir, "-j", "2"], in: fake.directory)
        #expect(r.status == 0, "\(r.output)")
        for name in ["n10-p20", "n40-p20"] {
            #expect(SweepFiles.runFileState(dir + "/\(name).jsonl") == .ended(.completed))
        }
        let phase = try runGenwindow(["phase", dir, "--json"], in: fake.directory)
        let line = try #require(phase.output.split(separator: "\n").first { $0.hasPrefix("{") })
        let cells = try #require(try JSONParser.parse(String(line)).object?["cells"]?.array)
        #expect(cells.map { $0.object?["n"] } == [10, 40])
        #expect(cells.allSatisfy { $0.object?["tau_gen_reached"] == true })
    }

    @Test("a typo in a train option fails before any worker starts, checked by this binary's train parser")
    func typo() throws {
        let fake = try FakeWorker()
        defer { fake.remove() }
        let r = try runGenwindow(["sweep", "--n", "10", "--p", "20", "--out", fake.directory + "/t", "--tau-mx", "3"], in: fake.directory)
        #expect(r.status == 64)
        #expect(r.output.hasPrefix("genwindow: train options: Unknown option '--tau-mx'"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: fake.directory + "/t"))
    }

    @Test("SIGTERM stops the workers, marks their cells interrupted and exits 143; a rerun finishes the sweep")
    func interrupt() throws {
        // Workers wait until told to stop, then end their run file "interrupted" as genwindow train does.
        let fake = try FakeWorker(extra: """
        if [ ! -e "$calls.go" ]; then
          trap 'kill $sleeper 2>/dev/null; printf "{\\"type\\":\\"end\\",\\"step\\":1,\\"reason\\":\\"interrupted\\"}\\n" >> "$out"; exit 143' TERM
          sleep 30 & sleeper=$!
          wait $sleeper
        fi
        """)
        defer { fake.remove() }
        let dir = fake.directory + "/sweep"
        let args = ["sweep", "--n", "10,20", "--p", "5", "--out", dir, "--genwindow", fake.script, "-j", "2", "--steps", "3"]
        let p = try startGenwindow(args, output: fake.directory + "/log")
        // Wait for both workers to be running.
        for _ in 0..<200 where fake.callLog.count < 2 { usleep(50_000) }
        #expect(fake.callLog.count == 2)
        kill(p.processIdentifier, SIGTERM)
        #expect(waitForExit(p, seconds: 20), "the sweep did not stop on SIGTERM")
        #expect(p.terminationStatus == 143)
        let manifest = try #require(try SweepFiles.readManifest(directory: dir))
        #expect(manifest.cells.map(\.status) == [.interrupted, .interrupted])
        #expect(SweepFiles.runFileState(dir + "/n10-p5.jsonl") == .ended(.interrupted))

        #expect(FileManager.default.createFile(atPath: fake.calls + ".go", contents: nil))
        let rerun = try runGenwindow(args, in: fake.directory)
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(try SweepFiles.readManifest(directory: dir)?.cells.allSatisfy { $0.status == .completed } == true)
        #expect(rerun.output.contains("all 2 cells finished"))
    }

    @Test("bad grids and reserved options fail with one line and exit 64 before any worker starts")
    func usage() throws {
        let fake = try FakeWorker()
        defer { fake.remove() }
        let base = ["sweep", "--out", fake.directory + "/s", "--genwindow", fake.script]
        for extra in [["--n", "10", "--p", "5..40"], ["--n", "0", "--p", "5"], ["--n", "10", "--p", "5", "--force"], ["--n", "10", "--p", "5", "--width=3"],
                      ["--n", "10", "--p", "5", "--model", "gan"], ["--n", "10", "--p", "5", "--submit"]] {
            let r = try runGenwindow(base + extra, in: fake.directory)
            #expect(r.status == 64, "\(extra): \(r.output)")
            #expect(r.output.hasPrefix("genwindow: ") && r.output.split(separator: "\n").count == 1, "\(r.output)")
        }
        #expect(fake.callLog.isEmpty)
    }

    @Test("--slurm writes the job-array script for the unfinished cells and the manifest, runs nothing")
    func slurmScript() throws {
        let fake = try FakeWorker()
        defer { fake.remove() }
        let dir = fake.directory + "/s"
        let r = try runGenwindow(["sweep", "--n", "10,20", "--p", "5", "--out", dir, "--genwindow", fake.script, "--slurm",
                                  "--partition", "debug", "--cpus-per-task", "2", "--steps", "3"], in: fake.directory)
        #expect(r.status == 0, "\(r.output)")
        let script = try String(contentsOfFile: dir + "/sweep.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-1\n") && script.contains("#SBATCH --partition=debug\n"))
        #expect(script.contains("exec \(fake.script) train --headless --model rf --n 20 --p 5 --seed 0 --out \(dir)/n20-p5.jsonl --force --steps 3 ;;"))
        #expect(try SweepFiles.readManifest(directory: dir)?.count(.pending) == 2)
        #expect(fake.callLog.isEmpty)
        // Run the script's tasks by hand, as Slurm would, and the sweep has nothing left.
        for task in 0..<2 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [dir + "/sweep.sbatch"]
            p.environment = ["SLURM_ARRAY_TASK_ID": String(task), "PATH": "/usr/bin:/bin"]
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let again = try runGenwindow(["sweep", "--n", "10,20", "--p", "5", "--out", dir, "--genwindow", fake.script, "--slurm",
                                      "--partition", "debug", "--cpus-per-task", "2", "--steps", "3"], in: fake.directory)
        #expect(again.output.contains("nothing to submit"))
    }

    @Test("phase --json over a folder of hand-built runs")
    func phaseJSON() throws {
        let b = try RunFileBuilder()
        defer { b.remove() }
        try b.write("n25-p1600.jsonl", n: 25, p: 1600, testLoss: [0.9, 0.6, 0.5, 0.52, 0.6], tauGen: (200, 20), tauMem: (400, 40))
        try b.write("n50-p1600.jsonl", n: 50, p: 1600, testLoss: [0.9, 0.6, 0.5, 0.52, 0.6], tauGen: (200, 20), tauMem: (500, 80))
        try "not a run\n".write(toFile: b.directory + "/junk.jsonl", atomically: true, encoding: .utf8)
        let r = try runGenwindow(["phase", b.directory, "--json"], in: b.directory)
        #expect(r.status == 0, "\(r.output)")
        let jsonLine = try #require(r.output.split(separator: "\n").first { $0.hasPrefix("{") })
        let o = try JSONParser.parse(String(jsonLine)).object!
        #expect(o["cells"]?.array?.map { $0.object!["tau_mem"]! } == [40, 80])
        #expect(o["cells"]?.array?.allSatisfy { $0.object!["region"] == "memorization" } == true)
        let fit = try #require(o["fits"]?.array?.first?.object)
        #expect(fit["p"] == 1600 && fit["slope"]?.double.map { abs($0 - 1.6) < 1e-12 } == true)
        #expect(r.output.contains("skipping") && r.output.contains("junk.jsonl"))
        let text = try runGenwindow(["phase", b.directory], in: b.directory)
        #expect(text.output.contains("thresholds:") && text.output.contains("memorization"))
        let none = try runGenwindow(["phase", b.directory + "/nowhere"], in: b.directory)
        #expect(none.status == 1)
    }

    @Test("emm probes through the pool: bracket then bisect against a fake model whose ratio falls with n")
    func emm() throws {
        // mem_frac = 1 for n ≤ 40, 0.5 above, so EMM_0.1 = 40.
        let fake = try FakeWorker(extra: """
        if [ "$n" -le 40 ]; then m=1; else m=0.5; fi
        printf '{"type":"metrics","step":5,"time_s":0.1,"mem_frac":%s}\\n' "$m" >> "$out"
        """)
        defer { fake.remove() }
        let dir = fake.directory + "/emm"
        let r = try runGenwindow(["emm", "--model", "ddpm", "--epsilon", "0.1", "--n-start", "16", "--tolerance", "0",
                                  "--out", dir, "--genwindow", fake.script, "--width", "32"], in: fake.directory)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("EMM_0.1 ≈ 40 (n = 40 memorizes, n = 41 does not)"), "\(r.output)")
        let probes = fake.callLog.count
        #expect(fake.callLog.first == "16 32 threads=\(ProcessInfo.processInfo.activeProcessorCount)")
        let summary = try #require(try JSONParser.parse(String(contentsOfFile: dir + "/emm.json", encoding: .utf8)).object)
        #expect(summary["outcome"] == "estimate" && summary["emm"] == 40 && summary["bracket"] == .array([40, 41]))
        #expect(summary["probes"]?.array?.count == probes && summary["train_options"] == .array(["--width", "32"]))
        #expect(summary["probes"]?.array?.first == .object(["n": 16, "ratio": 1, "memorizes": true]))
        // Rerunning reuses every finished probe.
        let again = try runGenwindow(["emm", "--model", "ddpm", "--epsilon", "0.1", "--n-start", "16", "--tolerance", "0",
                                      "--out", dir, "--genwindow", fake.script, "--width", "32"], in: fake.directory)
        #expect(again.output.contains("EMM_0.1 ≈ 40"))
        #expect(fake.callLog.count == probes)
    }
}
