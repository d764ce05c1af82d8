import Datasets
import Diffusion
import Foundation
import NumericCore
import RunFormat

/// Trains the MLP ε-denoiser on a dataset, evaluating on log-spaced steps (docs/science.md §2–3).
public final class DDPMJob: TrainingJob {
    public let header: RunHeader
    public let settings: DDPMSettings
    public let dataset: Dataset
    public let trainer: DiffusionTrainer
    let evaluator: DDPMEvaluator
    /// The `--stop-when` rule at work (nil: the run goes to its last step).
    let stopper: EarlyStopper?
    private let classes: Int
    /// The log-spaced steps at which the model is evaluated, and the index of the next one to do.
    let evalSteps: [Int]
    var nextEval = 0
    /// Training steps done (restored when resuming).
    var step = 0
    /// The global gradient norm of the last step (before clipping): `grad_norm` of the next evaluation (nil before
    /// the first step, and after resuming from a state saved without it).
    var gradientNorm: Double?

    /// Loads the data and allocates the model; throws on data problems.
    public init(settings: DDPMSettings, created: String) throws {
        self.settings = settings
        dataset = try DatasetLoader.load(settings.data, n: settings.n, testCount: settings.testCount,
                                         seed: settings.seed, scaling: settings.scaling)
        try settings.checkQuantization(dataset: dataset)
        if settings.labels == .true && dataset.classes == 0 {
            throw DatasetError("--labels true needs a labelled dataset; \(dataset.name) has no labels")
        }
        classes = settings.classCount(dataset: dataset)
        let labels = settings.trainingLabels(dataset: dataset)
        let config = MLPConfig(dimension: dataset.dimension, width: settings.width, depth: settings.depth,
                               timeEmbedding: settings.timeEmbedding, layerNorm: settings.layerNorm, classes: classes)
        let batch = settings.effectiveBatch
        let network = MLPNetwork(config, maxRows: max(batch, 128))
        trainer = DiffusionTrainer(network: network, parameters: network.initialParameters(seed: settings.seed),
                                   training: dataset.train, labels: labels, schedule: NoiseSchedule(settings.schedule),
                                   optimizer: settings.optimizer, batch: batch, ema: settings.ema,
                                   labelDropout: settings.labelDropout, seed: settings.seed)
        evaluator = try DDPMEvaluator(settings: settings, dataset: dataset, trainingLabels: labels, classes: classes)
        let timescales = evaluator.timescales
        stopper = settings.stopWhen.map {
            EarlyStopper(rule: $0, generalization: timescales.generalization, memorization: timescales.memorization)
        }
        var headerConfig = settings.headerConfig(model: "ddpm", dataset: dataset)
        headerConfig["tau_gen_rule"] = .string(evaluator.timescales.generalization.description)
        headerConfig["tau_mem_rule"] = .string(evaluator.timescales.memorization.description)
        headerConfig["parameters"] = .number(Double(network.layout.count))
        header = RunHeader(created: created, model: "ddpm", config: headerConfig)
        evalSteps = DDPMEvaluator.schedule(total: settings.steps, perDecade: settings.evalsPerDecade)
    }

    public var totalSteps: Int? { settings.steps }

    /// Marks the current step with `label` and saves a checkpoint there (named in the mark).
    private func mark(_ label: String, context: TrainingContext) throws {
        let path = TrainingRunner.checkpointPath(forRun: context.runPath ?? "genwindow-run", step: step)
        try saveCheckpoint(to: path)
        try context.emit(.mark(MarkRecord(step: step, label: label, checkpoint: (path as NSString).lastPathComponent)))
    }

    public func run(_ context: TrainingContext) throws -> EndRecord {
        guard let inception = evaluator.inception else { return try train(context) }
        // The Inception worker's GEMMs run on one BLAS thread, and OpenBLAS's thread count is process-wide: training
        // keeps to one thread too, so its results do not depend on when the FIDs run.
        inception.start()
        defer { inception.stop() }
        return try BLASRuntime.withThreads(1) { try train(context) }
    }

