import ArgumentParser
import Datasets
import Foundation
import Inception
import Metrics
import NumericCore
import RunFormat

/// `genwindow metrics`: the memorization and Fréchet-distance measurements on `.npy` files.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Measure memorized fraction or Fréchet distance on .npy files, or write Inception features.",
        subcommands: [MetricsMemorizedCommand.self, MetricsFDCommand.self, MetricsFeaturesCommand.self]
    )
}

/// `genwindow metrics memorized --samples S.npy --train X.npy [--k 0.333] [--json] [--neighbors]`.
struct MetricsMemorizedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memorized",
        abstract: "Fraction of samples whose nearest training row is k times nearer than the second (with a 95% bootstrap interval)."
    )

    @Option(help: "Generated samples, one per row (.npy; extra dimensions are flattened).")
    var samples: String

    @Option(help: "Training data, one per row (.npy).")
    var train: String

    @Option(parsing: .unconditional, help: "Ratio threshold: memorized when d1/d2 < k.")
    var k: Double = 1.0 / 3.0

    @Option(parsing: .unconditional, help: "Bootstrap resamples for the 95% interval.")
    var bootstrap: Int = 1000

    @Option(parsing: .unconditional, help: "Seed of the bootstrap.", transform: parseSeed)
    var seed: UInt64 = 0

    @Flag(name: .customLong("quantize-8bit"), help: "Quantize samples and data from [-1, 1] to 8 bits first (Paper A).")
    var quantize8Bit = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Also print each sample's nearest and second-nearest training rows (0-based) and ratio.")
    var neighbors = false

    func validate() throws {
        guard k > 0, k <= 1 else { throw ValidationError("--k must be in (0, 1] (d1/d2 never exceeds 1), got \(k)") }
        guard (0...1_000_000).contains(bootstrap) else { throw ValidationError("--bootstrap must be in 0...1000000, got \(bootstrap)") }
    }

    func run() throws {
        let x = try loadRows(samples, what: "samples")
        let t = try loadRows(train, what: "training data")
        guard x.cols == t.cols else {
            throw RuntimeError("\(samples) has \(x.cols) values per row but \(train) has \(t.cols)")
        }
        guard t.rows >= 2 else { throw RuntimeError("\(train): need at least 2 training rows, found \(t.rows)") }
        let r = MemorizedFraction.measure(samples: x, training: t, k: k, bootstrapResamples: bootstrap,
                                          seed: seed, quantize8Bit: quantize8Bit)
        if json {
            var fields: [(String, JSONValue)] = [
                ("mem_frac", .number(r.memFrac)), ("ci_low", .number(r.ciLow)), ("ci_high", .number(r.ciHigh)),
                ("count", .number(Double(r.count))), ("k", .number(r.k)),
            ]
            if neighbors {
                fields.append(("nn1", .array(r.nn1.map { .number(Double($0)) })))
                fields.append(("nn2", .array(r.nn2.map { .number(Double($0)) })))
                fields.append(("ratio", .array(r.ratio.map { .number($0) })))
            }
            print(JSONWriter.string(.object(JSONObject(fields))))
        } else {
            print("memorized fraction \(fixed(r.memFrac, 4)) (95% CI \(fixed(r.ciLow, 4))–\(fixed(r.ciHigh, 4)); "
                  + "k = \(fixed(r.k, 4)); \(r.count) samples vs \(t.rows) training rows)")
            if neighbors {
                print("sample  nn1  nn2  ratio")
                for i in 0..<r.count { print("\(i)  \(r.nn1[i])  \(r.nn2[i])  \(fixed(r.ratio[i], 6))") }
            }
        }
    }
}

