import Foundation
import Metrics
import NumericCore
import Testing
import TestSupport

@Suite struct ClassifierFeatureSpaceTests {
    /// Labelled digit-like images: the prototype index is the label.
    static func labelled(_ count: Int, rng: inout Xoshiro256) -> (Matrix<Float>, [Int]) {
        var labels: [Int] = []
        var rows: [Float] = []
        for _ in 0..<count {
            let label = rng.nextInt(below: 3)
            var one = Xoshiro256(seed: rng.next())
            let image = DigitLike.image(of: label, rng: &one)
            rows += image
            labels.append(label)
        }
        return (Matrix(rows: count, cols: 64, storage: rows), labels)
    }

    @Test func gradientMatchesCentralDifferences() {
        // Central differences are only valid away from ReLU kinks: draw until every pre-activation is at least
        // 0.1 from zero (a step of h = 0.01 in any parameter moves none of them across).
        let shape = ClassifierShape(inputs: 5, hidden1: 7, hidden2: 6, classes: 3)
        let batch = 4
        let labels = [0, 2, 1, 2]
        var act = ClassifierActivations(shape: shape, capacity: batch)
        var seed: UInt64 = 50
        var net: ClassifierNetwork, x: [Float]
        repeat {
            var rng = Xoshiro256(seed: seed)
            net = ClassifierNetwork(shape: shape, rng: &rng)
            for i in net.parameters.indices where net.parameters[i] == 0 { net.parameters[i] = Float(0.1 * rng.nextNormal()) }
            x = rng.normals(batch * 5)
            x.withUnsafeBufferPointer { xp in
                labels.withUnsafeBufferPointer { _ = net.forward(xp.baseAddress!, batch: batch, labels: $0.baseAddress!, into: &act) }
            }
            seed += 1
        } while act.preActivations(batch: batch, shape: shape).contains { abs($0) < 0.1 }
        var grad = [Float](repeating: 0, count: shape.parameterCount)
        x.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { lp in
                grad.withUnsafeMutableBufferPointer { net.backward(xp.baseAddress!, batch: batch, labels: lp.baseAddress!, act: &act, grad: $0.baseAddress!) }
            }
        }
        func loss(_ n: ClassifierNetwork) -> Double {
            x.withUnsafeBufferPointer { xp in
                labels.withUnsafeBufferPointer { n.forward(xp.baseAddress!, batch: batch, labels: $0.baseAddress!, into: &act) }
            }
        }
        let h: Float = 1e-2
        var diff = 0.0, norm = 0.0
        for i in 0..<shape.parameterCount {
            var plus = net, minus = net
            plus.parameters[i] += h
            minus.parameters[i] -= h
            let numeric = (loss(plus) - loss(minus)) / (2 * Double(h))
            diff += (numeric - Double(grad[i])) * (numeric - Double(grad[i]))
            norm += Double(grad[i]) * Double(grad[i])
        }
        #expect((diff / norm).squareRoot() < 1e-3)
        // backward adds into the gradient: a second call doubles it.
        var twice = grad
        _ = loss(net)
        x.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { lp in
                twice.withUnsafeMutableBufferPointer { net.backward(xp.baseAddress!, batch: batch, labels: lp.baseAddress!, act: &act, grad: $0.baseAddress!) }
            }
        }
        #expect(zip(twice, grad).allSatisfy { abs($0 - 2 * $1) <= 1e-5 * max(abs($1), 1e-3) })
    }

    static let small = ClassifierSettings(hidden1: 32, hidden2: 16, epochs: 4, batchSize: 32, learningRate: 3e-3, seed: 5)

    @Test func trainsAnAccurateDeterministicClassifier() throws {
        var rng = Xoshiro256(seed: 51)
        let (train, labels) = Self.labelled(300, rng: &rng)
        let (test, testLabels) = Self.labelled(100, rng: &rng)
        let space = try ClassifierFeatureSpace.loadOrTrain(dataset: "digitlike", training: train, labels: labels, test: test,
                                                           testLabels: testLabels, classes: 3, settings: Self.small, cache: nil)
        #expect(space.testAccuracy >= 0.95)
        #expect(space.name == "classifier")
        let again = ClassifierTraining.train(images: train, labels: labels, classes: 3, settings: Self.small)
        #expect(again == space.network)
        let features = try space.embed(test)
        #expect(features.rows == 100 && features.cols == 16)
        #expect(throws: FeatureSpaceError.self) { try space.embed(Matrix<Float>(rows: 2, cols: 63)) }
    }

    @Test func cacheStoresLoadsAndKeysBySettingsAndData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("genwindow-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = ClassifierCache(directory: dir)
        var rng = Xoshiro256(seed: 52)
        let (train, labels) = Self.labelled(64, rng: &rng)
        let (test, testLabels) = Self.labelled(32, rng: &rng)
        let quick = ClassifierSettings(hidden1: 8, hidden2: 4, epochs: 1, batchSize: 16, learningRate: 1e-3, seed: 1)
        let first = try ClassifierFeatureSpace.loadOrTrain(dataset: "digit like/1", training: train, labels: labels, test: test,
                                                           testLabels: testLabels, classes: 3, settings: quick, cache: cache)
        let key = ClassifierCache.Key(dataset: "digit like/1", settings: quick,
                                      fingerprint: ClassifierCache.fingerprint(train, labels))
        #expect(key.entryName.hasPrefix("digit_like_1-mlp8x4-e1-b16-lr0.001-s1-"))
        let meta = dir.appendingPathComponent("classifiers/\(key.entryName)/meta.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: meta)) as? [String: Any])
        #expect(json["test_accuracy"] as? Double == first.testAccuracy)
        #expect(json["train_count"] as? Int == 64 && json["test_count"] as? Int == 32)

        // A stored entry is what the next call returns (its recorded accuracy proves it was not retrained).
        let marked = ClassifierFeatureSpace(network: first.network, dataset: first.dataset, testAccuracy: 0.125)
        try cache.store(marked, key: key, trainCount: 64, testCount: 32)
        let loaded = try ClassifierFeatureSpace.loadOrTrain(dataset: "digit like/1", training: train, labels: labels, test: test,
                                                            testLabels: testLabels, classes: 3, settings: quick, cache: cache)
        #expect(loaded.testAccuracy == 0.125)
        #expect(loaded.network == first.network)
        #expect(json["weight_layout"] as? String == "input_major")
        // An entry written before the classifier shared `Linear` (output-major weights, no layout): transposed on load.
        let s = first.network.shape, p = first.network.parameters
        var outputMajor = p
        for (offset, inputs, outputs) in [(0, s.inputs, s.hidden1), (s.hidden1 * (s.inputs + 1), s.hidden1, s.hidden2),
                                          (s.hidden1 * (s.inputs + 1) + s.hidden2 * (s.hidden1 + 1), s.hidden2, s.classes)] {
            for o in 0..<outputs { for i in 0..<inputs { outputMajor[offset + o * inputs + i] = p[offset + i * outputs + o] } }
        }
        #expect(outputMajor != p)
        var oldMeta = json
        oldMeta["weight_layout"] = nil
        try JSONSerialization.data(withJSONObject: oldMeta).write(to: meta)
        try NpyArray(shape: [outputMajor.count], values: .float32(outputMajor))
            .write(path: meta.deletingLastPathComponent().appendingPathComponent("weights.npy").path)
        #expect(try cache.load(key)?.network == first.network)
        // Other settings or other data: another entry.
        var other = quick
        other.seed = 2
        #expect(try cache.load(ClassifierCache.Key(dataset: "digit like/1", settings: other, fingerprint: key.fingerprint)) == nil)
        var changed = train
        changed[0, 0] += 1
        #expect(ClassifierCache.fingerprint(changed, labels) != key.fingerprint)
        // A damaged entry is a one-line error, not a crash.
        try Data("{".utf8).write(to: meta)
        #expect(throws: FeatureSpaceError.self) { try cache.load(key) }
    }

    @Test func defaultCacheDirectoryFollowsXDG() {
        #expect(ClassifierCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]).path == "/x/cache/genwindow")
        #expect(ClassifierCache.defaultDirectory(environment: ["HOME": "/home/u"]).path == "/home/u/.cache/genwindow")
    }
}
