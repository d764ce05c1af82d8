import Foundation
import NumericCore

/// Gaussian statistics of reference sets on disk, keyed by a hash of the content they were computed from, so
/// that a reference (a training set, a fixed real set) is embedded and fitted once (for Inception features a
/// reference of 5,000 images costs minutes).
///
/// One file per entry, `KEY.npy`: float64, shape (d + 2, d): row 0 the mean, row 1 the sample count then zeros,
/// rows 2… the covariance. Written atomically (`AtomicFile`). An unreadable or malformed entry is a miss.
public struct StatisticsCache: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `$XDG_CACHE_HOME/genwindow/statistics` (`~/.cache/genwindow/statistics` when unset).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) as NSString)
                .appendingPathComponent(".cache")
        return ((base as NSString).appendingPathComponent("genwindow") as NSString).appendingPathComponent("statistics")
    }

    /// The key of the Inception-v3 pool3 statistics of images of `shape` (count, height, width, channels) with
    /// 0…255 `pixels`, for the weights with `fingerprint`: one key for `metrics fd`, the DDPM's live FID and
    /// external runs, so a reference fitted by any of them is read by the others.
    public static func inceptionKey(weights fingerprint: String, shape: [Int], pixels: [Float]) -> String {
        key(space: "inception-pool3:" + fingerprint, shape: shape, values: pixels)
    }

    /// A 128-bit key (32 hex digits) of everything that determines the statistics: a description of the feature
    /// space (name, weights identity), the input's shape and its values' bits.
    public static func key(space: String, shape: [Int], values: [Float]) -> String {
        var a = ContentHash(seed: 0xCBF2_9CE4_8422_2325, multiplier: 0x0000_0100_0000_01B3, rotation: 0)
        var b = ContentHash(seed: 0x84CA_A73B_FE09_4C65, multiplier: 0x9E37_79B9_7F4A_7C15, rotation: 29)
        for part in [Array(space.utf8).map { UInt32($0) }, shape.map { UInt32(truncatingIfNeeded: $0) } + [UInt32(shape.count)]] {
            for w in part { a.add(w); b.add(w) }
        }
        values.withUnsafeBufferPointer { v in
            for x in v { a.add(x.bitPattern); b.add(x.bitPattern) }
        }
        return a.hex + b.hex
    }

    private func path(_ key: String) -> String { (directory as NSString).appendingPathComponent(key + ".npy") }

    /// The statistics stored under `key`, or nil.
    public func load(_ key: String) -> GaussianStatistics? {
        guard let array = try? NpyArray.read(path: path(key)), array.shape.count == 2,
              case .float64(let v) = array.values else { return nil }
        let d = array.shape[1]
        guard d >= 1, array.shape[0] == d + 2, let count = Int(exactly: v[d]), count >= 1 else { return nil }
        return GaussianStatistics(mean: Array(v[0..<d]), covariance: Matrix(rows: d, cols: d, storage: Array(v[(2 * d)...])),
                                  count: count)
    }

    /// Stores `statistics` under `key` (creating the folder).
    public func store(_ statistics: GaussianStatistics, key: String) throws {
        let d = statistics.dimension
        var values = statistics.mean
        values.append(Double(statistics.count))
        values += [Double](repeating: 0, count: d - 1)
        values += statistics.covariance.storage
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Atomic (`AtomicFile`): another process reading the cache sees a whole entry or none.
            try NpyArray(shape: [d + 2, d], values: .float64(values)).write(path: path(key))
        } catch {
            throw FrechetDistanceError("cannot store statistics in \(directory): \(error)")
        }
    }

    /// The cached statistics under `key`, or those of `compute()` (then stored). `cached` says which.
    public func statistics(key: String, compute: () throws -> GaussianStatistics) throws
        -> (statistics: GaussianStatistics, cached: Bool) {
        if let hit = load(key) { return (hit, true) }
        let fresh = try compute()
        try store(fresh, key: key)
        return (fresh, false)
    }
}

/// A multiplicative 64-bit hash over 32-bit words (FNV-1a's step, optionally with a rotation that folds high bits
/// back down), with a final avalanche; two of them with different constants give the 128-bit key. Not
/// cryptographic: it tells apart honest inputs, which is all a cache needs.
private struct ContentHash {
    var h: UInt64
    let multiplier: UInt64
    let rotation: UInt64
    init(seed: UInt64, multiplier: UInt64, rotation: UInt64) {
        h = seed
        self.multiplier = multiplier
        self.rotation = rotation
    }
    mutating func add(_ w: UInt32) {
        h = (h ^ UInt64(w)) &* multiplier
        if rotation != 0 { h = (h << rotation) | (h >> (64 - rotation)) }
    }
    var hex: String {
        var x = h
        x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        x = (x ^ (x >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        let s = String(x, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
