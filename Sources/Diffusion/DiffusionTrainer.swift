import NumericCore

/// One denoising-score-matching training step of the MLP, with every buffer allocated at init.
///
/// Step: take the next `batch` training points of a shuffled epoch order (epochs follow each other within a batch
/// when `batch` exceeds n), draw k uniform in 1…T−1 and
/// ε ~ N(0, I), form x_k = √ᾱ_k x₀ + √(1 − ᾱ_k) ε, minimize the MSE between ε_θ(x_k, k, c) and ε (averaged over
/// rows and dimensions), update with the optimizer, then the EMA. Labels are dropped to the null class with
/// probability `labelDropout` (classifier-free guidance).
public final class DiffusionTrainer {
    public let network: MLPNetwork
    public let schedule: NoiseSchedule
    public let parameters: FloatBuffer
    public let gradients: FloatBuffer
    public let optimizer: Optimizer
    public let ema: EMA?
    public let batch: Int
    public let labelDropout: Double
    public private(set) var completedSteps = 0
    /// Global gradient norm of the last step (before clipping).
    public private(set) var lastGradientNorm = 0.0

    private let training: Matrix<Float>
    private let labels: [Int32]
    private var rng: Xoshiro256
    private var order: [Int]
    private var cursor = 0
    private let xt: FloatBuffer, noise: FloatBuffer, out: FloatBuffer
    private let stepBuffer: UnsafeMutablePointer<Int32>
    /// The training rows of the current batch.
    private let rowBuffer: UnsafeMutablePointer<Int>
    private let labelBuffer: UnsafeMutablePointer<Int32>

    /// `labels` holds one class per training point (empty: unconditional); the network's `classes` is the null
    /// class index. Callers that want at most one epoch per step pass min(n, batch).
    public init(network: MLPNetwork, parameters: FloatBuffer, training: Matrix<Float>, labels: [Int32],
                schedule: NoiseSchedule, optimizer: OptimizerSettings, batch: Int, ema: Double?,
                labelDropout: Double, seed: UInt64) {
        precondition(labels.isEmpty || labels.count == training.rows, "one label per training point")
        precondition(training.cols == network.config.dimension, "data dimension differs from the network's")
        self.network = network
        self.schedule = schedule
        self.parameters = parameters
        self.training = training
        self.labels = labels
        self.batch = batch
        precondition(self.batch <= network.maxRows, "batch exceeds the network's capacity")
        self.labelDropout = labelDropout
        gradients = FloatBuffer(count: parameters.count)
        self.optimizer = Optimizer(optimizer, parameterCount: parameters.count)
        self.ema = ema.map { EMA(decay: $0, from: parameters) }
        rng = Xoshiro256(seed: seed, stream: 0x7EA1)
        order = Array(0..<training.rows)
        let d = training.cols
        xt = FloatBuffer(count: self.batch * d)
        noise = FloatBuffer(count: self.batch * d)
        out = FloatBuffer(count: self.batch * d)
        stepBuffer = .allocate(capacity: self.batch)
        rowBuffer = .allocate(capacity: self.batch)
        labelBuffer = .allocate(capacity: self.batch)
        shuffleOrder()
    }

    deinit {
        stepBuffer.deallocate()
        rowBuffer.deallocate()
        labelBuffer.deallocate()
    }

    /// The weights evaluation uses: the EMA when enabled, else the trained ones.
    public var evaluationParameters: FloatBuffer { ema?.weights ?? parameters }

    private func shuffleOrder() {
        order.withUnsafeMutableBufferPointer { o in
            for i in stride(from: o.count - 1, to: 0, by: -1) { o.swapAt(i, rng.nextInt(below: i + 1)) }
        }
        cursor = 0
    }

    /// Where the trainer is in its data stream: the generator, the epoch order and the position in it, and the
    /// steps done. With the parameters, optimizer moments and EMA weights, this is all a resumed run needs.
    public struct Position: Equatable, Sendable {
        public var rng: Xoshiro256
        public var order: [Int]
        public var cursor: Int
        public var completedSteps: Int

        public init(rng: Xoshiro256, order: [Int], cursor: Int, completedSteps: Int) {
            self.rng = rng
            self.order = order
            self.cursor = cursor
            self.completedSteps = completedSteps
        }
    }

    /// The current position, for a resumable run's saved state.
    public var position: Position {
        Position(rng: rng, order: order, cursor: cursor, completedSteps: completedSteps)
    }

    /// Continues from a saved position; false if it does not fit this training set (a permutation of its rows,
    /// cursor within it).
    public func restore(_ position: Position) -> Bool {
        guard position.order.count == order.count, (0...order.count).contains(position.cursor),
              position.completedSteps >= 0, position.order.sorted() == Array(0..<order.count) else { return false }
        rng = position.rng
        order = position.order
        cursor = position.cursor
        completedSteps = position.completedSteps
        return true
    }

    /// Runs one step and returns its batch loss (non-finite when training diverged; parameters are then left
    /// as they were before the update).
    @discardableResult
    public func step() -> Double {
        let d = training.cols, b = batch, T = schedule.steps
        let conditional = network.config.classes > 0 && !labels.isEmpty
        let nullClass = Int32(network.config.classes)
        for r in 0..<b {
            if cursor == order.count { shuffleOrder() }
            let i = order[cursor]
            cursor += 1
            rowBuffer[r] = i
            stepBuffer[r] = Int32(1 + rng.nextInt(below: T - 1))
            if conditional {
                labelBuffer[r] = labelDropout > 0 && rng.nextUniform() < labelDropout ? nullClass : labels[i]
            }
        }
        rng.fillStandardNormal(noise.buffer)
        training.storage.withUnsafeBufferPointer { data in
            for r in 0..<b {
                let ab = schedule.alphaBar[Int(stepBuffer[r])]
                let a = Float(ab.squareRoot()), s = Float((1 - ab).squareRoot())
                let x0 = data.baseAddress! + rowBuffer[r] * d, e = noise.base + r * d, x = xt.base + r * d
                for j in 0..<d { x[j] = a * x0[j] + s * e[j] }
            }
        }
        network.forward(out.base, x: xt.base, steps: stepBuffer, labels: conditional ? labelBuffer : nil, rows: b,
                        parameters: parameters.base)
        let loss = MSELoss.forwardBackward(out.base, target: noise.base, count: b * d)
        network.backward(dout: out.base, parameters: parameters.base, gradients: gradients.base, accumulate: false)
        lastGradientNorm = optimizer.step(parameters: parameters, gradients: gradients, average: ema)
        guard loss.isFinite && lastGradientNorm.isFinite else { return .nan }
        completedSteps += 1
        return loss
    }

    /// Multiply–adds of one step (forward + backward ≈ 3× forward), for throughput figures.
    public var multiplyAddsPerStep: Int { 3 * batch * network.config.forwardMultiplyAdds }
}

/// Mean squared error over `count` values.
public enum MSELoss {
    /// Returns mean((pred − target)²) and overwrites `pred` with its gradient 2(pred − target)/count.
    public static func forwardBackward(_ pred: UnsafeMutablePointer<Float>, target: UnsafePointer<Float>,
                                       count: Int) -> Double {
        var sum = 0.0
        let scale = 2 / Float(count)
        for i in 0..<count {
            let diff = pred[i] - target[i]
            sum += Double(diff) * Double(diff)
            pred[i] = scale * diff
        }
        return sum / Double(count)
    }
}
