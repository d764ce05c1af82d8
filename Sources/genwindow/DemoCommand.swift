import ArgumentParser
import Foundation
import RunFiles
import RunFormat
import Sweeps
import Training

/// `genwindow demo`, what `genwindow` with no arguments opens: the generative random-features model trained at
/// twelve (n, p) cells in turn, live. Each run fills the loss chart with both times and the window between them,
/// the f_mem and FID sparklines and the samples pane; the phase diagram fills cell by cell as runs end, and the
/// tau_mem ∝ n forecast appears once two runs of a p have reached tau_mem. About two minutes on two cores.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train the generative RF model at twelve (n, p) cells in turn, live (what `genwindow` opens).",
        discussion: """
            Each cell is the run `genwindow train --model rf --d 8 --t 0.1 --generative --n N --p P` (written to \
            OUT/nN-pP.jsonl, replaced if it exists): p = 512 with n = 4, 16, 64, 256, then p = 128 and p = 1024 with \
            the same n. \
            Afterwards `genwindow phase OUT` prints the diagram and `genwindow replay OUT/n64-p512.jsonl` steps \
            through a run.
            """
    )

    @Option(help: "Folder of the demo's run files (created if missing).")
    var out = "runs/demo"

    @Flag(help: "Train without the dashboard, printing one line per run (for pipes and CI).")
    var headless = false

    @OptionGroup var threads: ThreadsOption
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        threads.apply()
        let settings = try display.settings()
        if !headless { try DashboardSession.requireTerminal() }
        do { try SweepFiles.createDirectory(out) } catch { throw RuntimeError(error.message) }
        let stages = DemoPlan.stages(directory: out)
        // An earlier demo's cells go first, so the phase diagram fills with this demo's runs as they end.
        for stage in stages where FileManager.default.fileExists(atPath: stage.path) {
            do { try FileManager.default.removeItem(atPath: stage.path) } catch { throw RuntimeError("\(stage.path): cannot replace it") }
        }
        if headless {
            // One set of traps for the whole sequence: a signal during a cell's setup stops that cell at once.
            let signals = StopSignals()
            for stage in stages {
                print("demo \(stage.label): genwindow train \(stage.arguments.joined(separator: " ")) --out \(stage.path)")
                let job = try stage.makeJob()
                let writer = try stage.makeWriter(header: job.header)
                try await HeadlessTraining.run(job, writer: writer, quiet: true, signals: signals)
            }
        } else {
            let runner = TrainingRunner()
            let driver = Task.detached { () -> String? in
                defer { runner.finishUpdates() }
                return await DemoPlan.train(stages, runner: runner)
            }
            do {
                try await DashboardSession.live(updates: runner.updates, control: runner.control, sweepDirectory: out,
                                                display: settings)
            } catch {
                await runner.stop()
                _ = await driver.value
                throw error
            }
            await runner.stop()
            if let failure = await driver.value { throw RuntimeError(failure) }
        }
        print("demo runs in \(out): `genwindow phase \(out)` prints the phase diagram, `genwindow watch \(out)` shows them")
    }
}

/// The demo's cells and how each is trained.
enum DemoPlan {
    /// One cell: its label and the `train` arguments that reproduce it.
    struct Stage: Sendable {
        var label: String
        var arguments: [String]
        var path: String

        /// Sets up the job: U, V and the score family.
        func makeJob() throws -> TrainingJob {
            let command = try TrainCommand.parse(arguments)
            return try command.rf.makeJob(common: command.common)
        }

        /// Creates the run file (replacing an earlier demo's).
        func makeWriter(header: RunHeader) throws -> RunWriter {
            do {
                return try RunWriter(creating: path, header: header, overwrite: true)
            } catch {
                throw RuntimeError("\(error)")
            }
        }
    }

    /// p = 512 first (its runs take seconds, so every pane fills at once), then the fast p = 128 and the slower
    /// p = 1024, which completes the three regions of the diagram.
    static let ps = [512, 128, 1024]
    static let ns = [4, 16, 64, 256]

    static func stages(directory: String) -> [Stage] {
        let cells = ps.flatMap { p in ns.map { n in (n: n, p: p) } }
        return cells.enumerated().map { i, cell in
            Stage(label: "\(i + 1)/\(cells.count) n=\(cell.n) p=\(cell.p)",
                  arguments: ["--model", "rf", "--d", "8", "--t", "0.1", "--generative", "--seed", "0",
                              "--n", "\(cell.n)", "--p", "\(cell.p)"],
                  path: (directory as NSString).appendingPathComponent("n\(cell.n)-p\(cell.p).jsonl"))
        }
    }

    /// Trains the stages one after another on `runner` (its updates are the dashboard's); a stop request or a
    /// run that did not complete ends the sequence. Returns a failure's one-line message, nil otherwise.
    static func train(_ stages: [Stage], runner: TrainingRunner) async -> String? {
        for stage in stages {
            if await runner.stopRequested { return nil }
            let job: TrainingJob, writer: RunWriter
            do {
                job = try stage.makeJob()
                writer = try stage.makeWriter(header: job.header)
            } catch {
                let message = "demo \(stage.label): \(error)"
                runner.reportFailure(message)
                return message
            }
            switch await runner.train(job, writer: writer, label: "demo " + stage.label) {
            case .failure(let failure): return "demo \(stage.label): training failed: \(failure.message)"
            case .success(let end) where !end.reason.isFinished: return nil
            case .success: continue
            }
        }
        return nil
    }
}
