import CKernels
import Foundation

/// Adam with bias-corrected moments over flat Float buffers: the one copy behind the DDPM optimizer, the RF
/// readout's optimizer and the feature classifier's training. One vectorized pass (CKernels' `gw_adam`, no fused
/// multiply–adds, so bit-identical to the scalar formula on every vector unit) updates moments and parameters,
/// applies weight decay and, optionally, folds an EMA of the new parameters in (the update is memory-bound).
///
/// For update t (1-based) at learning rate lr, with g′ = g + λp (coupled decay) or g:
/// m ← β₁m + (1 − β₁)g′; v ← β₂v + (1 − β₂)g′²; p ← δ·p − lr·(m·c₁)/(√(v·c₂) + ε), where c₁ = 1/(1 − β₁ᵗ),
/// c₂ = 1/(1 − β₂ᵗ) (computed in Double, then rounded) and δ = 1 − lr·λ with decoupled decay (AdamW), else 1.
public struct Adam: Sendable, Equatable {
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// How weight decay λ enters the update.
    public enum WeightDecay: Sendable, Equatable {
        case none
        /// AdamW: p shrinks by the factor 1 − lr·λ, outside the moments.
        case decoupled(Double)
        /// L2 penalty: λp is added to the gradient before the moments.
        case coupled(Double)
    }

    /// The bias corrections (c₁, c₂) of update `step` (1-based).
    public func biasCorrections(step: Int) -> (c1: Float, c2: Float) {
        let t = Double(step)
        return (Float(1 / (1 - pow(beta1, t))), Float(1 / (1 - pow(beta2, t))))
    }

    /// Applies update number `step` (1-based) to `count` parameters from their gradients, in place on the
    /// parameters and both moments; with `average`, also e ← β·e + (1 − β)·p of the new parameters.
    public func update(
        parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
        first m: UnsafeMutablePointer<Float>, second v: UnsafeMutablePointer<Float>, count: Int,
        step: Int, learningRate lr: Double, weightDecay: WeightDecay = .none, average: FoldedAverage? = nil
    ) {
        precondition(step >= 1, "Adam's updates count from 1")
        let (c1, c2) = biasCorrections(step: step)
        var decay: Float = 1, coupled: Float = 0, hasCoupled: Int32 = 0
        switch weightDecay {
        case .none: break
        case .decoupled(let lambda): decay = Float(1 - lr * lambda)
        case .coupled(let lambda) where lambda > 0: (coupled, hasCoupled) = (Float(lambda), 1)
        case .coupled: break
        }
        gw_adam(p, g, m, v, count, Float(beta1), Float(beta2), c1, c2, Float(lr), Float(epsilon), decay, hasCoupled,
                coupled, average.c)
    }
}

/// An exponential moving average folded into an update pass: e ← β·e + (1 − β)·p of the new parameters.
public struct FoldedAverage {
    public let weights: UnsafeMutablePointer<Float>
    public let decay: Float

    public init(weights: UnsafeMutablePointer<Float>, decay: Float) {
        self.weights = weights
        self.decay = decay
    }
}

extension Optional where Wrapped == FoldedAverage {
    /// The C kernels' form (no average when the weights are NULL).
    package var c: gw_average { gw_average(weights: self?.weights, decay: self?.decay ?? 0) }
}
