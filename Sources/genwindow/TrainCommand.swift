import ArgumentParser
import RunFiles
import Training

/// `genwindow train`: trains one model headless, writing its run file.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model and write its run file."
    )

    @OptionGroup var common: TrainCommonOptions
    @OptionGroup var ddpm: DDPMTrainOptions

    func run() async throws {
        let job: TrainingJob
        switch common.model {
        case .ddpm, .optimal: job = try ddpm.makeJob(common: common)
        case .rf: throw ValidationError("the rf model is not part of this build")
        }
        let path = try common.resolvedOutputPath()
        let writer: RunWriter
        do {
            writer = try RunWriter(creating: path, header: job.header, overwrite: common.force)
        } catch {
            throw RuntimeError("\(error)")
        }
        try await HeadlessTraining.run(job, writer: writer)
    }
}
