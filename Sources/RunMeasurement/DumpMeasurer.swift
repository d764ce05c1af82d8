import ExternalRuns
import Metrics
import NumericCore
import PNGFile
import RunFormat

/// Measures memorization on the sample dumps of a run genwindow did not train, one dump at a time, as genwindow's
/// DDPM measures its own samples at each evaluation: the memorized fraction (d1/d2 < k in pixel space) with its
/// bootstrap interval, the Fréchet distance against a held-out reference (in data, classifier or Inception
/// features: `ReferenceFit`), a preview of a few
/// samples beside their nearest training images, and the tau_gen / tau_mem / early_stop events by the DDPM's
/// rules (`TimescaleEmitter`).
///
/// Samples are mapped into the training rows' value range first (`ValueScale`). Not thread-safe: the event
/// state changes with every dump, so one measurer serves one run from one thread.
public final class DumpMeasurer {
    /// How dumps are measured; the defaults are those of genwindow's DDPM (`DDPMSettings`).
    public struct Settings: Sendable, Equatable {
        /// The memorization threshold on d1/d2.
        public var k: Double
        /// Bootstrap resamples of the memorized fraction's 95% interval.
        public var bootstrapResamples: Int
        /// Seeds the bootstrap.
        public var seed: UInt64
        /// Samples shown beside their nearest training rows in each preview.
        public var previewCount: Int
        /// tau_gen: the FID is within this fraction of its reference minimum (`--fid-plateau`).
        public var fidPlateau: Double
        /// tau_gen: evaluations the criterion must hold for (`--persistence`).
        public var persistence: Int
        /// tau_gen: the reference minimum is the lowest median of this many consecutive FIDs (`--fid-smoothing`).
        public var fidSmoothing: Int
        /// tau_gen: the fraction of its log fall the FID must have made (`--fid-fall`).
        public var fidFall: Double
        /// tau_mem: the memorized fraction is at least this (`--mem-floor`) with its interval above 0.
        public var memFloor: Double
        /// The Fréchet distance uses the first this many samples of each dump (nil: all), as `--fid-samples`.
        public var fidSamples: Int?

        public init(k: Double = 1.0 / 3, bootstrapResamples: Int = 1000, seed: UInt64 = 0, previewCount: Int = 8,
                    fidPlateau: Double = 0.25, persistence: Int = 3, fidSmoothing: Int = 3, fidFall: Double = 0.9,
                    memFloor: Double = 0.01, fidSamples: Int? = nil) {
            self.fidSamples = fidSamples
            self.k = k
            self.bootstrapResamples = bootstrapResamples
            self.seed = seed
            self.previewCount = previewCount
            self.fidPlateau = fidPlateau
            self.persistence = persistence
            self.fidSmoothing = fidSmoothing
            self.fidFall = fidFall
            self.memFloor = memFloor
        }

        /// The tau_gen rule, as the DDPM builds it.
        public var generalization: GeneralizationCriterion {
            .fidPlateau(relative: fidPlateau, persistence: persistence, smoothing: fidSmoothing, fall: fidFall)
        }

        /// The tau_mem rule, as the DDPM builds it.
        public var memorization: MemorizationCriterion {
            MemorizationCriterion(lowerBoundAbove: 0, fractionFloor: memFloor,
                                  persistence: MemorizationCriterion.standard.persistence)
        }
    }

    public let training: TrainingRows
    public let reference: TrainingRows?
    public let settings: Settings
    /// The reference and the feature space of the Fréchet distance (nil: no reference, no distance).
    public let fit: ReferenceFit?
    private var timescales: TimescaleEmitter

    /// A measurer against `reference` in `space` (data space by default); `fit`, when given, is the reference
    /// fitted once for a whole session (its rows are then `reference`'s). The reference is fitted on the first
    /// dump, not here. Throws one line when the settings are out of range or the reference's rows do not have
    /// the training rows' size.
    public init(training: TrainingRows, reference: TrainingRows?, settings: Settings = .init(),
                space: any FeatureSpace = DataFeatureSpace(), fit: ReferenceFit? = nil) throws {
        guard settings.k > 0, settings.k.isFinite, settings.bootstrapResamples >= 0, settings.previewCount >= 0,
              settings.fidPlateau > 0, settings.fidPlateau < 1, settings.persistence >= 1,
              settings.fidSmoothing >= 1, settings.fidFall >= 0, settings.fidFall < 1,
              settings.memFloor >= 0, settings.memFloor <= 1, (settings.fidSamples ?? 2) >= 2 else {
            throw ExternalRunError("measurement settings out of range: \(settings)")
        }
        guard training.rows.rows >= 2 else {
            throw ExternalRunError("\(training.label): needs at least 2 training rows, has \(training.rows.rows)")
        }
        if let reference, reference.dimension != training.dimension {
            throw ExternalRunError("\(reference.label): reference rows of \(Self.describe(reference)) do not match the training \(Self.describe(training))")
        }
        self.training = training
        self.reference = reference
        self.settings = settings
        if let fit {
            self.fit = fit
        } else if let reference, reference.rows.rows >= 2 {
            self.fit = ReferenceFit(reference: reference, trainingScale: training.scale, seed: settings.seed, space: space)
        } else {
            self.fit = nil
        }
        timescales = TimescaleEmitter(generalization: settings.generalization, memorization: settings.memorization)
    }

