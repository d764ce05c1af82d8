import Datasets
import ExternalRuns
import Foundation
import Inception
import Metrics
import NumericCore
import RunFormat
import RunMeasurement
import Testing
import TestSupport

/// The Fréchet distance of a dump in the classifier and Inception feature spaces: the same numbers as
/// `genwindow metrics fd --features …` on the same files.
@Suite("Dumps measured in classifier and Inception features")
struct FeatureSpaceTests {
    func folder(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-space-\(name)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func fd(_ arguments: [String], environment: [String: String] = [:]) throws -> Double {
        let r = try runGenwindow(["metrics", "fd"] + arguments + ["--json"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(JSONParser.parse(r.stdout).object?["fd"]?.double)
    }

    func measuredFD(_ measurer: DumpMeasurer, _ dump: NpyArray) throws -> Double? {
        for case .metrics(let m) in try measurer.measure(dump, step: 1, name: "dump") { return m["fid"] }
        return nil
    }

    @Test("Inception: a uint8 dump against a uint8 reference gives metrics fd's FID exactly; the reference's statistics are shared through the cache")
    func inception() throws {
        let dir = try folder("inception")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = Xoshiro256(seed: 4)
        func images(_ count: Int) -> NpyArray {
            NpyArray(shape: [count, 12, 12], values: .uint8((0..<count * 144).map { _ in UInt8(rng.nextUniform() * 256) }))
        }
        let (train, reference, dump) = (images(6), images(5), images(4))
        try train.write(path: dir + "/train.npy")
        try reference.write(path: dir + "/ref.npy")
        try dump.write(path: dir + "/dump.npy")
        let weights = try InceptionWeights.locate(explicit: nil, environment: ProcessInfo.processInfo.environment,
                                                  executableDirectory: nil)
        let network = try InceptionNetwork(weights: InceptionWeights(directory: weights))
        let training = try TrainingRows.load(dir + "/train.npy", n: nil, seed: 0)
        let space = InceptionFeatureSpace(network: network, shape: try #require(training.imageShape), scale: training.scale)
        let measurer = try DumpMeasurer(training: training, reference: TrainingRows.load(dir + "/ref.npy", n: nil, seed: 0),
                                        space: space)
        #expect(measurer.headerFields["fid_features"]?.string == "inception")
        let cacheHome = ["XDG_CACHE_HOME": dir + "/cache", InceptionWeights.environmentVariable: weights]
        let expected = try fd([dir + "/dump.npy", dir + "/ref.npy", "--features", "inception"], environment: cacheHome)
        #expect(try measuredFD(measurer, dump) == expected)
        // metrics fd stored the reference's statistics: a session's fit reads them instead of embedding again.
        let cache = StatisticsCache(directory: StatisticsCache.defaultDirectory(environment: cacheHome))
        let fit = ReferenceFit(reference: try TrainingRows.load(dir + "/ref.npy", n: nil, seed: 0), trainingScale: training.scale,
                               seed: 0, space: space, cache: cache)
        let shared = try DumpMeasurer(training: training, reference: fit.reference, space: space, fit: fit)
        #expect(try measuredFD(shared, dump) == expected)
        #expect(fit.cached == true)
    }

    @Test("classifier: samples of the digits in [0, 1] are embedded as the classifier's [-1, 1] rows; metrics fd's number")
    func classifier() throws {
        let dir = try folder("classifier")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let training = try TrainingRows.load("digits", n: 40, seed: 0)
        let reference = try #require(try TrainingRows.reference(nil, training: "digits", n: 40, seed: 0))
        // The samples: training images as a [0, 1] dump (another range than the training rows' [-1, 1]).
        let unit = ValueScale.signed.map(training.rows.rows(0..<20), to: .unit)
        let dump = NpyArray(shape: [20, 8, 8], values: .float32(unit.storage))
        try NpyArray(training.rows.rows(0..<20)).write(path: dir + "/samples.npy")
        try NpyArray(reference.rows).write(path: dir + "/ref.npy")
        let split = try DatasetLoader.fullSplits(try DataSource.parse("digits", dimension: 0, components: 0, resize: nil))
        let classifier = try ClassifierFeatureSpace.loadOrTrain(
            dataset: "digits", training: split.train, labels: split.trainLabels, test: split.test, testLabels: split.testLabels,
            classes: split.classes, cache: ClassifierCache(directory: ClassifierCache.defaultDirectory()))
        let measurer = try DumpMeasurer(training: training, reference: reference,
                                        space: RescaledFeatureSpace(classifier, from: training.scale, to: .signed))
        let expected = try fd([dir + "/samples.npy", dir + "/ref.npy", "--features", "classifier", "--data", "digits"])
        let measured = try #require(try measuredFD(measurer, dump))
        // The dump went [-1, 1] → [0, 1] → [-1, 1] in Float: each value may be an ulp off the file metrics fd read,
        // which moves the distance by parts in 10⁸ (2.7e-8 seen on another CPU). A wrong scale moves it by far more.
        #expect(abs(measured - expected) <= 1e-5 * max(1, abs(expected)), "\(measured) vs \(expected)")
    }
}
