import Foundation
import NumericCore
import Testing

/// The shared Adam: bit for bit against its scalar formula, against a textbook Float64 Adam on a small quadratic,
/// weight decay outside the moments when decoupled, and the folded EMA equal to a separate one.
@Suite("Adam")
struct AdamTests {
    static func values(_ count: Int, seed: UInt64, positive: Bool = false) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        let x: [Float] = rng.normals(count)
        return positive ? x.map { $0 * $0 } : x
    }

    static let decays: [Adam.WeightDecay] = [.none, .decoupled(0.1), .coupled(0.01)]

    @Test("one update matches the scalar formula exactly", arguments: [1, 15, 16, 37, 1000], decays)
    func scalarFormula(count: Int, weightDecay: Adam.WeightDecay) {
        var p = Self.values(count, seed: 1), m = Self.values(count, seed: 2), v = Self.values(count, seed: 3, positive: true)
        let g = Self.values(count, seed: 4)
        var (rp, rm, rv) = (p, m, v)
        let adam = Adam(), step = 3, lr = 1e-3
        let (c1, c2) = adam.biasCorrections(step: step)
        #expect(c1 == Float(1 / (1 - 0.9 * 0.9 * 0.9)))
        let (b1, b2, eps) = (Float(0.9), Float(0.999), Float(1e-8))
        var decay: Float = 1, coupled: Float? = nil
        if case .decoupled(let l) = weightDecay { decay = Float(1 - lr * l) }
        if case .coupled(let l) = weightDecay { coupled = Float(l) }
        for i in 0..<count {
            let gi = coupled.map { g[i] + $0 * rp[i] } ?? g[i]
            rm[i] = b1 * rm[i] + (1 - b1) * gi
            rv[i] = b2 * rv[i] + (1 - b2) * gi * gi
            rp[i] = decay * rp[i] - Float(lr) * (rm[i] * c1) / ((rv[i] * c2).squareRoot() + eps)
        }
        adam.update(parameters: &p, gradients: g, first: &m, second: &v, count: count, step: step, learningRate: lr,
                    weightDecay: weightDecay)
        #expect(p == rp && m == rm && v == rv)
    }

    @Test("follows a textbook Float64 Adam on a small quadratic and reaches its minimum")
    func naiveReference() {
        // f(p) = ½ Σ aᵢ (pᵢ − bᵢ)², ∇f = a ⊙ (p − b).
        let a: [Double] = [1, 4, 0.5, 2], b: [Double] = [1, -2, 3, 0.5]
        var p = [Float](repeating: 0, count: 4), m = p, v = p, g = p
        var rp = [Double](repeating: 0, count: 4), rm = rp, rv = rp
        let adam = Adam(), lr = 0.05
        for t in 1...400 {
            for i in 0..<4 { g[i] = Float(a[i] * (Double(p[i]) - b[i])) }
            adam.update(parameters: &p, gradients: g, first: &m, second: &v, count: 4, step: t, learningRate: lr)
            for i in 0..<4 {
                let gi = a[i] * (rp[i] - b[i])
                rm[i] = 0.9 * rm[i] + 0.1 * gi
                rv[i] = 0.999 * rv[i] + 0.001 * gi * gi
                let mHat = rm[i] / (1 - pow(0.9, Double(t))), vHat = rv[i] / (1 - pow(0.999, Double(t)))
                rp[i] -= lr * mHat / (vHat.squareRoot() + 1e-8)
            }
            if t == 20 { for i in 0..<4 { #expect(abs(Double(p[i]) - rp[i]) < 1e-4) } }
        }
        for i in 0..<4 { #expect(abs(Double(p[i]) - b[i]) < 0.02 && abs(rp[i] - b[i]) < 0.02) }
    }

    @Test("decoupled weight decay shrinks the parameters outside the moments; coupled decay enters them")
    func decoupledWeightDecay() {
        let zero: [Float] = [0, 0]
        var p: [Float] = [2, -1], m = zero, v = zero
        Adam().update(parameters: &p, gradients: zero, first: &m, second: &v, count: 2, step: 1, learningRate: 0.1,
                      weightDecay: .decoupled(0.5))
        #expect(p == [Float(0.95) * 2, Float(0.95) * -1] && m == zero && v == zero)
        var q: [Float] = [2, -1], mq = zero, vq = zero
        Adam().update(parameters: &q, gradients: zero, first: &mq, second: &vq, count: 2, step: 1, learningRate: 0.1,
                      weightDecay: .coupled(0.5))
        #expect(mq[0] > 0 && mq[1] < 0)
        #expect(abs(q[0] - 1.9) < 1e-5 && abs(q[1] + 0.9) < 1e-5)  // Adam's first step moves each by lr·sign(g′)
    }

    @Test("an EMA folded into the update equals the update followed by a separate EMA", arguments: [1, 37, 1000])
    func foldedAverage(count: Int) {
        let g = Self.values(count, seed: 12)
        var p = Self.values(count, seed: 13), m = Self.values(count, seed: 14), v = Self.values(count, seed: 15, positive: true)
        var e = Self.values(count, seed: 16)
        var (sp, sm, sv, se) = (p, m, v, e)
        let adam = Adam()
        e.withUnsafeMutableBufferPointer { pe in
            adam.update(parameters: &p, gradients: g, first: &m, second: &v, count: count, step: 2, learningRate: 1e-3,
                        average: FoldedAverage(weights: pe.baseAddress!, decay: 0.99))
        }
        adam.update(parameters: &sp, gradients: g, first: &sm, second: &sv, count: count, step: 2, learningRate: 1e-3)
        for i in 0..<count { se[i] = 0.99 * se[i] + (1 - 0.99) * sp[i] }
        #expect(p == sp && m == sm && v == sv && e == se)
        #expect(e != Self.values(count, seed: 16))
    }
}