    /// What a run header records about the measurement.
    public var headerFields: JSONObject {
        var fields: JSONObject = [
            "train": .string(training.label), "n": .number(Double(training.rows.rows)),
            "d": .number(Double(training.dimension)), "train_scale": .string(training.scale.rawValue),
            "scale_rule": .string(ValueScale.rule), "mem_k": .number(settings.k),
            "bootstrap_resamples": .number(Double(settings.bootstrapResamples)),
            "tau_gen_rule": .string(settings.generalization.description),
            "fid_plateau": .number(settings.fidPlateau), "persistence": .number(Double(settings.persistence)),
            "fid_smoothing": .number(Double(settings.fidSmoothing)), "fid_fall": .number(settings.fidFall),
            "tau_mem_rule": .string(settings.memorization.description),
        ]
        if let fit {
            fields["reference"] = .string(fit.reference.label)
            fields["reference_count"] = .number(Double(fit.reference.rows.rows))
            fields["fid_features"] = .string(fit.space.name)
            if let k = settings.fidSamples { fields["fid_samples"] = .number(Double(k)) }
        }
        if let shape = training.imageShape { fields["shape"] = .array(shape.map { .number(Double($0)) }) }
        return fields
    }

    /// Measures a `np.save` dump at `step` (`name`, its file name, heads errors): the metrics record, the
    /// preview and the events it moves. Throws one line when its samples do not have the training rows' shape
    /// or hold values that are not finite.
    public func measure(_ dump: NpyArray, step: Int, name: String? = nil) throws -> [RunRecord] {
        let label = name ?? "the samples at step \(step)"
        let read: (rows: Matrix<Float>, imageShape: [Int])
        do {
            read = try SampleDump.rows(dump, channels: training.channels)
        } catch {
            throw ExternalRunError("\(label): \(error.message)")
        }
        guard fits(read.imageShape, values: read.rows.cols) else {
            let shape = "(" + dump.shape.map(String.init).joined(separator: ", ") + ")"
            throw ExternalRunError("\(label): samples of shape \(shape) do not match the training \(Self.describe(training))")
        }
        let scale = ValueScale.detect(read.rows.storage, isUInt8: dump.values.dtype == .uint8, training: training.scale)
        return try measure(samples: read.rows, scale: scale, step: step, label: label)
    }

    /// Measures a TensorBoard image summary (an `add_images` grid: 8 images per row, no padding) at its step:
    /// the grid is cut into images of the training images' size (grey: the mean of the PNG's channels; colour:
    /// RGB), the all-black cells that end its last row (the grid's padding) dropped, and measured as a uint8
    /// dump.
    public func measure(image: ImageEntry) throws -> [RunRecord] {
        let label = "image '\(image.tag)' at step \(image.step)"
        guard let shape = training.imageShape, let channels = training.channels, channels == 1 || channels == 3 else {
            throw ExternalRunError("\(label): the training \(Self.describe(training)) are not grey or RGB images")
        }
        let grid = try PNGFile.decode(image.png, name: label)
        let tiles: [[UInt8]]
        do {
            tiles = try ImageGrid.split(grid.pixels, width: grid.width, height: grid.height, channels: 3,
                                        tileWidth: shape[1], tileHeight: shape[0])
        } catch {
            throw ExternalRunError("\(label): \(error.message) (the training images are \(shape[1])×\(shape[0]))")
        }
        let columns = grid.width / shape[1]
        var count = tiles.count
        while count > max(tiles.count - columns + 1, 1), tiles[count - 1].allSatisfy({ $0 == 0 }) { count -= 1 }
        let d = training.dimension
        var samples = Matrix<Float>(rows: count, cols: d)
        for i in 0..<count {
            let tile = tiles[i]
            for p in 0..<(shape[0] * shape[1]) {
                if channels == 3 {
                    for c in 0..<3 { samples[i, 3 * p + c] = Float(tile[3 * p + c]) }
                } else {
                    samples[i, p] = (Float(tile[3 * p]) + Float(tile[3 * p + 1]) + Float(tile[3 * p + 2])) / 3
                }
            }
        }
        return try measure(samples: samples, scale: .bytes, step: image.step, label: label)
    }

