import NumericCore

extension DatasetLoader {
    /// Every training and every held-out image of a labelled image source, in file order, scaled to [−1, 1] —
    /// the split a feature classifier is trained and tested on (digits and PNG folders: every sixth image is
    /// held out, as in `load`; Fashion-MNIST: its own 60k/10k splits).
    public static func fullSplits(_ source: DataSource) throws -> Dataset {
        let train: LabelledPool, test: LabelledPool
        switch source {
        case .digits:
            (train, test) = split(try Digits.load())
        case .pngFolder(let path, let size, let skipBad):
            (train, test) = split(try PNGFolder.load(directory: path, size: size, skipBad: skipBad))
        case .fashionMNIST(let resize):
            train = try FashionMNIST.load(split: "train", resize: resize)
            test = try FashionMNIST.load(split: "t10k", resize: resize)
        case .gaussian, .gmm:
            throw DatasetError("\(source.name) has no labels: a feature classifier needs digits, fashion-mnist or a labelled png: folder")
        }
        guard train.classes > 1 else { throw DatasetError("\(source.name) has no classes to train a feature classifier on") }
        let (trainPixels, trainLabels) = train.select(Array(0..<train.labels.count))
        let (testPixels, testLabels) = test.select(Array(0..<test.labels.count))
        return Dataset(name: source.name, train: unitRange(trainPixels), trainLabels: trainLabels, test: unitRange(testPixels),
                       testLabels: testLabels, classes: train.classes, shape: train.shape, scaling: .unitRange, offset: [])
    }

    private static func split(_ all: LabelledPool) -> (LabelledPool, LabelledPool) {
        let trainIdx = (0..<all.labels.count).filter { $0 % 6 != 5 }
        let testIdx = (0..<all.labels.count).filter { $0 % 6 == 5 }
        let (tp, tl) = all.select(trainIdx), (vp, vl) = all.select(testIdx)
        return (LabelledPool(pixels: tp, labels: tl, classes: all.classes, shape: all.shape),
                LabelledPool(pixels: vp, labels: vl, classes: all.classes, shape: all.shape))
    }

    private static func unitRange(_ m: Matrix<Float>) -> Matrix<Float> {
        var out = m
        out.storage.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] = 2 * p[i] - 1 } }
        return out
    }
}
