import Foundation
import Metrics
import NumericCore
import Testing
import TestSupport

@Suite struct StatisticsCacheTests {
    static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gw-stats-\(UUID().uuidString)").path
    }

    @Test("stored statistics load back bit for bit; a missing or malformed entry is a miss")
    func roundTrip() throws {
        let cache = StatisticsCache(directory: Self.directory())
        defer { try? FileManager.default.removeItem(atPath: cache.directory) }
        var rng = Xoshiro256(seed: 9)
        let stats = GaussianStatistics(features: NaiveReference.randomMatrix(7, 4, &rng) as Matrix<Float>)
        let key = StatisticsCache.key(space: "test", shape: [7, 4], values: [1, 2, 3])
        #expect(cache.load(key) == nil)
        try cache.store(stats, key: key)
        #expect(cache.load(key) == stats)
        try Data("not npy".utf8).write(to: URL(fileURLWithPath: cache.directory + "/" + key + ".npy"))
        #expect(cache.load(key) == nil)
        var computed = 0
        let first = try cache.statistics(key: key) { computed += 1; return stats }
        let second = try cache.statistics(key: key) { computed += 1; return stats }
        #expect(computed == 1 && !first.cached && second.cached && second.statistics == stats)
    }

    @Test("keys change with the space, the shape and any value's bits")
    func keys() {
        let base = StatisticsCache.key(space: "inception:w1", shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
        #expect(base.count == 32 && base.allSatisfy(\.isHexDigit))
        #expect(base == StatisticsCache.key(space: "inception:w1", shape: [2, 3], values: [0, 1, 2, 3, 4, 5]))
        #expect(base != StatisticsCache.key(space: "inception:w2", shape: [2, 3], values: [0, 1, 2, 3, 4, 5]))
        #expect(base != StatisticsCache.key(space: "inception:w1", shape: [3, 2], values: [0, 1, 2, 3, 4, 5]))
        #expect(base != StatisticsCache.key(space: "inception:w1", shape: [2, 3], values: [0, 1, 2, 3, 4, 5.0000005]))
        #expect(base != StatisticsCache.key(space: "inception:w1", shape: [2, 3], values: [1, 0, 2, 3, 4, 5]))
        #expect(StatisticsCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/c"]) == "/c/genwindow/statistics")
    }
}
