import NumericCore

/// How the feature classifier is trained. Part of its cache key: change any field and it is retrained.
public struct ClassifierSettings: Sendable, Equatable {
    public var hidden1: Int
    /// Width of the penultimate layer = the feature dimension.
    public var hidden2: Int
    public var epochs: Int
    public var batchSize: Int
    /// Adam step size (NumericCore's `Adam`: β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
    public var learningRate: Double
    public var seed: UInt64

    public init(hidden1: Int = 256, hidden2: Int = 128, epochs: Int = 10, batchSize: Int = 128,
                learningRate: Double = 1e-3, seed: UInt64 = 0) {
        self.hidden1 = hidden1
        self.hidden2 = hidden2
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
    }

    /// A file-name-safe summary of every field, e.g. "mlp256x128-e10-b128-lr0.001-s0".
    public var key: String {
        "mlp\(hidden1)x\(hidden2)-e\(epochs)-b\(batchSize)-lr\(learningRate)-s\(seed)"
    }
}

/// Trains the classifier with mini-batch Adam on the cross-entropy; deterministic for a given seed (initial weights
/// from stream 1, the per-epoch shuffles from stream 2 of `Xoshiro256(seed:)`). Each epoch is one pass over a fresh
/// shuffle in full batches; the rows left over after the last full batch wait for a later epoch's shuffle.
public enum ClassifierTraining {
    /// A network fitted to `images` (n×D) with `labels` in 0..<classes.
    public static func train(images: Matrix<Float>, labels: [Int], classes: Int,
                             settings: ClassifierSettings) -> ClassifierNetwork {
        precondition(images.rows == labels.count && images.rows > 0, "need one label per training row")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classes }, "labels must lie in 0..<\(classes)")
        let shape = ClassifierShape(inputs: images.cols, hidden1: settings.hidden1, hidden2: settings.hidden2,
                                    classes: classes)
        var initRNG = Xoshiro256(seed: settings.seed, stream: 1)
        var shuffleRNG = Xoshiro256(seed: settings.seed, stream: 2)
        var net = ClassifierNetwork(shape: shape, rng: &initRNG)
        let n = images.rows, d = images.cols, batch = min(settings.batchSize, n)
        let count = shape.parameterCount
        var grad = [Float](repeating: 0, count: count)    // [P] gradient of one step
        var m1 = [Float](repeating: 0, count: count)      // [P] Adam first moment
        var m2 = [Float](repeating: 0, count: count)      // [P] Adam second moment
        var xb = [Float](repeating: 0, count: batch * d)  // [B,D] gathered batch
        var yb = [Int](repeating: 0, count: batch)        // [B]
        var act = ClassifierActivations(shape: shape, capacity: batch)
        let adam = Adam()
        var t = 0
        for _ in 0..<settings.epochs {
            let order = shuffleRNG.shuffled(Array(0..<n))
            for b0 in stride(from: 0, to: n - batch + 1, by: batch) {
                images.storage.withUnsafeBufferPointer { src in
                    for r in 0..<batch {
                        let row = order[b0 + r]
                        for k in 0..<d { xb[r * d + k] = src[row * d + k] }
                        yb[r] = labels[row]
                    }
                }
                for i in 0..<count { grad[i] = 0 }
                xb.withUnsafeBufferPointer { xp in
                    yb.withUnsafeBufferPointer { yp in
                        grad.withUnsafeMutableBufferPointer { gp in
                            _ = net.forward(xp.baseAddress!, batch: batch, labels: yp.baseAddress!, into: &act)
                            net.backward(xp.baseAddress!, batch: batch, labels: yp.baseAddress!, act: &act,
                                         grad: gp.baseAddress!)
                        }
                    }
                }
                t += 1
                net.parameters.withUnsafeMutableBufferPointer { p in
                    adam.update(parameters: p.baseAddress!, gradients: grad, first: &m1, second: &m2, count: count,
                                step: t, learningRate: settings.learningRate)
                }
            }
        }
        return net
    }

    /// Share of rows whose predicted class equals the label.
    public static func accuracy(_ net: ClassifierNetwork, images: Matrix<Float>, labels: [Int]) -> Double {
        precondition(images.rows == labels.count, "need one label per row")
        guard !labels.isEmpty else { return 0 }
        let predicted = net.predictions(images)
        let correct = zip(predicted, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(labels.count)
    }
}
