import Foundation
import RunFiles
import Sweeps
import Testing

/// The pool and the runner with a fake worker: the machinery without any model.
@Suite("sweep runner with a fake worker", .serialized)
struct SweepRunnerTests {
    func runner(_ fake: FakeWorker, n: [Int] = [10, 20], p: [Int] = [5, 40], workers: Int = 2, args: [String] = ["--steps", "3"])
        -> (SweepRunner, String)
    {
        let dir = fake.directory + "/sweep"
        let config = SweepConfig(model: "rf", sizeOption: "p", grid: SweepGrid(n: n, p: p, seed: 1), trainArguments: args)
        return (SweepRunner(config: config, directory: dir, executable: fake.script, workers: workers, cores: 2, live: false) { _ in }, dir)
    }

    @Test("every cell runs once into DIR/<cell>.jsonl; the manifest says completed; a rerun starts nothing")
    func endToEnd() throws {
        let fake = try FakeWorker()
        defer { fake.remove() }
        let (r, dir) = runner(fake)
        let outcome = try r.run()
        #expect(outcome.stop == nil && outcome.unfinished.isEmpty && outcome.ran == 4)
        #expect(fake.callLog.sorted() == ["10 40 threads=1", "10 5 threads=1", "20 40 threads=1", "20 5 threads=1"])
        for cell in r.config.grid.cells {
            let log = try RunReader.read(path: dir + "/" + cell.runFileName)
            #expect(log.end?.reason == .completed)
            #expect(log.header.config["n"]?.int == cell.n && log.header.config["p"]?.int == cell.p)
        }
        let manifest = try #require(try SweepFiles.readManifest(directory: dir))
        #expect(manifest.cells.allSatisfy { $0.status == .completed && $0.attempts == 1 && $0.seconds != nil })
        #expect(manifest.config == r.config)
        #expect(!FileManager.default.fileExists(atPath: dir + "/sweep.json.tmp-\(getpid())"))

        let again = try r.run()
        #expect(again.ran == 0 && again.unfinished.isEmpty)
        #expect(fake.callLog.count == 4)
    }

    @Test("a killed worker leaves its cell failed; rerunning restarts only that cell")
    func resumeAfterKill() throws {
        // The cell n20-p5 kills itself with SIGKILL on its first attempt, after writing its header.
        let fake = try FakeWorker(extra: """
        if [ "$n" = 20 ] && [ "$p" = 5 ] && [ ! -e "$calls.killed" ]; then touch "$calls.killed"; kill -9 $$; fi
        """)
        defer { fake.remove() }
        let (r, dir) = runner(fake, workers: 1)
        let first = try r.run()
        #expect(first.unfinished.map(\.cell.name) == ["n20-p5"])
        let manifest = try #require(try SweepFiles.readManifest(directory: dir))
        #expect(manifest.entry(named: "n20-p5")?.status == .failed)
        #expect(manifest.entry(named: "n20-p5")?.failure == "signal 9")
        #expect(SweepFiles.runFileState(dir + "/n20-p5.jsonl") == .open)
        #expect(fake.callLog.count == 4)

        let second = try r.run()
        #expect(second.ran == 1 && second.unfinished.isEmpty)
        #expect(fake.callLog.count == 5 && fake.callLog.last == "20 5 threads=2")
        let after = try #require(try SweepFiles.readManifest(directory: dir))
        #expect(after.entry(named: "n20-p5")?.status == .completed && after.entry(named: "n20-p5")?.attempts == 2)
    }

    @Test("a worker's usage error (exit 64) stops the sweep before more cells start")
    func usageError() throws {
        let fake = try FakeWorker()
        defer { fake.remove() }
        let (r, dir) = runner(fake, workers: 1, args: ["--bogus"])
        let outcome = try r.run()
        #expect(outcome.stop == .usageError(id: "n10-p5"))
        #expect(fake.callLog.isEmpty)
        let log = try String(contentsOfFile: dir + "/n10-p5.log", encoding: .utf8)
        #expect(log.contains("Unknown option '--bogus'"))
        let manifest = try #require(try SweepFiles.readManifest(directory: dir))
        #expect(manifest.count(.pending) == 3 && manifest.entry(named: "n10-p5")?.status == .failed)
    }

    @Test("a worker binary that cannot start fails its cell with the reason")
    func notStarted() throws {
        let fake = try FakeWorker()
        defer { fake.remove() }
        let config = SweepConfig(model: "rf", sizeOption: "p", grid: SweepGrid(n: [3], p: [4], seed: 0), trainArguments: [])
        let dir = fake.directory + "/s"
        let r = SweepRunner(config: config, directory: dir, executable: fake.directory + "/missing", workers: 1, cores: 1,
                            live: false) { _ in }
        let outcome = try r.run()
        #expect(outcome.unfinished.first?.failure?.hasPrefix("not started:") == true)
    }
}