/// `genwindow metrics fd A B [--features data|classifier|inception] [--data NAME] [--fid-weights PATH] [--json]`.
struct MetricsFDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fd",
        abstract: "Fréchet distance between the Gaussian fits of two sets of rows, in a feature space."
    )

    /// Feature spaces the command can embed into.
    enum Features: String, ExpressibleByArgument, CaseIterable {
        case data
        case classifier
        case inception
    }

    @Argument(help: "First set: one sample per row (.npy); with --features inception, images (.npy or png:DIR).")
    var a: String

    @Argument(help: "Second set, like the first.")
    var b: String

    @Option(help: "Feature space: data (the raw rows), classifier (penultimate layer of a small classifier trained once on --data's full training split and cached) or inception (FID: pool3 of the FID Inception-v3; images of shape (N, H, W), (N, H, W, C) or (N, C, H, W) as uint8, or float in [0, 1] or [-1, 1], or png:DIR).")
    var features: Features = .data

    @Option(name: .customLong("fid-weights"), help: "With --features inception: the folder of fid_inception.f32 and .tsv (default: beside the binary, else the cache folder; `make fid-weights` fetches them).")
    var fidWeights: String?

    @Option(help: "With --features classifier: the dataset whose classifier embeds the rows (digits, fashion-mnist or png:DIR); rows must be images of that dataset scaled to [-1, 1].")
    var data: String?

    @Option(parsing: .unconditional, help: "With --features classifier and fashion-mnist or png:DIR: the image side the rows were resized to.")
    var resize: Int?

    func validate() throws {
        if features == .classifier && data == nil {
            throw ValidationError("--features classifier needs --data (digits, fashion-mnist or png:DIR)")
        }
        if features != .classifier && data != nil { throw ValidationError("--data applies only to --features classifier") }
        if features != .inception && fidWeights != nil { throw ValidationError("--fid-weights applies only to --features inception") }
        if let resize, !(1...1024).contains(resize) { throw ValidationError("--resize must be in 1…1024, got \(resize)") }
    }

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        switch features {
        case .inception: try runInception()
        case .data, .classifier: try runRows()
        }
    }

    /// FD of the rows themselves or of their classifier features.
    func runRows() throws {
        let xa = try loadRows(a, what: "first set"), xb = try loadRows(b, what: "second set")
        guard xa.cols == xb.cols else { throw RuntimeError("\(a) has \(xa.cols) values per row but \(b) has \(xb.cols)") }
        guard xa.rows >= 2, xb.rows >= 2 else {
            throw RuntimeError("need at least 2 rows in each set, found \(xa.rows) and \(xb.rows)")
        }
        let space: any FeatureSpace = features == .classifier ? try classifierSpace(width: xa.cols) : DataFeatureSpace()
        let fd: Double
        do {
            fd = try FrechetDistance.between(try space.embed(xa), try space.embed(xb))
        } catch {
            throw RuntimeError("Fréchet distance failed: \(error)")
        }
        if json {
            print(JSONWriter.string(.object([
                "fd": .number(fd), "features": .string(space.name),
                "count_a": .number(Double(xa.rows)), "count_b": .number(Double(xb.rows)),
            ])))
        } else {
            print("fd \(fd) (features: \(space.name); \(xa.rows) vs \(xb.rows) samples)")
        }
    }
}

extension MetricsFDCommand {
    /// FID: both image sets through the Inception network, then FD of their pool3 features. The second set's
    /// statistics are the reference's: cached by content hash (`StatisticsCache`), so comparing many sample sets
    /// against one reference embeds it once.
    func runInception() throws {
        let ia = try loadImages(a, what: "first set"), ib = try loadImages(b, what: "second set")
        guard ia.count >= 2, ib.count >= 2 else {
            throw RuntimeError("need at least 2 images in each set, found \(ia.count) and \(ib.count)")
        }
        let network = try loadInceptionNetwork(explicit: fidWeights)
        let cache = StatisticsCache(directory: StatisticsCache.defaultDirectory())
        let key = StatisticsCache.inceptionKey(weights: network.weightsFingerprint,
                                               shape: [ib.count, ib.height, ib.width, ib.channels], pixels: ib.pixels)
        let reference: GaussianStatistics
        let cached: Bool
        if let hit = cache.load(key) {
            (reference, cached) = (hit, true)
            writeStandardError("statistics of \(b) from the cache (\(cache.directory))\n")
        } else {
            (reference, cached) = (GaussianStatistics(features: inceptionFeatures(ib, network: network)), false)
            do { try cache.store(reference, key: key) } catch { writeStandardError("genwindow: note: \(error)\n") }
        }
        let fid: Double
        do {
            fid = try FrechetDistance.between(GaussianStatistics(features: inceptionFeatures(ia, network: network)), reference)
        } catch {
            throw RuntimeError("Fréchet distance failed: \(error)")
        }
        if json {
            print(JSONWriter.string(.object([
                "fd": .number(fid), "features": .string("inception"),
                "count_a": .number(Double(ia.count)), "count_b": .number(Double(ib.count)),
                "reference_cached": .bool(cached),
            ])))
        } else {
            print("FID \(fid) (features: inception; \(ia.count) vs \(ib.count) images)")
        }
    }

