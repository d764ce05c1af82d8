import ArgumentParser
import ExternalRuns
import ExternalWatch
import Foundation
import RunFormat
import RunMeasurement
import Metrics

extension ExternalFormat: ExpressibleByArgument {}

/// How to read a run genwindow did not train: its format and which tags feed which series (`watch`, `replay`,
/// `export`).
struct ExternalInputOptions: ParsableArguments {
    @Option(help: "The input's format, instead of detecting it by content: tfevents, csv, jsonl or genwindow.")
    var format: ExternalFormat?

    @Option(help: "Which tags feed genwindow's series: train_loss=TAG,test_loss=TAG,mem_frac=TAG,fid=TAG (default: common names such as loss, train/loss, val/loss, eval/fid).")
    var map: String?

    /// The plain external source reading `path`, or nil for genwindow's own paths (a run file, a folder of run
    /// files, a path that does not exist yet).
    func source(path: String, live: Bool) throws -> (any RecordSource)? {
        if format == .genwindow { return nil }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if format == nil {
            if !exists { return nil }
            if isDirectory.boolValue && LogDirectory.runs(under: path).isEmpty { return nil }
        }
        do {
            return try ExternalSources.open(path: path, format: format, map: map, live: live)
        } catch let e as ExternalRunError where e.genwindowRun != nil {
            return nil
        } catch {
            throw RuntimeError("\(error)")
        }
    }
}

/// Options of `watch` and `replay` for runs genwindow did not train: how to read them, the samples to measure
/// memorization on, the training set they are compared to, and the record file.
struct ExternalRunOptions: ParsableArguments {
    @OptionGroup var input: ExternalInputOptions

    @Option(help: "A folder of sample dumps (.npy named by step: step_0001500.npy, samples-1500.npy) to measure memorization on; needs --train.")
    var samples: String?

    @Option(name: .customLong("samples-tag"), help: "The image-summary tag of sample grids in the event files (add_images) to measure memorization on; needs --train.")
    var samplesTag: String?

    @Option(help: "The training set the samples are compared to: a .npy file, png:DIR, or digits / fashion-mnist (with --n and --seed as in `train`).")
    var train: String?

    @Option(parsing: .unconditional, help: "With a built-in --train dataset: the number of training images, as `train --n`.")
    var n: Int?

    @Option(parsing: .unconditional, help: "With a built-in --train dataset: the seed that chose them, as `train --seed`.", transform: parseSeed)
    var seed: UInt64 = 0

    @Option(help: "Held-out rows for the Fréchet distance: a .npy file or png:DIR (default: a built-in --train dataset's test split; none for a file).")
    var reference: String?

    @Option(name: .customLong("fid-features"), help: "The feature space of the Fréchet distance against --reference: data (the pixels), classifier (a small classifier of the --train dataset: digits, fashion-mnist or png:DIR) or inception (FID as pytorch-fid computes it; image data).")
    var fidFeatures: MetricsFDCommand.Features = .data

    @Option(name: .customLong("fid-weights"), help: "With --fid-features inception: the folder of fid_inception.f32 and .tsv (default: beside the binary, else the cache folder; `make fid-weights` fetches them).")
    var fidWeights: String?

    @Option(name: .customLong("fid-samples"), parsing: .unconditional, help: "The Fréchet distance uses the first this many samples of each dump (default: all; Inception features take about 0.1–0.3 s per image here).")
    var fidSamples: Int?

    @Option(help: "The genwindow run file that keeps the measurements and marks (default RUN.genwindow.jsonl beside the run).")
    var record: String?

    /// Whether any option that only applies to an external run was given.
    var givesExternalOptions: Bool {
        input.map != nil || samples != nil || samplesTag != nil || train != nil || reference != nil || record != nil
    }