    /// Takes in what an earlier session measured on the run (its metrics records with `mem_frac` or `fid`, and
    /// the tau_gen / tau_mem / early_stop events it wrote), so the events are found over the whole run and those
    /// already written are not written again.
    public func restore(_ records: [RunRecord]) {
        for record in records {
            switch record {
            case .metrics(let m):
                if let f = m[MetricName.memFrac], let low = m[MetricName.memFracCILow] {
                    timescales.addMemorization(MemorizationPoint(step: m.step, memFrac: f, ciLow: low))
                }
                if let fid = m[MetricName.fid], fid.isFinite { timescales.addFID(step: m.step, value: fid) }
            case .event(let e) where [EventKind.tauGen, EventKind.tauMem, EventKind.earlyStop].contains(e.kind):
                timescales.emitted[e.kind] = (e.step, e.fields["provisional"]?.bool ?? false)
            default: break
            }
        }
    }

    /// The run's final events: early_stop, and every event marked final.
    public func finish() -> [RunRecord] {
        timescales.events(final: true).map { .event($0) }
    }

    /// The records of one dump already read as rows in `scale`.
    private func measure(samples raw: Matrix<Float>, scale: ValueScale, step: Int, label: String) throws -> [RunRecord] {
        guard raw.rows >= 1 else { throw ExternalRunError("\(label): no samples") }
        guard raw.storage.allSatisfy(\.isFinite) else { throw ExternalRunError("\(label): samples hold values that are not finite") }
        let samples = scale.map(raw, to: training.scale)
        let mem = MemorizedFraction.measure(samples: samples, training: training.rows, k: settings.k,
                                            bootstrapResamples: settings.bootstrapResamples, seed: settings.seed)
        var record = MetricsRecord(step: step, timeSeconds: 0, values: [
            (MetricName.memFrac, mem.memFrac), (MetricName.memFracCILow, mem.ciLow), (MetricName.memFracCIHigh, mem.ciHigh)])
        record.extra = ["samples": .number(Double(mem.count)), "samples_scale": .string(scale.rawValue)]
        if let fit {
            let used = min(settings.fidSamples ?? samples.rows, samples.rows)
            let fid = (try? fit.get().distance(to: used == samples.rows ? samples : samples.rows(0..<used), in: fit.space)) ?? .nan
            record.set(MetricName.fid, fid.isFinite ? fid : nil)
            record.extra["fid_features"] = .string(fit.space.name)
            if used != samples.rows { record.extra["fid_samples"] = .number(Double(used)) }
            if fid.isFinite { timescales.addFID(step: step, value: fid) }
        }
        timescales.addMemorization(MemorizationPoint(step: step, memFrac: mem.memFrac, ciLow: mem.ciLow))
        return [.metrics(record), preview(samples: samples, memorization: mem, step: step)]
            + timescales.events(final: false).map { .event($0) }
    }

    /// A `samples` record as genwindow's DDPM writes it: the first few samples and their nearest training rows
    /// as 8-bit intensities (row-major, `shape`; colour images as the mean of their channels, shape [H, W], the
    /// grey the samples pane draws), with their distance ratios.
    private func preview(samples: Matrix<Float>, memorization: MemorizationResult, step: Int) -> RunRecord {
        let channels = training.channels ?? 1
        let scale = training.scale
        return PreviewRecord.samples(step: step, shape: training.imageShape.map { Array($0.prefix(2)) } ?? [training.dimension],
                                     count: min(settings.previewCount, samples.rows), pixels: training.dimension / channels,
                                     samples: samples, training: training.rows, memorization: memorization) { m, row, p in
            var sum: Float = 0
            for c in 0..<channels { sum += scale.intensity(m[row, p * channels + c]) }
            return sum / Float(channels)
        }
    }

    /// Whether samples of `shape` (a dump's per-sample shape) with `values` each are rows of the training set:
    /// the same number of values, and the same image shape (a trailing channel of 1 aside) unless one side is
    /// flat.
    private func fits(_ shape: [Int], values: Int) -> Bool {
        guard values == training.dimension else { return false }
        guard let imageShape = training.imageShape, shape.count >= 2 else { return true }
        func squeezed(_ s: [Int]) -> [Int] { s.count == 3 && s[2] == 1 ? Array(s.prefix(2)) : s }
        return squeezed(shape) == squeezed(imageShape)
    }

    /// "images (8, 8)" or "rows of 64 values".
    private static func describe(_ rows: TrainingRows) -> String {
        guard let shape = rows.imageShape else { return "rows of \(rows.dimension) values" }
        return "images (" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
