import ArgumentParser
import Training

/// A model's own `train` options; it builds the job from them and the shared options.
protocol ModelTrainOptions: ParsableArguments {
    /// Checks the options for `common.model` and builds the job. Invalid settings throw `ValidationError`
    /// (exit 64) before anything large is allocated.
    func makeJob(common: TrainCommonOptions) throws -> TrainingJob
}