    func validate() throws {
        if (samples != nil || samplesTag != nil) && train == nil {
            throw ValidationError("--samples and --samples-tag need --train (the training set the samples are compared to)")
        }
        if train != nil && samples == nil && samplesTag == nil {
            throw ValidationError("--train is used with --samples DIR or --samples-tag TAG (the samples to measure)")
        }
        if let n, n < 2 { throw ValidationError("--n must be at least 2, got \(n)") }
        if fidFeatures != .inception && fidWeights != nil { throw ValidationError("--fid-weights applies only to --fid-features inception") }
        if let fidSamples, fidSamples < 2 { throw ValidationError("--fid-samples must be at least 2, got \(fidSamples)") }
        if train == nil && (fidFeatures != .data || fidSamples != nil) {
            throw ValidationError("--fid-features and --fid-samples apply to the samples measured with --samples or --samples-tag and --train")
        }
        if let samples {
            // A folder the training script has not created yet is awaited; a file is a mistake.
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: samples, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw ValidationError("--samples: \(samples) is not a folder")
            }
        }
    }

    /// The recorded external source reading `path`, or nil when `path` is genwindow's own (a run file, a folder
    /// of run files, a path that does not exist yet): then the caller opens it as before.
    func source(path: String, live: Bool) throws -> RecordingSource? {
        guard let inner = try input.source(path: path, live: live) else {
            if givesExternalOptions && !FileManager.default.fileExists(atPath: path) {
                throw RuntimeError("\(path): no such file or directory (start watching once the training script has created its log directory)")
            }
            if givesExternalOptions {
                throw RuntimeError("\(path): a genwindow run; --map, --samples, --samples-tag, --train, --reference and --record apply to runs genwindow did not train")
            }
            return nil
        }
        if let record, isDirectory(record) { throw RuntimeError("--record: \(record) is a folder; give the run file to write") }
        guard let (measurements, fields) = try measurements() else { return RecordingSource(inner, record: record) }
        return RecordingSource(inner, record: record, measurements: measurements, headerFields: fields)
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The background measurement of the samples, when samples were named, and the header fields saying how
    /// they are measured. The training and reference rows are read here, and one measurer made, so that a bad
    /// `--train` or `--reference` is an error before the dashboard opens; each run's measurer is made on the
    /// worker thread.
    private func measurements() throws -> (SampleMeasurements, JSONObject)? {
        guard let train, samples != nil || samplesTag != nil else { return nil }
        let training: TrainingRows
        let reference: TrainingRows?
        do {
            training = try TrainingRows.load(train, n: n, seed: seed)
            reference = try TrainingRows.reference(self.reference, training: train, n: n, seed: seed)
        } catch {
            throw RuntimeError("\(error)")
        }
        let settings = DumpMeasurer.Settings(seed: seed, fidSamples: fidSamples)
        let space = try featureSpace(training)
        let cache = StatisticsCache(directory: StatisticsCache.defaultDirectory())
        let fit = reference.flatMap {
            $0.rows.rows >= 2 ? ReferenceFit(reference: $0, trainingScale: training.scale, seed: seed, space: space, cache: cache) : nil
        }
        let probe: DumpMeasurer
        do {
            probe = try DumpMeasurer(training: training, reference: reference, settings: settings, space: space, fit: fit)
        } catch {
            throw RuntimeError("\(error)")
        }
        if fidFeatures != .data && fit == nil {
            throw RuntimeError("--fid-features \(fidFeatures.rawValue) needs reference rows: --reference FILE|png:DIR, or a built-in --train dataset")
        }
        let measurements = SampleMeasurements(dumps: samples, imageTag: samplesTag) { _ in
            try DumpMeasurer(training: training, reference: reference, settings: settings, space: space, fit: fit)
        }
        return (measurements, probe.headerFields)
    }

    /// The Fréchet distance's feature space for samples in `training`'s range.
    private func featureSpace(_ training: TrainingRows) throws -> any FeatureSpace {
        switch fidFeatures {
        case .data:
            return DataFeatureSpace()
        case .classifier:
            guard let train, !train.hasSuffix(".npy") else {
                throw RuntimeError("--fid-features classifier needs --train digits, fashion-mnist or png:DIR (the classifier's dataset)")
            }
            let classifier = try classifierFeatureSpace(data: train, resize: nil, width: training.dimension)
            return RescaledFeatureSpace(classifier, from: training.scale, to: .signed)
        case .inception:
            guard let shape = training.imageShape else {
                throw RuntimeError("--fid-features inception needs image training rows (digits, fashion-mnist, png:DIR or a .npy of images), not \(training.label)")
            }
            return InceptionFeatureSpace(network: try loadInceptionNetwork(explicit: fidWeights), shape: shape, scale: training.scale)
        }
    }
}