    private func train(_ context: TrainingContext) throws -> EndRecord {
        let denoiser = MLPDenoiser(network: trainer.network, parameters: trainer.evaluationParameters)
        while true {
            var evaluated = try evaluator.recordInceptionFIDs(context: context, wait: false)
            if nextEval < evalSteps.count && evalSteps[nextEval] == step {
                nextEval += 1
                guard try evaluator.evaluate(denoiser, step: step, gradientNorm: gradientNorm, context: context) else {
                    return try diverged(step: step, context: context, why: "non-finite model outputs")
                }
                evaluated = true
            }
            if evaluated, let end = try stopEarly(context) { return end }
            try context.takeMarkRequests { try mark($0, context: context) }
            if step >= settings.steps { break }
            try context.waitWhilePaused { try mark($0, context: context) }
            if context.shouldStop {
                try context.saveState(captureState())
                try evaluator.emitTimescales(final: true, context: context)
                return EndRecord(step: step, reason: .interrupted)
            }
            let loss = trainer.step()
            step += 1
            gradientNorm = trainer.lastGradientNorm
            guard loss.isFinite else {
                return try diverged(step: step, context: context, why: "non-finite loss or gradient")
            }
            try context.progress(step: step)
            if context.checkpointIsDue { try context.saveState(captureState()) }
        }
        try evaluator.recordInceptionFIDs(context: context, wait: true)
        try evaluator.emitTimescales(final: true, context: context)
        stopper?.discard(run: context.runPath)
        if let run = context.runPath {
            try saveCheckpoint(to: TrainingRunner.checkpointPath(forRun: run, step: step))
        }
        return EndRecord(step: step, reason: .completed)
    }

    /// After an evaluation (or FIDs arriving): the `early_stop` end when the `--stop-when` rule is met — FIDs
    /// still being computed are recorded first, then the final events — with its checkpoint; nil to go on.
    private func stopEarly(_ context: TrainingContext) throws -> EndRecord? {
        guard let stopper else { return nil }
        let series = evaluator.timescales
        let outcome = try stopper.afterEvaluation(step: step, fid: series.fidSeries, mem: series.memSeries,
                                                  tauMemConfirmed: stopper.memorizationConfirmed(series.memSeries),
                                                  run: context.runPath) { try saveCheckpoint(to: $0) }
        guard let outcome else { return nil }
        try evaluator.recordInceptionFIDs(context: context, wait: true)
        try evaluator.emitTimescales(final: true, context: context)
        return try stopper.end(outcome, step: step, fid: evaluator.timescales.fidSeries, run: context.runPath,
                               extra: JSONObject()) { try saveCheckpoint(to: $0) }
    }

    private func diverged(step: Int, context: TrainingContext, why: String) throws -> EndRecord {
        stopper?.discard(run: context.runPath)
        try context.emit(.event(EventRecord(kind: EventKind.diverged, step: step, fields: ["reason": .string(why)])))
        return EndRecord(step: step, reason: .diverged)
    }

    public func saveCheckpoint(to path: String) throws {
        var meta = ["data": dataset.name, "labels": settings.labels.rawValue, "seed": "\(settings.seed)",
                    "scaling": settings.scaling.rawValue, "shape": dataset.shape.map(String.init).joined(separator: "x"),
                    "sample_steps": "\(settings.sampleSteps)", "guidance": "\(settings.guidance)"]
        if !dataset.offset.isEmpty { meta["offset"] = dataset.offset.map { "\($0)" }.joined(separator: ",") }
        let checkpoint = Checkpoint(config: trainer.network.config, schedule: settings.schedule, scheduleSteps: 1000,
                                    step: trainer.completedSteps, metadata: meta, parameters: trainer.parameters.array,
                                    emaParameters: trainer.ema?.weights.array)
        try AtomicFile.write(checkpoint.encode(), to: path)
    }
}
