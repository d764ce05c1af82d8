import RunFormat
import Sweeps
import Testing

@Suite("sweep grid, manifest and resume plan")
struct GridAndManifestTests {
    @Test("lists and geometric ranges parse to sorted unique sizes")
    func axes() throws {
        #expect(try SweepAxis.parse("25,50,100,200,400", option: "n") == [25, 50, 100, 200, 400])
        #expect(try SweepAxis.parse("50..1600x2", option: "p") == [50, 100, 200, 400, 800, 1600])
        #expect(try SweepAxis.parse("10..100x3", option: "p") == [10, 30, 90])
        #expect(try SweepAxis.parse("400, 25..100x2,50", option: "n") == [25, 50, 100, 400])
        #expect(try SweepAxis.parse("7", option: "n") == [7])
    }

    @Test("malformed axes name the option and the bad item", arguments: [
        ("", "empty item"), ("10,,20", "empty item"), ("0,5", "'0'"), ("-3", "'-3'"), ("abc", "'abc'"),
        ("50..1600", "needs a factor"), ("50..1600x1", "above 1"), ("400..100x2", "starts above"),
    ])
    func badAxes(text: String, fragment: String) {
        #expect {
            _ = try SweepAxis.parse(text, option: "p")
        } throws: { error in
            let message = (error as? SweepError)?.message ?? ""
            return message.hasPrefix("--p:") && message.contains(fragment)
        }
    }

    @Test("cells cover the grid column by column, named n<N>-p<P>, all with the sweep's seed")
    func cells() {
        let grid = SweepGrid(n: [25, 50], p: [100, 200], seed: 9)
        #expect(grid.cells.map(\.name) == ["n25-p100", "n50-p100", "n25-p200", "n50-p200"])
        #expect(grid.cells.allSatisfy { $0.seed == 9 })
        #expect(grid.cells[3].runFileName == "n50-p200.jsonl")
    }

    @Test("a worker's command line: the cell's own options, then the shared ones")
    func invocation() {
        let config = SweepConfig(model: "ddpm", sizeOption: SweepConfig.sizeOption(forModel: "ddpm"),
                                 grid: SweepGrid(n: [8], p: [32], seed: 3), trainArguments: ["--steps", "100", "--labels", "random"])
        let args = WorkerInvocation.arguments(for: config.grid.cells[0], config: config, directory: "/runs/s/")
        #expect(args == ["train", "--headless", "--model", "ddpm", "--n", "8", "--width", "32", "--seed", "3",
                         "--out", "/runs/s/n8-p32.jsonl", "--force", "--steps", "100", "--labels", "random"])
        #expect(SweepConfig.sizeOption(forModel: "rf") == "p")
        #expect(WorkerInvocation.blasThreads(cores: 2, workers: 2) == 1)
        #expect(WorkerInvocation.blasThreads(cores: 16, workers: 4) == 4)
        #expect(WorkerInvocation.blasThreads(cores: 2, workers: 8) == 1)
    }

    @Test("options the sweep sets per cell cannot be passed through")
    func reserved() {
        #expect(throws: SweepError.self) { try WorkerInvocation.checkPassThrough(["--steps", "5", "--seed", "1"]) }
        #expect(throws: SweepError.self) { try WorkerInvocation.checkPassThrough(["--out=x.jsonl"]) }
        #expect(throws: SweepError.self) { try WorkerInvocation.checkPassThrough(["--threads", "4"]) }
        #expect(throws: Never.self) { try WorkerInvocation.checkPassThrough(["--steps", "5", "--lr", "0.1"]) }
        #expect(throws: Never.self) { try WorkerInvocation.checkPassThrough(["--width", "64"], allowing: ["--width"]) }
    }

    @Test("the manifest round-trips through its JSON text")
    func manifestRoundTrip() throws {
        let config = SweepConfig(model: "rf", sizeOption: "p", grid: SweepGrid(n: [25, 50], p: [100], seed: UInt64.max),
                                 trainArguments: ["--steps", "10", "--t", "0.1"])
        var manifest = SweepManifest(config: config, slurmJob: "4242")
        manifest.update("n50-p100") {
            $0.status = .failed
            $0.failure = "signal 9"
            $0.seconds = 1.5
            $0.attempts = 2
        }
        let parsed = try SweepManifest(parsing: manifest.text, path: "sweep.json")
        #expect(parsed == manifest)
        #expect(parsed.entry(named: "n50-p100")?.failure == "signal 9")
        let json = try JSONParser.parse(manifest.text).object
        #expect(json?["cells"]?.array?.count == 2)
        #expect(json?["seed"]?.string == "18446744073709551615")
    }

    @Test("a file that is not a manifest is refused clearly")
    func badManifest() {
        #expect(throws: SweepError("x/sweep.json: not a genwindow sweep manifest")) {
            _ = try SweepManifest(parsing: "{\"format\":\"other\"}", path: "x/sweep.json")
        }
        #expect(throws: SweepError.self) { _ = try SweepManifest(parsing: "{", path: "x/sweep.json") }
    }

    @Test("resume skips completed and diverged cells and restarts the rest")
    func resume() throws {
        let config = SweepConfig(model: "rf", sizeOption: "p", grid: SweepGrid(n: [1, 2, 3, 4, 5, 6], p: [10], seed: 0),
                                 trainArguments: [])
        let states: [Int: RunFileState] = [1: .ended(.completed), 2: .ended(.diverged), 3: .ended(.interrupted),
                                           4: .open, 5: .missing, 6: .unreadable("bad header")]
        let plan = try ResumePlan.make(config: config, existing: nil, manifestPath: "d/sweep.json") { states[$0.n]! }
        #expect(plan.toRun.map(\.n) == [3, 4, 5, 6])
        #expect(plan.manifest.cells.map(\.status) == [.completed, .diverged, .interrupted, .failed, .pending, .failed])
    }

    @Test("a cell whose run stopped itself early is finished: skipped on resume, its status read back from the manifest")
    func earlyStoppedCellsAreFinished() throws {
        let config = SweepConfig(model: "ddpm", sizeOption: "width", grid: SweepGrid(n: [1, 2], p: [10], seed: 0),
                                 trainArguments: ["--stop-when", "window"])
        let plan = try ResumePlan.make(config: config, existing: nil, manifestPath: "d/sweep.json") {
            $0.n == 1 ? .ended(.earlyStop) : .ended(.interrupted)
        }
        #expect(plan.toRun.map(\.n) == [2])
        #expect(plan.manifest.cells.map(\.status) == [.earlyStop, .interrupted] && CellStatus.earlyStop.isFinished)
        #expect(CellStatus(rawValue: "early_stop") == .earlyStop)
    }

    @Test("a folder holding a different sweep is an error naming the difference")
    func differentConfig() throws {
        let a = SweepConfig(model: "rf", sizeOption: "p", grid: SweepGrid(n: [10], p: [20], seed: 0), trainArguments: ["--steps", "5"])
        var b = a
        b.trainArguments = ["--steps", "6"]
        var c = a
        c.grid.p = [20, 40]
        for other in [b, c] {
            #expect {
                _ = try ResumePlan.make(config: other, existing: SweepManifest(config: a), manifestPath: "d/sweep.json") { _ in .missing }
            } throws: { error in
                let m = (error as? SweepError)?.message ?? ""
                return m.hasPrefix("d/sweep.json belongs to a different sweep") && (m.contains("--steps") || m.contains("p [20]"))
            }
        }
        let same = try ResumePlan.make(config: a, existing: SweepManifest(config: a), manifestPath: "d/sweep.json") { _ in .missing }
        #expect(same.toRun.count == 1)
    }

    @Test("progress: ETA from finished cells, one line per state")
    func progress() {
        var p = SweepProgress(total: 6, skipped: 1, pending: 2, workers: 2)
        #expect(p.eta(now: 0) == nil)
        p.durations = [10, 20]
        p.running = [("n1-p1", 100)]
        p.failed = [("n2-p1", "exit 1, see n2-p1.log")]
        // mean 15: the running cell has 15 − 5 left, two pending cells 30, shared by two workers.
        #expect(p.eta(now: 105) == 20)
        let lines = p.lines(now: 105)
        #expect(lines == ["done 3/6  running 1  failed 1  pending 2  ETA 20s",
                          "  running: n1-p1 (5s)", "  failed:  n2-p1 (exit 1, see n2-p1.log)"])
        #expect(SweepProgress.duration(185) == "3m05s")
        #expect(SweepProgress.duration(3720) == "1h02m")
    }
}
