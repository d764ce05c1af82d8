import NumericCore

/// Builds the training and test sets a run uses: the same seed gives the same points.
public enum DatasetLoader {
    /// Loads `source` with `n` training points and `testCount` held-out points.
    ///
    /// Image sources draw class-balanced subsets from disjoint pools (digits and PNG folders: every sixth image
    /// is held out; Fashion-MNIST: its own test split). Synthetic sources draw fresh points for both sets.
    public static func load(_ source: DataSource, n: Int, testCount: Int, seed: UInt64,
                            scaling: Scaling = .unitRange) throws -> Dataset {
        var rng = Xoshiro256(seed: seed, stream: 0xDA7A)
        var data: Dataset
        switch source {
        case .gaussian(let d):
            data = Synthetic.gaussian(dimension: d, n: n, testCount: testCount, rng: &rng)
        case .gmm(let d, let k):
            data = Synthetic.mixture(dimension: d, components: k, n: n, testCount: testCount, rng: &rng)
        case .digits:
            let all = try Digits.load()
            let trainPool = (0..<all.labels.count).filter { $0 % 6 != 5 }
            let testPool = (0..<all.labels.count).filter { $0 % 6 == 5 }
            data = try subsets(all, trainPool: trainPool, testPool: testPool, n: n, testCount: testCount, rng: &rng,
                               name: "digits")
        case .pngFolder(let path, let size, let skipBad):
            var all = try PNGFolder.load(directory: path, size: size, skipBad: skipBad)
            let labelled = all.classes > 0
            if !labelled { all.classes = 1 }
            let trainPool = (0..<all.labels.count).filter { $0 % 6 != 5 }
            let testPool = (0..<all.labels.count).filter { $0 % 6 == 5 }
            data = try subsets(all, trainPool: trainPool, testPool: testPool, n: n,
                               testCount: min(testCount, testPool.count), rng: &rng, name: source.name)
            if !labelled { data.classes = 0; data.trainLabels = []; data.testLabels = [] }
        case .fashionMNIST(let resize):
            let train = try FashionMNIST.load(split: "train", resize: resize)
            let test = try FashionMNIST.load(split: "t10k", resize: resize)
            var trainData = try subsets(train, trainPool: Array(0..<train.labels.count), testPool: [], n: n,
                                        testCount: 0, rng: &rng, name: "fashion-mnist")
            let testIdx = try BalancedSubset.draw(n: testCount, labels: test.labels, classes: 10, rng: &rng)
            (trainData.test, trainData.testLabels) = test.select(testIdx)
            mapToUnitRange(&trainData.test)
            data = trainData
        }
        if scaling == .meanCentred { centre(&data) }
        data.scaling = scaling
        return data
    }

    private static func subsets(_ pool: LabelledPool, trainPool: [Int], testPool: [Int], n: Int, testCount: Int,
                                rng: inout Xoshiro256, name: String) throws -> Dataset {
        guard n <= trainPool.count else {
            throw DatasetError("\(name) has \(trainPool.count) training images; --n \(n) is too many")
        }
        guard testCount <= testPool.count || testPool.isEmpty else {
            throw DatasetError("\(name) has \(testPool.count) held-out images; \(testCount) requested")
        }
        let trainIdx = try BalancedSubset.draw(n: n, labels: trainPool.map { pool.labels[$0] }, classes: pool.classes,
                                               rng: &rng).map { trainPool[$0] }
        var (train, trainLabels) = pool.select(trainIdx)
        var test = Matrix<Float>(rows: 0, cols: pool.pixels.cols), testLabels: [Int] = []
        if !testPool.isEmpty {
            let testIdx = try BalancedSubset.draw(n: testCount, labels: testPool.map { pool.labels[$0] },
                                                  classes: pool.classes, rng: &rng).map { testPool[$0] }
            (test, testLabels) = pool.select(testIdx)
        }
        mapToUnitRange(&train)
        mapToUnitRange(&test)
        return Dataset(name: name, train: train, trainLabels: trainLabels, test: test, testLabels: testLabels,
                       classes: pool.classes, shape: pool.shape, scaling: .unitRange, offset: [])
    }

    /// [0, 1] → [−1, 1].
    private static func mapToUnitRange(_ m: inout Matrix<Float>) {
        m.storage.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] = 2 * p[i] - 1 } }
    }

    /// Subtracts the training mean of every feature from train and test.
    private static func centre(_ data: inout Dataset) {
        let n = data.train.rows, d = data.train.cols
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(data.train[i, j]) } }
        let offset = mean.map { Float($0 / Double(max(n, 1))) }
        for i in 0..<n { for j in 0..<d { data.train[i, j] -= offset[j] } }
        for i in 0..<data.test.rows { for j in 0..<d { data.test[i, j] -= offset[j] } }
        data.offset = offset
    }
}
