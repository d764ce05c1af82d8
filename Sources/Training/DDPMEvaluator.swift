import Datasets
import Diffusion
import Foundation
import Inception
import Metrics
import NumericCore
import RunFormat

/// Evaluates a denoiser during training: fixed-time train/test losses, m samples from a fixed seed, their
/// memorized fraction with its bootstrap interval and the data-space FID against a fixed held-out reference
/// (both from `Metrics`), a preview of a few samples with their nearest training images, and the tau_gen /
/// tau_mem / early_stop events of `Metrics`' detectors. With Inception features (`settings.inception`) the FID
/// is computed by `InceptionFIDWorker` off the training thread and recorded later, at its samples' step.
final class DDPMEvaluator {
    let settings: DDPMSettings
    let dataset: Dataset
    let schedule: NoiseSchedule
    let sampler: Sampler
    private let trainLoss: FixedTimeLoss
    private let testLoss: FixedTimeLoss
    private let sampleLabels: [Int32]?
    private let nullClass: Int
    private let space = DataFeatureSpace()
    /// The data-space reference; nil with Inception features.
    private let reference: FrechetReference?
    /// The Inception FID worker; nil for the Fréchet distance in data space.
    let inception: InceptionFIDWorker?
    /// The FID and f_mem series and the events announced from them (saved and restored with the run's state).
    var timescales: TimescaleEmitter
    static let previewCount = 8

    init(settings: DDPMSettings, dataset: Dataset, trainingLabels: [Int32], classes: Int) throws {
        self.settings = settings
        self.dataset = dataset
        schedule = NoiseSchedule(settings.schedule)
        sampler = Sampler(kind: settings.sampler, steps: settings.sampleSteps, schedule: schedule)
        let k = schedule.step(nearestTime: settings.lossTime)
        trainLoss = FixedTimeLoss(points: dataset.train, labels: trainingLabels, schedule: schedule, step: k,
                                  draws: settings.lossDraws, seed: settings.seed)
        let testLabels = settings.testLabels(dataset: dataset, classes: classes)
        testLoss = FixedTimeLoss(points: dataset.test, labels: testLabels, schedule: schedule, step: k,
                                 draws: settings.lossDraws, seed: settings.seed &+ 1)
        sampleLabels = trainingLabels.isEmpty ? nil
            : (0..<settings.evalSamples).map { trainingLabels[$0 % trainingLabels.count] }
        nullClass = classes
        let referenceSplit = dataset.test.rows >= 2 ? dataset.test : dataset.train
        if let fid = settings.inception {
            inception = try Self.inceptionWorker(fid, settings: settings, dataset: dataset, referenceSplit: referenceSplit)
            reference = nil
        } else {
            inception = nil
            reference = try FrechetReference(testSplit: referenceSplit, size: settings.testCount, seed: settings.seed,
                                             space: space)
        }
        timescales = TimescaleEmitter(
            generalization: settings.generalization,
            memorization: MemorizationCriterion(lowerBoundAbove: 0, fractionFloor: settings.memFloor,
                                                persistence: MemorizationCriterion.standard.persistence))
        if let dir = settings.exportSamples {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try NpyArray(dataset.train).write(path: "\(dir)/train.npy")
        }
    }

    /// The worker of `--fid-features inception`, with the network loaded and the reference fitted (before training;
    /// the images are the data-space reference's rows); throws one line for non-image data, a bad sample count or
    /// unusable weights.
    private static func inceptionWorker(_ fid: InceptionFIDSettings, settings: DDPMSettings, dataset: Dataset,
                                        referenceSplit: Matrix<Float>) throws -> InceptionFIDWorker {
        guard dataset.isImage else {
            throw DatasetError("--fid-features inception needs image data (digits, fashion-mnist or png:DIR), not \(dataset.name)")
        }
        guard (2...settings.evalSamples).contains(fid.samples) else {
            throw DatasetError("--fid-samples must be in 2…\(settings.evalSamples) (--eval-samples), got \(fid.samples)")
        }
        let network: InceptionNetwork
        do {
            network = try InceptionNetwork(weights: InceptionWeights(directory: fid.weightsDirectory))
        } catch let e as InceptionWeightsError {
            throw DatasetError(e.message)
        }
        let rows = FrechetReference.chosenRows(available: referenceSplit.rows, size: settings.testCount, seed: settings.seed)
        return InceptionFIDWorker.prepare(network: network,
                                          reference: InceptionFIDWorker.images(referenceSplit, rows: rows, dataset: dataset),
                                          cache: StatisticsCache(directory: fid.statisticsDirectory), share: fid.share)
    }

    /// Log-spaced evaluation steps in 0…total: 0, then round(10^(i/perDecade)) deduplicated, and `total`.
    static func schedule(total: Int, perDecade: Int) -> [Int] {
        var steps = [0]
        var i = 0
        while true {
            let s = Int(pow(10, Double(i) / Double(perDecade)).rounded())
            if s >= total { break }
            if s > steps.last! { steps.append(s) }
            i += 1
        }
        if total > 0 { steps.append(total) }
        return steps
    }

