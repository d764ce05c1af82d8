import Datasets
import Diffusion
import Foundation
import NumericCore
import RunFormat

/// Evaluates a denoiser during training: fixed-time train/test losses, m samples from a fixed seed, their
/// memorized fraction with its bootstrap interval, the data-space FID against the held-out set, a preview of a
/// few samples with their nearest training images, and the tau_gen / tau_mem events.
final class DDPMEvaluator {
    let settings: DDPMSettings
    let dataset: Dataset
    let schedule: NoiseSchedule
    let sampler: Sampler
    private let trainLoss: FixedTimeLoss
    private let testLoss: FixedTimeLoss
    private let sampleLabels: [Int32]?
    private let nullClass: Int
    private var fidHistory: [(step: Int, fid: Double)] = []
    private var tauGenFound = false
    private var tauMemFound = false
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
        if let dir = settings.exportSamples {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try NpyArray(dataset.train).write(path: "\(dir)/train.npy")
        }
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

    /// Emits the metrics record (and samples, events); returns false when the model's outputs are not finite.
    func evaluate(_ denoiser: Denoiser, step: Int, context: TrainingContext) throws -> Bool {
        let model: Denoiser = sampleLabels != nil && settings.guidance != 1
            ? GuidedDenoiser(denoiser, scale: Float(settings.guidance), nullClass: nullClass) : denoiser
        let train = trainLoss.evaluate(model)
        let test = testLoss.evaluate(model)
        let samples = sampler.sample(model, count: settings.evalSamples, labels: sampleLabels, seed: settings.seed)
        let finite = samples.storage.withUnsafeBufferPointer { Elementwise.allFinite($0) } && train.isFinite
        var record = MetricsRecord(step: step, timeSeconds: context.elapsedSeconds,
                                   values: [("train_loss", train), ("test_loss", test)])
        guard finite else {
            try context.emit(.metrics(record))
            return false
        }
        if let dir = settings.exportSamples { try NpyArray(samples).write(path: "\(dir)/samples_step\(step).npy") }
        let ratios = NeighbourRatios(samples: samples, training: dataset.train)
        let mem = ratios.memorizedFraction(k: settings.memK, resamples: settings.bootstrapResamples, seed: settings.seed)
        let fid = (try? DataFrechet.between(samples, dataset.test.rows > 1 ? dataset.test : dataset.train)) ?? .nan
        record.set("mem_frac", mem.frac)
        record.set("mem_frac_ci_low", mem.low)
        record.set("mem_frac_ci_high", mem.high)
        record.set("fid", fid.isFinite ? fid : nil)
        record.extra = ["fid_features": "data", "samples": .number(Double(settings.evalSamples))]
        try context.emit(.metrics(record))
        try context.emit(preview(samples: samples, ratios: ratios, step: step))
        try detectTimes(step: step, fid: fid, memLow: mem.low, memFrac: mem.frac, context: context)
        return true
    }

    private func detectTimes(step: Int, fid: Double, memLow: Double, memFrac: Double, context: TrainingContext) throws {
        if !tauMemFound && memLow > 0 {
            tauMemFound = true
            try context.emit(.event(EventRecord(kind: "tau_mem", step: step,
                                                fields: ["mem_frac": .number(memFrac), "mem_frac_ci_low": .number(memLow)])))
        }
        guard fid.isFinite else { return }
        fidHistory.append((step, fid))
        guard !tauGenFound, let found = DDPMEvaluator.plateau(fidHistory, tolerance: settings.fidPlateau) else { return }
        tauGenFound = true
        try context.emit(.event(EventRecord(kind: "tau_gen", step: found.step,
                                            fields: ["fid": .number(found.fid), "detected_at": .number(Double(step))])))
    }

    /// tau_gen: the first evaluation (step s > 0, FID f) after which FID improved by less than `tolerance`·f
    /// over at least a doubling of training time (evaluations up to ≥ 2s seen). Detected with that lag.
    static func plateau(_ history: [(step: Int, fid: Double)], tolerance: Double) -> (step: Int, fid: Double)? {
        guard let last = history.last?.step else { return nil }
        for (j, h) in history.enumerated() where h.step > 0 && last >= 2 * h.step {
            let later = history[(j + 1)...].map(\.fid).min() ?? h.fid
            if later >= h.fid * (1 - tolerance) { return h }
        }
        return nil
    }

    /// A `samples` record: the first few samples and their nearest training points as 8-bit pixel intensities
    /// (row-major, `shape`), with their distance ratios.
    private func preview(samples: Matrix<Float>, ratios: NeighbourRatios, step: Int) -> RunRecord {
        let count = min(DDPMEvaluator.previewCount, samples.rows), d = samples.cols
        func quantize(_ m: Matrix<Float>, row: Int) -> JSONValue {
            .array((0..<d).map { j in
                let v = dataset.pixelIntensity(m[row, j], feature: j)
                return .number(Double(Int((min(max(v, 0), 1) * 255).rounded())))
            })
        }
        return .other(type: "samples", fields: [
            "step": .number(Double(step)),
            "shape": .array(dataset.shape.map { .number(Double($0)) }),
            "samples": .array((0..<count).map { quantize(samples, row: $0) }),
            "neighbours": .array((0..<count).map { quantize(dataset.train, row: ratios.nearest[$0]) }),
            "ratios": .array((0..<count).map { .number((ratios.ratio[$0] * 1e4).rounded() / 1e4) }),
        ])
    }
}