    /// The cached (or freshly trained) classifier of `--data`; its test accuracy goes to stderr.
    func classifierSpace(width: Int) throws -> ClassifierFeatureSpace {
        try classifierFeatureSpace(data: data ?? "", resize: resize, width: width)
    }
}

/// `genwindow metrics features IMAGES --features inception --out F.npy [--fid-weights PATH]`.
struct MetricsFeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write the (N, 2048) Inception pool3 features of a set of images as float32 .npy."
    )

    /// Feature spaces this command writes.
    enum Features: String, ExpressibleByArgument, CaseIterable {
        case inception
    }

    @Argument(help: "Images: .npy of shape (N, H, W), (N, H, W, C) or (N, C, H, W), C = 1 or 3, uint8 or float in [0, 1] or [-1, 1]; or png:DIR.")
    var images: String

    @Option(help: "Feature space (inception: pool3 of the FID Inception-v3).")
    var features: Features

    @Option(help: "Output .npy file (float32, N×2048).")
    var out: String

    @Option(name: .customLong("fid-weights"), help: "The folder of fid_inception.f32 and .tsv (default: beside the binary, else the cache folder; `make fid-weights` fetches them).")
    var fidWeights: String?

    func run() throws {
        let x = try loadImages(images, what: "images")
        let network = try loadInceptionNetwork(explicit: fidWeights)
        let f = inceptionFeatures(x, network: network)
        do {
            try NpyArray(f).write(path: out)
        } catch {
            throw RuntimeError("\(out): cannot write the features (\(error))")
        }
        print("features \(f.rows)×\(f.cols) (inception) → \(out)")
    }
}

/// The rows of a `.npy` file as Float32 (rows × flattened remaining dimensions); unreadable, empty or
/// non-finite input becomes a one-line `RuntimeError`.
func loadRows(_ path: String, what: String) throws -> Matrix<Float> {
    let m: Matrix<Float>
    do {
        m = try NpyArray.read(path: path).floatMatrix()
    } catch let e as NpyError {
        throw RuntimeError("\(what): \(e.message)")
    }
    guard m.rows >= 1, m.cols >= 1 else { throw RuntimeError("\(path): no data (shape \(m.rows)×\(m.cols))") }
    let finite = m.storage.withUnsafeBufferPointer { Elementwise.allFinite($0) }
    guard finite else { throw RuntimeError("\(path): contains NaN or infinite values") }
    return m
}

/// `x` with `digits` decimals.
func fixed(_ x: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", x)
}

/// The classifier feature space of a dataset (digits, fashion-mnist or png:DIR, images `resize`d when given): the
/// cached classifier, or one trained now and cached; its test accuracy goes to stderr. `width`: the values per
/// row the caller will embed, which must be the dataset's.
func classifierFeatureSpace(data: String, resize: Int?, width: Int) throws -> ClassifierFeatureSpace {
    do {
        let source = try DataSource.parse(data, dimension: 0, components: 0, resize: resize)
        let split = try DatasetLoader.fullSplits(source)
        guard split.dimension == width else {
            throw RuntimeError("\(source.name) images have \(split.dimension) values but the rows have \(width)")
        }
        let space = try ClassifierFeatureSpace.loadOrTrain(
            dataset: source.name, training: split.train, labels: split.trainLabels, test: split.test,
            testLabels: split.testLabels, classes: split.classes,
            cache: ClassifierCache(directory: ClassifierCache.defaultDirectory()))
        writeStandardError("classifier features of \(source.name): test accuracy \(String(format: "%.3f", space.testAccuracy))\n")
        return space
    } catch let error as RuntimeError {
        throw error
    } catch {
        throw RuntimeError("\(error)")
    }
}
