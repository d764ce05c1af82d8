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
/// n mod C go to classes picked at random.
enum BalancedSubset {
    /// `n` distinct indices into `labels`, balanced over `classes`, in random order.
    static func draw(n: Int, labels: [Int], classes: Int, rng: inout Xoshiro256) throws -> [Int] {
        var byClass = [[Int]](repeating: [], count: classes)
        for (i, c) in labels.enumerated() { byClass[c].append(i) }
        var quota = [Int](repeating: n / classes, count: classes)
        for c in rng.sample(n % classes, from: classes) { quota[c] += 1 }
        var chosen: [Int] = []
        chosen.reserveCapacity(n)
        for c in 0..<classes {
            guard quota[c] <= byClass[c].count else {
                throw DatasetError("cannot draw \(n) class-balanced points: class \(c) has only \(byClass[c].count)")
            }
            chosen += rng.sample(quota[c], from: byClass[c].count).map { byClass[c][$0] }
        }
        return rng.shuffled(chosen)
    }
}
