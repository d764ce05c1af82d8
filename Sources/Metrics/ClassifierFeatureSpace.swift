import Foundation
import NumericCore

/// Penultimate-layer features of a small MLP classifier trained once per dataset — the usual practice for
/// MNIST-like data, where Inception features are a poor fit. The trained weights are cached on disk (see
/// `ClassifierCache`), keyed by the dataset name, the settings and a fingerprint of the training data, with the
/// held-out accuracy in the cache metadata.
public struct ClassifierFeatureSpace: FeatureSpace {
    public var name: String { "classifier" }
    public let network: ClassifierNetwork
    /// Dataset the classifier was trained on, as named by the caller.
    public let dataset: String
    /// Accuracy on the held-out split given at training time.
    public let testAccuracy: Double

    public init(network: ClassifierNetwork, dataset: String, testAccuracy: Double) {
        self.network = network
        self.dataset = dataset
        self.testAccuracy = testAccuracy
    }

    public func embed(_ x: Matrix<Float>) throws -> Matrix<Float> {
        guard x.cols == network.shape.inputs else {
            throw FeatureSpaceError("the classifier for \(dataset) takes \(network.shape.inputs) values per row, got \(x.cols)")
        }
        return network.features(x)
    }

    /// The classifier for `dataset`: loaded from `cache` when an entry for the same dataset, settings and training
    /// data exists, otherwise trained on (`training`, `labels`), evaluated on (`test`, `testLabels`) and stored.
    /// `cache` nil trains without caching.
    public static func loadOrTrain(
        dataset: String, training: Matrix<Float>, labels: [Int], test: Matrix<Float>, testLabels: [Int],
        classes: Int, settings: ClassifierSettings = ClassifierSettings(), cache: ClassifierCache?
    ) throws -> ClassifierFeatureSpace {
        guard training.rows == labels.count, test.rows == testLabels.count, test.cols == training.cols else {
            throw FeatureSpaceError("classifier data: \(training.rows) training rows with \(labels.count) labels, "
                                    + "\(test.rows) test rows with \(testLabels.count) labels")
        }
        guard (labels + testLabels).allSatisfy({ $0 >= 0 && $0 < classes }) else {
            throw FeatureSpaceError("classifier labels must lie in 0..<\(classes)")
        }
        let key = ClassifierCache.Key(dataset: dataset, settings: settings,
                                      fingerprint: ClassifierCache.fingerprint(training, labels))
        if let cache, let cached = try cache.load(key) { return cached }
        let net = ClassifierTraining.train(images: training, labels: labels, classes: classes, settings: settings)
        let space = ClassifierFeatureSpace(network: net, dataset: dataset,
                                           testAccuracy: ClassifierTraining.accuracy(net, images: test, labels: testLabels))
        try cache?.store(space, key: key, trainCount: training.rows, testCount: test.rows)
        return space
    }
}

/// A feature space that cannot embed its input (wrong width, unreadable cache, …).
public struct FeatureSpaceError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
