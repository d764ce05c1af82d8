import ArgumentParser
import RunFormat
import Training

/// A model's own `train` options; it builds the job from them and the shared options.
protocol ModelTrainOptions: ParsableArguments {
    /// Checks the options for `common.model` without building anything: `ValidationError` (exit 64) before the
    /// run file is created.
    func checkOptions(common: TrainCommonOptions) throws

    /// The settings known before the setup, for the run file's preliminary header (the full header, with what
    /// the setup resolves such as the RF learning rate, replaces it when the job is built).
    func preliminaryConfig(common: TrainCommonOptions) throws -> JSONObject

    /// Checks the options for `common.model` and builds the job. Invalid settings throw `ValidationError`
    /// (exit 64) before anything large is allocated.
    func makeJob(common: TrainCommonOptions) throws -> TrainingJob
}
