import Datasets
import Foundation
import NumericCore
import RunFormat
import Testing
import TestSupport

/// `genwindow metrics fd --features classifier --data digits`: rows embedded by the cached digits classifier.
@Suite struct MetricsClassifierCommandTests {
    static func run(_ arguments: [String], cache: URL) throws -> GenwindowOutcome {
        try runGenwindow(arguments, environment: ["XDG_CACHE_HOME": cache.path])
    }

    @Test func digitsAreCloseToDigitsAndFarFromNoiseInClassifierFeatures() throws {
        let dir = try MetricsCommandTests.fixtureDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let digits = try DatasetLoader.load(.digits, n: 200, testCount: 200, seed: 4)
        var rng = Xoshiro256(seed: 5)
        let noise = Matrix<Float>(rows: 200, cols: 64, storage: (0..<(200 * 64)).map { _ in Float(2 * rng.nextUniform() - 1) })
        let a = dir.appendingPathComponent("a.npy").path, b = dir.appendingPathComponent("b.npy").path
        let c = dir.appendingPathComponent("noise.npy").path
        try NpyArray(digits.train).write(path: a)
        try NpyArray(digits.test).write(path: b)
        try NpyArray(noise).write(path: c)
        let cache = dir.appendingPathComponent("cache")

        let near = try Self.run(["metrics", "fd", a, b, "--features", "classifier", "--data", "digits", "--json"], cache: cache)
        #expect(near.status == 0, "\(near.stderr)")
        let nearJSON = try MetricsCommandTests.json(near.stdout)
        #expect(nearJSON["features"] == "classifier")
        #expect(nearJSON["count_a"]?.int == 200 && nearJSON["count_b"]?.int == 200)
        #expect(near.stderr.contains("test accuracy 0.9"), "\(near.stderr)")

        let far = try Self.run(["metrics", "fd", a, c, "--features", "classifier", "--data", "digits", "--json"], cache: cache)
        #expect(far.status == 0, "\(far.stderr)")
        let fdNear = try #require(nearJSON["fd"]?.double)
        let fdFar = try #require(MetricsCommandTests.json(far.stdout)["fd"]?.double)
        #expect(fdFar > 10 * fdNear, "digits vs digits \(fdNear), digits vs noise \(fdFar)")
        // The second call used the cached classifier.
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("genwindow").path)
        #expect(!cached.isEmpty)
    }

    @Test func classifierFeaturesNeedALabelledDataset() throws {
        let dir = try MetricsCommandTests.fixtureDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let missing = try Self.run(["metrics", "fd", "a.npy", "b.npy", "--features", "classifier"], cache: cache)
        #expect(missing.status == 64 && missing.stderr.contains("--features classifier needs --data"))
        let path = dir.appendingPathComponent("x.npy").path
        try NpyArray(Matrix<Float>(rows: 3, cols: 8, repeating: 0.5)).write(path: path)
        let unlabelled = try Self.run(["metrics", "fd", path, path, "--features", "classifier", "--data", "gmm"], cache: cache)
        #expect(unlabelled.status == 1 && unlabelled.stderr.contains("no labels"), "\(unlabelled.stderr)")
        let wrongWidth = try Self.run(["metrics", "fd", path, path, "--features", "classifier", "--data", "digits"], cache: cache)
        #expect(wrongWidth.status == 1 && wrongWidth.stderr.contains("64 values"), "\(wrongWidth.stderr)")
    }
}
