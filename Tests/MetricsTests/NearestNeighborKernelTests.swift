import CKernels
@testable import Metrics
import NumericCore
import Testing
import TestSupport

/// The nearest-neighbour search's inner kernels against plain one-at-a-time references: the two- and eight-lane
/// Float64 re-checks, the shift-and-norm pass, and the candidate scan (every version this CPU runs) starting from an
/// empty list with ties at its cut.
@Suite("Nearest-neighbour kernels")
struct NearestNeighborKernelTests {
    @Test(arguments: [1, 3, 64, 785])
    func laneRechecksEqualSingleSums(d: Int) {
        var rng = Xoshiro256(seed: UInt64(d))
        // A large common offset and tiny differences: every lane's sum depends on its order of additions.
        let reference: [Float] = rng.normals(20 * d).map { 1000 + $0 * 1e-3 }
        let query: [Float] = rng.normals(d).map { 1000 + $0 * 1e-3 }
        let rows = [19, 0, 7, 7, 3, 12, 18, 1]
        let lanes = NearestNeighbors.exactSquaredDistances8(query, rows: rows, of: reference, d)
        for (lane, j) in rows.enumerated() {
            var s = 0.0
            for k in 0..<d {
                let t = Double(query[k]) - Double(reference[j * d + k])
                s += t * t
            }
            #expect(lanes[lane] == s, "lane \(lane), d \(d)")
            let pair = NearestNeighbors.exactSquaredDistances2(query, Array(reference[(j * d)...]),
                                                               Array(reference[(rows[(lane + 1) % 8] * d)...]), d)
            #expect(pair[0] == s && pair[1] == lanes[(lane + 1) % 8], "pair from lane \(lane), d \(d)")
            #expect(NearestNeighbors.exactSquaredDistance(query, Array(reference[(j * d)...]), d) == s)
        }
    }

    @Test(arguments: [1, 4, 7, 64, 785])
    func shiftAndNormMatchesTheDefinition(count: Int) {
        var rng = Xoshiro256(seed: 50 + UInt64(count))
        let src: [Float] = rng.normals(count), mean: [Float] = rng.normals(count, mean: 0.5)
        var dst = [Float](repeating: .nan, count: count)
        let norm = NearestNeighbors.shiftAndNorm(src, mean: mean, into: &dst, count: count)
        #expect(dst == (0..<count).map { src[$0] - mean[$0] })
        let plain = dst.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(norm - plain) <= 1e-14 * plain)
    }

    @Test(arguments: [16, 33, 200, 1000])
    func scanFromAnEmptyListKeepsTheSmallestWithTiesToTheLowerIndex(count: Int) {
        var rng = Xoshiro256(seed: 70 + UInt64(count))
        // Integer-valued sums from a small range: many entries equal the cut, and the earlier ones must win.
        let c: [Float] = (0..<count).map { _ in Float(rng.nextInt(below: 12)) }
        let norms: [Float] = (0..<count).map { _ in Float(rng.nextInt(below: 4)) }
        var entries: [(value: Float, index: Int)] = []
        for j in 0..<count { entries.append((c[j] + norms[j], j + 100)) }
        entries.sort { $0.value < $1.value || ($0.value == $1.value && $0.index < $1.index) }
        for slots in [1, 5, 8, 16] {
            let expected = entries.prefix(slots)
            for version in 0...gw_scan_row_best_version() {
                var dist = [Float](repeating: .infinity, count: slots), index = [Int](repeating: -1, count: slots)
                gw_scan_row_version(version, c, norms, count, 100, &dist, &index, slots)
                #expect(dist == expected.map { $0.value } && index == expected.map { $0.index },
                        "count \(count), slots \(slots), version \(version)")
            }
        }
    }
}