    /// Emits the metrics record (and samples, events), with the last step's `gradientNorm` when there is one;
    /// returns false when the model's outputs are not finite.
    func evaluate(_ denoiser: Denoiser, step: Int, gradientNorm: Double?, context: TrainingContext) throws -> Bool {
        let model: Denoiser = sampleLabels != nil && settings.guidance != 1
            ? GuidedDenoiser(denoiser, scale: Float(settings.guidance), nullClass: nullClass) : denoiser
        let train = trainLoss.evaluate(model)
        let test = testLoss.evaluate(model)
        let samples = sampler.sample(model, count: settings.evalSamples, labels: sampleLabels, seed: settings.seed)
        let finite = samples.storage.withUnsafeBufferPointer { Elementwise.allFinite($0) } && train.isFinite
        var record = MetricsRecord(step: step, timeSeconds: context.elapsedSeconds,
                                   values: [(MetricName.trainLoss, train), (MetricName.testLoss, test)])
        if let gradientNorm { record.set(MetricName.gradNorm, gradientNorm) }
        guard finite else {
            try context.emit(.metrics(record))
            return false
        }
        if let dir = settings.exportSamples { try NpyArray(samples).write(path: "\(dir)/samples_step\(step).npy") }
        let mem = MemorizedFraction.measure(samples: samples, training: dataset.train, k: settings.memK,
                                            bootstrapResamples: settings.bootstrapResamples, seed: settings.seed,
                                            quantize8Bit: settings.quantize)
        record.set(MetricName.memFrac, mem.memFrac)
        record.set(MetricName.memFracCILow, mem.ciLow)
        record.set(MetricName.memFracCIHigh, mem.ciHigh)
        if let inception, let fid = settings.inception {
            let images = InceptionFIDWorker.images(samples, rows: Array(0..<fid.samples), dataset: dataset)
            let queued = inception.offer(InceptionFIDWorker.Job(step: step, images: images), elapsed: context.elapsedSeconds)
            record.extra = ["samples": .number(Double(mem.count)), "fid_queued": .bool(queued)]
        } else if let reference {
            let fid = (try? reference.distance(to: samples, in: space)) ?? .nan
            record.set(MetricName.fid, fid.isFinite ? fid : nil)
            record.extra = ["fid_features": .string(space.name), "samples": .number(Double(mem.count))]
            if fid.isFinite { timescales.addFID(step: step, value: fid) }
        }
        try context.emit(.metrics(record))
        try context.emit(preview(samples: samples, memorization: mem, step: step))
        timescales.addMemorization(MemorizationPoint(step: step, memFrac: mem.memFrac, ciLow: mem.ciLow))
        try emitTimescales(final: false, context: context)
        return true
    }

    /// Records the Inception FIDs finished so far (all of those queued, waiting for them, with `wait`): one
    /// metrics record each at the step of its samples (earlier than records already written; readers order by
    /// step), with `fid_features` "inception", the samples it used and the worker's busy seconds so far; then the
    /// events they move.
    /// Returns whether any arrived.
    @discardableResult
    func recordInceptionFIDs(context: TrainingContext, wait: Bool) throws -> Bool {
        guard let inception else { return false }
        let results = wait ? inception.waitForAll() : inception.takeFinished()
        guard !results.isEmpty else { return false }
        for r in results {
            var record = MetricsRecord(step: r.step, timeSeconds: context.elapsedSeconds,
                                       values: [("fid", r.fid.isFinite ? r.fid : nil)])
            record.extra = ["fid_features": "inception", "samples": .number(Double(r.samples)),
                            "inception_busy_s": .number((r.busySeconds * 1000).rounded() / 1000),
                            "reference_cached": .bool(r.referenceCached)]
            try context.emit(.metrics(record))
            if r.fid.isFinite { timescales.addFID(step: r.step, value: r.fid) }
        }
        try emitTimescales(final: false, context: context)
        return true
    }

    /// Emits the tau_gen / tau_mem (and with `final`, early_stop) events that are new or moved since the last
    /// call (`TimescaleEmitter`).
    func emitTimescales(final: Bool, context: TrainingContext) throws {
        for event in timescales.events(final: final) { try context.emit(.event(event)) }
    }

    /// A `samples` record: the first few samples and their nearest training points as 8-bit pixel intensities
    /// (row-major, `shape`), with their distance ratios.
    private func preview(samples: Matrix<Float>, memorization: MemorizationResult, step: Int) -> RunRecord {
        PreviewRecord.samples(step: step, shape: dataset.shape, count: min(DDPMEvaluator.previewCount, samples.rows),
                              pixels: samples.cols, samples: samples, training: dataset.train, memorization: memorization) {
            dataset.pixelIntensity($0[$1, $2], feature: $2)
        }
    }
}
