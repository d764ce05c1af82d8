import Foundation
import Metrics
import NumericCore
import RunFormat
import Testing
import TestSupport

/// End-to-end runs of `genwindow metrics …` on `.npy` fixtures written here.
@Suite struct MetricsCommandTests {
    /// A fresh directory for one test's fixtures.
    static func fixtureDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("genwindow-metrics-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The one JSON object printed on stdout (parsed with genwindow's exact round-trip parser).
    static func json(_ text: String) throws -> JSONObject {
        try #require(JSONParser.parse(text).object)
    }

    @Test func memorizedPrintsTheMeasuredFractionAndNeighbours() throws {
        let dir = try Self.fixtureDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = Xoshiro256(seed: 30)
        let train: Matrix<Float> = NaiveReference.randomMatrix(40, 5, &rng)
        var samples: Matrix<Float> = NaiveReference.randomMatrix(10, 5, &rng)
        for i in 0..<4 { for k in 0..<5 { samples[i, k] = train[3 * i, k] + 0.001 } }
        let s = dir.appendingPathComponent("s.npy").path, t = dir.appendingPathComponent("t.npy").path
        try NpyArray(samples).write(path: s)
        try NpyArray(train).write(path: t)
        let expected = MemorizedFraction.measure(samples: samples, training: train)

        let out = try runGenwindow(["metrics", "memorized", "--samples", s, "--train", t, "--json", "--neighbors"])
        #expect(out.status == 0, "\(out.stderr)")
        let j = try Self.json(out.stdout)
        #expect(j["mem_frac"]?.double == expected.memFrac)
        #expect(j["ci_low"]?.double == expected.ciLow)
        #expect(j["ci_high"]?.double == expected.ciHigh)
        #expect(j["count"]?.int == 10)
        #expect(j["k"]?.double == 1.0 / 3.0)
        #expect(j["nn1"]?.array?.compactMap(\.int) == expected.nn1)
        #expect(Array((j["nn1"]?.array?.compactMap(\.int) ?? [])[0..<4]) == [0, 3, 6, 9])
        #expect(j["nn2"]?.array?.compactMap(\.int) == expected.nn2)
        #expect(j["ratio"]?.array?.compactMap(\.double) == expected.ratio)

        let plain = try runGenwindow(["metrics", "memorized", "--samples", s, "--train", t, "--k", "0.5", "--json"])
        let p = try Self.json(plain.stdout)
        #expect(p["k"]?.double == 0.5)
        #expect(p["nn1"] == nil)

        let text = try runGenwindow(["metrics", "memorized", "--samples", s, "--train", t])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("memorized fraction 0.4000 (95% CI"))
    }

    @Test func fdPrintsTheDistanceWithItsFeatureSpaceAndCounts() throws {
        let dir = try Self.fixtureDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = Xoshiro256(seed: 31)
        let a: Matrix<Float> = NaiveReference.randomMatrix(30, 4, &rng)
        let b: Matrix<Float> = NaiveReference.randomMatrix(25, 4, &rng)
        let pa = dir.appendingPathComponent("a.npy").path, pb = dir.appendingPathComponent("b.npy").path
        try NpyArray(a).write(path: pa)
        try NpyArray(b.converted(to: Double.self)).write(path: pb)
        let out = try runGenwindow(["metrics", "fd", pa, pb, "--features", "data", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let j = try Self.json(out.stdout)
        #expect(j["fd"]?.double == (try FrechetDistance.between(a, b)))
        #expect(j["features"]?.string == "data")
        #expect(j["count_a"]?.int == 30)
        #expect(j["count_b"]?.int == 25)
    }

    @Test func badInputGivesOneLineErrors() throws {
        let dir = try Self.fixtureDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.npy").path
        let narrow = dir.appendingPathComponent("narrow.npy").path
        let nan = dir.appendingPathComponent("nan.npy").path
        let single = dir.appendingPathComponent("single.npy").path
        let garbage = dir.appendingPathComponent("garbage.npy").path
        try NpyArray(Matrix<Float>(rows: 3, cols: 4, repeating: 1)).write(path: good)
        try NpyArray(Matrix<Float>(rows: 3, cols: 2, repeating: 1)).write(path: narrow)
        try NpyArray(Matrix<Float>(rows: 3, cols: 4, repeating: .nan)).write(path: nan)
        try NpyArray(Matrix<Float>(rows: 1, cols: 4, repeating: 1)).write(path: single)
        try Data("not numpy".utf8).write(to: URL(fileURLWithPath: garbage))
        let missing = dir.appendingPathComponent("missing.npy").path
        let cases: [([String], Int32)] = [
            (["metrics", "memorized", "--samples", good, "--train", missing], 1),
            (["metrics", "memorized", "--samples", good, "--train", garbage], 1),
            (["metrics", "memorized", "--samples", good, "--train", narrow], 1),
            (["metrics", "memorized", "--samples", nan, "--train", good], 1),
            (["metrics", "memorized", "--samples", good, "--train", single], 1),
            (["metrics", "memorized", "--samples", good, "--train", good, "--k", "0"], 64),
            (["metrics", "memorized", "--samples", good], 64),
            (["metrics", "fd", good, narrow], 1),
            (["metrics", "fd", good, single], 1),
            (["metrics", "fd", good, garbage], 1),
            (["metrics", "fd", good, good, "--features", "pixels"], 64),
            (["metrics", "fd", good, good, "--features", "inception"], 1),     // 3×4 rows are no images
        ]
        for (arguments, status) in cases {
            let out = try runGenwindow(arguments)
            #expect(out.status == status, "\(arguments): \(out.stderr)")
            #expect(out.stdout.isEmpty, "\(arguments)")
            #expect(out.stderr.hasPrefix("genwindow: "), "\(arguments): \(out.stderr)")
            #expect(out.stderr.filter { $0 == "\n" }.count == 1, "\(arguments): \(out.stderr)")
        }
    }
}
