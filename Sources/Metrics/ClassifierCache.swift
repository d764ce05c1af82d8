import Foundation
import NumericCore

/// Trained feature classifiers on disk: `<directory>/classifiers/<dataset>-<settings key>-<data fingerprint>/`
/// holding `weights.npy` (the flat parameters, float32) and `meta.json` (dataset, shape, settings, test accuracy,
/// split sizes, weight layout). The only file I/O of the Metrics target.
public struct ClassifierCache: Sendable {
    /// Root of genwindow's cache.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$XDG_CACHE_HOME/genwindow`, else `~/.cache/genwindow`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("genwindow")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/genwindow")
    }

    /// What identifies one trained classifier.
    public struct Key: Sendable, Equatable {
        public var dataset: String
        public var settings: ClassifierSettings
        /// `fingerprint(images, labels)` of the training data.
        public var fingerprint: UInt64

        public init(dataset: String, settings: ClassifierSettings, fingerprint: UInt64) {
            self.dataset = dataset
            self.settings = settings
            self.fingerprint = fingerprint
        }

        /// Folder name: the dataset name reduced to [A-Za-z0-9_.], the settings key and the fingerprint in hex.
        public var entryName: String {
            let safe = String(dataset.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") ? $0 : "_" })
            let hex = String(fingerprint, radix: 16)
            return "\(safe)-\(settings.key)-\(String(repeating: "0", count: 16 - hex.count))\(hex)"
        }
    }

    /// `meta.json`'s name for `Linear`'s input-major weights; entries without it were written output-major and are
    /// transposed on load.
    static let weightLayout = "input_major"

    /// FNV-1a (64-bit) over the shape, the Float bit patterns and the labels: changes when any training value does.
    public static func fingerprint(_ images: Matrix<Float>, _ labels: [Int]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ v: UInt64) {
            var x = v
            for _ in 0..<8 {
                h = (h ^ (x & 0xFF)) &* 0x0000_0100_0000_01B3
                x >>= 8
            }
        }
        mix(UInt64(images.rows)); mix(UInt64(images.cols))
        images.storage.withUnsafeBufferPointer { p in for v in p { mix(UInt64(v.bitPattern)) } }
        for l in labels { mix(UInt64(bitPattern: Int64(l))) }
        return h
    }

    func entry(_ key: Key) -> URL {
        directory.appendingPathComponent("classifiers").appendingPathComponent(key.entryName)
    }

    /// The cached classifier for `key`, or nil when there is none; a damaged entry is an error naming its file.
    public func load(_ key: Key) throws -> ClassifierFeatureSpace? {
        let dir = entry(key)
        let metaURL = dir.appendingPathComponent("meta.json")
        guard FileManager.default.fileExists(atPath: metaURL.path) else { return nil }
        let meta: [String: Any]
        do {
            let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: metaURL))
            guard let object = parsed as? [String: Any] else { throw FeatureSpaceError("not a JSON object") }
            meta = object
        } catch {
            throw FeatureSpaceError("\(metaURL.path): unreadable classifier metadata (\(error))")
        }
        guard let inputs = meta["inputs"] as? Int, let h1 = meta["hidden1"] as? Int, let h2 = meta["hidden2"] as? Int,
              let classes = meta["classes"] as? Int, let accuracy = meta["test_accuracy"] as? Double,
              inputs > 0, h1 == key.settings.hidden1, h2 == key.settings.hidden2, classes > 1
        else { throw FeatureSpaceError("\(metaURL.path): classifier metadata lacks or contradicts its shape") }
        let weightsPath = dir.appendingPathComponent("weights.npy").path
        let weights: [Float]
        do {
            weights = try NpyArray.read(path: weightsPath).floatMatrix().storage
        } catch {
            throw FeatureSpaceError("\(error)")
        }
        let shape = ClassifierShape(inputs: inputs, hidden1: h1, hidden2: h2, classes: classes)
        guard weights.count == shape.parameterCount else {
            throw FeatureSpaceError("\(weightsPath): \(weights.count) weights, expected \(shape.parameterCount)")
        }
        let network = meta["weight_layout"] as? String == Self.weightLayout
            ? ClassifierNetwork(shape: shape, parameters: weights) : ClassifierNetwork(shape: shape, outputMajor: weights)
        return ClassifierFeatureSpace(network: network, dataset: key.dataset, testAccuracy: accuracy)
    }

    /// Writes `space` under `key`: into a temporary folder first, renamed into place, so readers never see half
    /// an entry.
    public func store(_ space: ClassifierFeatureSpace, key: Key, trainCount: Int, testCount: Int) throws {
        let dir = entry(key)
        let fm = FileManager.default
        let staging = dir.deletingLastPathComponent().appendingPathComponent(".\(key.entryName).\(ProcessInfo.processInfo.processIdentifier)")
        let s = space.network.shape, settings = key.settings
        let meta: [String: Any] = [
            "dataset": key.dataset, "fingerprint": String(key.fingerprint, radix: 16),
            "inputs": s.inputs, "hidden1": s.hidden1, "hidden2": s.hidden2, "classes": s.classes,
            "epochs": settings.epochs, "batch_size": settings.batchSize, "learning_rate": settings.learningRate,
            "seed": settings.seed, "test_accuracy": space.testAccuracy,
            "train_count": trainCount, "test_count": testCount, "weight_layout": Self.weightLayout,
        ]
        do {
            try? fm.removeItem(at: staging)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            try NpyArray(shape: [space.network.parameters.count], values: .float32(space.network.parameters))
                .write(path: staging.appendingPathComponent("weights.npy").path)
            try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys, .prettyPrinted])
                .write(to: staging.appendingPathComponent("meta.json"))
            try? fm.removeItem(at: dir)
            try fm.moveItem(at: staging, to: dir)
        } catch {
            try? fm.removeItem(at: staging)
            throw FeatureSpaceError("cannot write the classifier cache at \(dir.path): \(error)")
        }
    }
}
