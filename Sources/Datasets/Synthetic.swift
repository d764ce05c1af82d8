import NumericCore

/// Synthetic data drawn from the seed: fresh independent draws for training and test.
enum Synthetic {
    static func gaussian(dimension d: Int, n: Int, testCount: Int, rng: inout Xoshiro256) -> Dataset {
        let train = Matrix<Float>(rows: n, cols: d, storage: rng.normals(n * d))
        let test = Matrix<Float>(rows: testCount, cols: d, storage: rng.normals(testCount * d))
        return Dataset(name: "gaussian", train: train, trainLabels: [], test: test, testLabels: [], classes: 0,
                       shape: [d], scaling: .unitRange, offset: [])
    }

    /// Component means: ±1_d for the first two components (Paper B's mixture), random sign vectors for the rest;
    /// unit covariance; components balanced in both sets, labels = component.
    static func mixture(dimension d: Int, components k: Int, n: Int, testCount: Int, rng: inout Xoshiro256) -> Dataset {
        var means = [[Float]]()
        for c in 0..<k {
            switch c {
            case 0: means.append([Float](repeating: 1, count: d))
            case 1: means.append([Float](repeating: -1, count: d))
            default: means.append((0..<d).map { _ in rng.next() & 1 == 0 ? 1 : -1 })
            }
        }
        func draw(_ count: Int) -> (Matrix<Float>, [Int]) {
            var labels = (0..<count).map { $0 % k }
            labels = rng.shuffled(labels)
            var m = Matrix<Float>(rows: count, cols: d)
            for i in 0..<count { for j in 0..<d { m[i, j] = means[labels[i]][j] + Float(rng.nextNormal()) } }
            return (m, labels)
        }
        let (train, trainLabels) = draw(n)
        let (test, testLabels) = draw(testCount)
        return Dataset(name: "gmm", train: train, trainLabels: trainLabels, test: test, testLabels: testLabels,
                       classes: k, shape: [d], scaling: .unitRange, offset: [])
    }
}
