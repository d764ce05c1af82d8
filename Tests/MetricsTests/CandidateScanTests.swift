import CKernels
import NumericCore
import Testing

/// The candidate scan of one distance row (16 entries compared at once), in every version this CPU runs, against the
/// one-by-one insertion: the same candidates, in the same order, for rows with and without a partial last group,
/// with ties.
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
        let c = raw[..<count].map { ($0 * 4).rounded() / 4 }
        let norms = raw[count...].map { (abs($0) * 4).rounded() / 4 }
        for slots in [1, 2, 8] {
            for version in 0...gw_scan_row_best_version() {
                // Start from a partly filled list from an earlier block.
                var dist = [Float](repeating: .infinity, count: slots), index = [Int](repeating: -1, count: slots)
                dist[0] = -0.5
                index[0] = 3
                var refDist = dist, refIndex = index
                Self.naive(c, norms, offset: 4096, dist: &refDist, index: &refIndex)
                gw_scan_row_version(version, c, norms, count, 4096, &dist, &index, slots)
                #expect(dist == refDist && index == refIndex, "count \(count), slots \(slots), version \(version)")
            }
        }
    }

    /// Rows where far more entries than the vector version gathers at once are below the list's last value: a full
    /// list of large values and a descending row (every entry enters), and a row of one repeated value from an empty
    /// list (every entry ties with the cut).
    @Test(arguments: [100, 2048])
    func manyEntriesBelowTheBar(count: Int) {
        let descending = (0..<count).map { Float(count - $0) }
        let repeated = [Float](repeating: 3, count: count)
        let zeros = [Float](repeating: 0, count: count)
        for (row, startFull) in [(descending, true), (repeated, false)] {
            for version in 0...gw_scan_row_best_version() {
                var dist = [Float](repeating: startFull ? 1e9 : .infinity, count: 8)
                var index = startFull ? Array(0..<8) : [Int](repeating: -1, count: 8)
                var refDist = dist, refIndex = index
                Self.naive(row, zeros, offset: 10, dist: &refDist, index: &refIndex)
                gw_scan_row_version(version, row, nil, count, 10, &dist, &index, 8)
                #expect(dist == refDist && index == refIndex, "count \(count), full \(startFull), version \(version)")
            }
        }
    }
}
