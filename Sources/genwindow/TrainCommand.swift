import ArgumentParser
import RunFiles
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

    func run() async throws {
        let job: TrainingJob
        switch common.model {
        case .rf: job = try rf.makeJob(common: common)
        case .ddpm, .optimal: job = try ddpm.makeJob(common: common)
        }
        let path = try common.resolvedOutputPath()
        let writer: RunWriter
        do {
            writer = try RunWriter(creating: path, header: job.header, overwrite: common.force)
        } catch let error as RunFileError {
            throw RuntimeError("\(error)")
        }
        try await HeadlessTraining.run(job, writer: writer)
    }
}
