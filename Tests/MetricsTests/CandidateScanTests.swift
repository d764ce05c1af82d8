@testable import Metrics
import NumericCore
import Testing

/// The candidate scan of one distance row (16 entries compared at once) against the one-by-one insertion it
/// replaced: the same candidates, in the same order, for rows with and without a partial last group, with ties.
@Suite("Nearest-neighbour candidate scan")
struct CandidateScanTests {
    static func naive(_ c: [Float], _ norms: [Float], offset: Int, dist: inout [Float], index: inout [Int]) {
        let slots = dist.count
        for j in 0..<c.count {
            let v = c[j] + norms[j]
            if v < dist[slots - 1] {
                var p = slots - 1
                while p > 0 && dist[p - 1] > v {
                    dist[p] = dist[p - 1]
                    index[p] = index[p - 1]
                    p -= 1
                }
                dist[p] = v
                index[p] = offset + j
            }
        }
    }

    @Test(arguments: [1, 15, 16, 17, 37, 100, 2048])
    func sameAsOneByOne(count: Int) {
        var rng = Xoshiro256(seed: UInt64(count))
        // Rounded to quarters so that equal sums (ties) occur.
        let raw: [Float] = rng.normals(2 * count)
        var c = raw[..<count].map { ($0 * 4).rounded() / 4 }
        var norms = raw[count...].map { (abs($0) * 4).rounded() / 4 }
        for slots in [1, 2, 8] {
            // Start from a partly filled list from an earlier block.
            var dist = [Float](repeating: .infinity, count: slots), index = [Int](repeating: -1, count: slots)
            dist[0] = -0.5
            index[0] = 3
            var refDist = dist, refIndex = index
            Self.naive(c, norms, offset: 4096, dist: &refDist, index: &refIndex)
            NearestNeighbors.scanRow(&c, norms: &norms, count: count, offset: 4096, dist: &dist, index: &index, slots: slots)
            #expect(dist == refDist && index == refIndex, "count \(count), slots \(slots)")
        }
    }
}
