import Datasets
import Diffusion
import NumericCore
import RunFormat

/// Evaluates the exact empirical-optimal denoiser once (no training), so its losses, memorized fraction and FID
/// land in a run file like any trained model's.
public final class OptimalJob: TrainingJob {
    public let header: RunHeader
    public let settings: DDPMSettings
    public let dataset: Dataset
    private let evaluator: DDPMEvaluator

    public init(settings: DDPMSettings, created: String) throws {
        var s = settings
        s.labels = .none
        self.settings = s
        dataset = try DatasetLoader.load(s.data, n: s.n, testCount: s.testCount, seed: s.seed, scaling: s.scaling)
        try s.checkQuantization(dataset: dataset)
        evaluator = try DDPMEvaluator(settings: s, dataset: dataset, trainingLabels: [], classes: 0)
        var config = s.headerConfig(model: "optimal", dataset: dataset)
        config["tau_mem_rule"] = .string(evaluator.timescales.memorization.description)
        header = RunHeader(created: created, model: "optimal", config: config)
    }

    public var totalSteps: Int? { 0 }

    public func run(_ context: TrainingContext) throws -> EndRecord {
        let denoiser = OptimalDenoiser(training: dataset.train, schedule: evaluator.schedule)
        guard try evaluator.evaluate(denoiser, step: 0, gradientNorm: nil, context: context) else {
            try context.emit(.event(EventRecord(kind: EventKind.diverged, step: 0)))
            return EndRecord(step: 0, reason: .diverged)
        }
        return EndRecord(step: 0, reason: .completed)
    }

    /// The optimum is determined by its training set: saves that (n×d float32 .npy, atomically).
    public func saveCheckpoint(to path: String) throws {
        try AtomicFile.write(NpyArray(dataset.train).encode(), to: path)
    }
}
