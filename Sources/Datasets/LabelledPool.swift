import NumericCore

/// All images of a source before subsetting: pixels in [0, 1], one row per image.
struct LabelledPool {
    /// N×d intensities in [0, 1].
    var pixels: Matrix<Float>
    /// N labels in 0..<classes.
    var labels: [Int]
    var classes: Int
    var shape: [Int]

    /// The rows `indices`, in that order.
    func select(_ indices: [Int]) -> (Matrix<Float>, [Int]) {
        let d = pixels.cols
        var out = Matrix<Float>(rows: indices.count, cols: d)
        pixels.storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    for j in 0..<d { dst[r * d + j] = src[i * d + j] }
                }
            }
        }
        return (out, indices.map { labels[$0] })
    }
}

/// Class-balanced random subsets (Paper A's convention): every class gets ⌊n/C⌋ points, and the remaining
/// n mod C go to classes picked at random; when a class has too few points, its shortfall goes to the classes
/// that have room, in class order (as balanced as the pool allows).
enum BalancedSubset {
    /// `n` distinct indices into `labels`, balanced over `classes`, in random order.
    static func draw(n: Int, labels: [Int], classes: Int, rng: inout Xoshiro256) throws -> [Int] {
        var byClass = [[Int]](repeating: [], count: classes)
        for (i, c) in labels.enumerated() { byClass[c].append(i) }
        guard n <= labels.count else { throw DatasetError("cannot draw \(n) points from \(labels.count)") }
        var quota = [Int](repeating: n / classes, count: classes)
        for c in rng.sample(n % classes, from: classes) { quota[c] += 1 }
        var shortfall = 0
        for c in 0..<classes where quota[c] > byClass[c].count {
            shortfall += quota[c] - byClass[c].count
            quota[c] = byClass[c].count
        }
        while shortfall > 0 {
            for c in 0..<classes where shortfall > 0 && quota[c] < byClass[c].count {
                quota[c] += 1
                shortfall -= 1
            }
        }
        var chosen: [Int] = []
        chosen.reserveCapacity(n)
        for c in 0..<classes {
            chosen += rng.sample(quota[c], from: byClass[c].count).map { byClass[c][$0] }
        }
        return rng.shuffled(chosen)
    }
}
