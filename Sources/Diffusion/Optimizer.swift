import Foundation
import NumericCore

/// Settings of the parameter update.
public struct OptimizerSettings: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// SGD with (heavy-ball) momentum (Paper B: lr 0.01, momentum 0.95).
        case sgd
        /// Adam (Paper A: lr 2e−4).
        case adam
    }

    public var kind: Kind
    public var learningRate: Double
    /// SGD momentum μ.
    public var momentum: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Weight decay λ on every parameter.
    public var weightDecay: Double
    /// True: decoupled (p ← p − lr·λ·p, AdamW); false: coupled (g ← g + λ·p).
    public var decoupledWeightDecay: Bool
    /// Maximum global gradient norm (nil: no clipping).
    public var clipNorm: Double?
    /// Steps of linear learning-rate warm-up from 0.
    public var warmupSteps: Int

    public init(kind: Kind = .adam, learningRate: Double = 1e-3, momentum: Double = 0.9, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0,
                decoupledWeightDecay: Bool = true, clipNorm: Double? = nil, warmupSteps: Int = 0) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.clipNorm = clipNorm
        self.warmupSteps = warmupSteps
    }
}

/// Updates a flat parameter buffer from its flat gradient, with moment buffers of the same layout.
public final class Optimizer {
    public let settings: OptimizerSettings
    /// First moment (Adam) or velocity (SGD).
    public let first: FloatBuffer
    /// Second moment (Adam only).
    public let second: FloatBuffer
    public private(set) var updates = 0

    /// Σg² of each slice of the last update.
    private let partialNorms: UnsafeMutablePointer<Double>

    public init(_ settings: OptimizerSettings, parameterCount: Int) {
        self.settings = settings
        first = FloatBuffer(count: parameterCount)
        second = FloatBuffer(count: settings.kind == .adam ? parameterCount : 0)
        partialNorms = .allocate(capacity: Self.maximumSlices)
    }

    deinit { partialNorms.deallocate() }

    /// Takes back the moments and update count saved from an optimizer of the same settings and size (a
    /// resumed run); false if they do not fit.
    public func restore(first: [Float], second: [Float], updates: Int) -> Bool {
        guard first.count == self.first.count, second.count == self.second.count, updates >= 0 else { return false }
        _ = self.first.buffer.update(fromContentsOf: first)
        _ = self.second.buffer.update(fromContentsOf: second)
        self.updates = updates
        return true
    }

    /// The learning rate of the next update (after warm-up).
    public var currentLearningRate: Double {
        let s = settings
        return s.warmupSteps > 0 ? s.learningRate * min(1, Double(updates + 1) / Double(s.warmupSteps)) : s.learningRate
    }

    /// Applies one update; clips `gradients` in place first, and updates `average` from the new parameters in the
    /// same pass (exactly as `EMA.update` would). Returns the gradient's global norm before clipping (non-finite
    /// when the gradient is; nothing is updated then). Large buffers are updated in slices on several threads
    /// (`slices(count:threads:)`): each element's update is the same whatever the slicing, but the norm is summed
    /// slice by slice, so its last bits (and, with clipping, the clipped update's) depend on the number of threads.
    @discardableResult
    public func step(parameters: FloatBuffer, gradients: FloatBuffer, average: EMA? = nil) -> Double {
        let s = settings, count = parameters.count
        if let average {
            precondition(average.weights.count == count, "EMA of \(average.weights.count) weights for \(count) parameters")
        }
        let slices = Self.slices(count: count)
        let (p, g, m, v, e, partial) = (parameters.base, gradients.base, first.base, second.base, average?.weights.base,
                                        partialNorms)
        slices.forEach { i, r in partial[i] = UpdateKernels.squaredNorm(g + r.lowerBound, count: r.count) }
        var squared = 0.0
        for i in 0..<slices.parts { squared += partialNorms[i] }
        let norm = squared.squareRoot()
        guard norm.isFinite else { return norm }
        let clip: Float? = s.clipNorm.flatMap { norm > $0 ? Float($0 / norm) : nil }
        let lr = currentLearningRate
        updates += 1
        let coupled: Float? = !s.decoupledWeightDecay && s.weightDecay > 0 ? Float(s.weightDecay) : nil
        let decay = s.decoupledWeightDecay ? Float(1 - lr * s.weightDecay) : 1
        let adam = Adam(beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon)
        let weightDecay: Adam.WeightDecay = s.decoupledWeightDecay ? .decoupled(s.weightDecay) : .coupled(s.weightDecay)
        let emaDecay = average?.decay ?? 0
        slices.forEach { _, r in
            let o = r.lowerBound
            if let clip { UpdateKernels.scale(g + o, by: clip, count: r.count) }
            let folded = e.map { FoldedAverage(weights: $0 + o, decay: emaDecay) }
            switch s.kind {
            case .sgd:
                UpdateKernels.sgd(p: p + o, g: g + o, m: m + o, count: r.count, momentum: Float(s.momentum),
                                  lr: Float(lr), decay: decay, coupledDecay: coupled, average: folded)
            case .adam:
                adam.update(parameters: p + o, gradients: g + o, first: m + o, second: v + o, count: r.count,
                            step: updates, learningRate: lr, weightDecay: weightDecay, average: folded)
            }
        }
        return norm
    }

    /// Fewest floats worth a slice of their own: below this, waking a thread costs more than it saves.
    static let minimumSlice = 65_536
    /// Most slices (also the capacity of the per-slice norms).
    static let maximumSlices = 16

    /// The update's split of `count` floats: one slice per BLAS thread (the update is memory-bound, and one core
    /// alone cannot draw the machine's memory bandwidth), on 16-float boundaries (the kernels' vector width).
    static func slices(count: Int, threads: Int = BLASRuntime.threads) -> ParallelParts {
        ParallelParts(count: count, maximum: min(max(1, threads), maximumSlices), minimumLength: minimumSlice,
                      alignment: 16)
    }
}
