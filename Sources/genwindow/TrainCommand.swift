import ArgumentParser
import Foundation
import RunFiles
import RunFormat
import Training

/// `genwindow train`: trains one model and writes its run file.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model and write its run (JSON Lines).",
        discussion: "Example: genwindow train --model rf --d 25 --p 1600 --n 100 --t 0.1 --headless --out run.jsonl"
    )

    @OptionGroup var common: TrainCommonOptions
    @OptionGroup var rf: RFTrainOptions
    @OptionGroup var ddpm: DDPMTrainOptions
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        common.threads.apply()
        if let resume = common.resume {
            if !common.headless { try DashboardSession.requireTerminal() }
            let checkpoint = try ResumeTraining.load(path: resume)
            let job = try ResumeTraining.job(checkpoint)
            let writer = try ResumeTraining.writer(checkpoint)
            let elapsed = checkpoint.elapsedSeconds
            if common.headless {
                try await HeadlessTraining.run(job, writer: writer, checkpointInterval: common.checkpointEvery,
                                               elapsedOffset: elapsed)
            } else {
                try await Self.trainLive(job, writer: writer, path: resume, checkpointInterval: common.checkpointEvery,
                                         elapsedOffset: elapsed, display: try display.settings())
            }
            return
        }
        let options: any ModelTrainOptions = common.model == .rf ? rf : ddpm
        try options.checkOptions(common: common)
        let settings = try display.settings()
        if !common.headless { try DashboardSession.requireTerminal() }
        let path = try common.resolvedOutputPath()
        var config = try options.preliminaryConfig(common: common)
        config["setup"] = .string(TrainingSetup.inProgress)
        let preliminary = RunHeader(created: iso8601Now(), model: common.model.rawValue, config: config)
        let common = common
        // Trapped from before the run file exists until training ends; the dashboard has traps of its own.
        let signals = StopSignals()
        let prepared = try await TrainingSetup.run(path: path, preliminary: preliminary, overwrite: common.force,
                                                   signals: signals) {
            try options.makeJob(common: common)
        }
        // Built on the setup thread, which no longer touches them: the runner's thread takes them over.
        nonisolated(unsafe) let job = prepared.job
        nonisolated(unsafe) let writer = prepared.writer
        if common.headless {
            try await HeadlessTraining.run(job, writer: writer, checkpointInterval: common.checkpointEvery,
                                           signals: signals)
        } else {
            signals.cancel()
            if let sig = signals.received {  // after the setup, before the dashboard's own traps
                try? writer.append(.end(EndRecord(step: 0, reason: .interrupted)))
                try? writer.close()
                writeStandardError("genwindow: \(TrainingSetup.signalName(sig)) before the first step; \(path) ends interrupted at step 0\n")
                Foundation.exit(128 + sig)
            }
            try await Self.trainLive(job, writer: writer, path: path, checkpointInterval: common.checkpointEvery,
                                     display: settings)
        }
    }

    /// Trains with the dashboard open. Quitting asks the job to stop; a terminating signal restores the terminal,
    /// lets the job write its "interrupted" end and checkpoint, then exits with 128 + the signal.
    static func trainLive(_ job: sending TrainingJob, writer: sending RunWriter, path: String, checkpointInterval: Double,
                          elapsedOffset: Double = 0, display: DisplaySettings = .standard) async throws {
        let runner = TrainingRunner()
        runner.start(job, writer: writer, checkpointInterval: checkpointInterval, elapsedOffset: elapsedOffset)
        do {
            try await DashboardSession.live(updates: runner.updates, control: runner.control, display: display)
        } catch {
            runner.control.requestStop()
            _ = await runner.result()
            throw error
        }
        switch await runner.result() {
        case .failure(let failure):
            throw RuntimeError("training failed: \(failure.message) (run file: \(path))")
        case .success(let end):
            print(ClosingLine.text(end: end, path: path))
            if end.reason == .diverged { throw ExitCode(1) }
        }
    }
}
