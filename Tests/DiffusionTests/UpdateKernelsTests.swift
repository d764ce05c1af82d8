@testable import Diffusion
import NumericCore
import Testing

/// The vectorized update loops besides Adam (NumericCoreTests' `AdamTests`) against the plain scalar formulas they
/// replace: bit for bit on lengths with and without a tail, with and without coupled weight decay.
@Suite("Update kernels")
struct UpdateKernelsTests {
    static let counts = [1, 15, 16, 37, 1000]

    static func values(_ count: Int, seed: UInt64, positive: Bool = false) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        let x: [Float] = rng.normals(count)
        return positive ? x.map { $0 * $0 } : x
    }

    @Test("SGD with momentum matches the scalar update exactly", arguments: counts, [nil, Float(0.01)])
    func sgd(count: Int, coupled: Float?) {
        var p = Self.values(count, seed: 5), m = Self.values(count, seed: 6)
        let g = Self.values(count, seed: 7)
        var (rp, rm) = (p, m)
        let mu: Float = 0.95, lr: Float = 0.01, decay: Float = coupled == nil ? 0.999 : 1
        for i in 0..<count {
            let gi = coupled.map { g[i] + $0 * rp[i] } ?? g[i]
            rm[i] = mu * rm[i] + gi
            rp[i] = decay * rp[i] - lr * rm[i]
        }
        g.withUnsafeBufferPointer { pg in
            UpdateKernels.sgd(p: &p, g: pg.baseAddress!, m: &m, count: count, momentum: mu, lr: lr, decay: decay,
                              coupledDecay: coupled)
        }
        #expect(p == rp && m == rm)
    }

    @Test("an EMA folded into SGD equals the update followed by the separate EMA", arguments: counts)
    func foldedAverage(count: Int) {
        let g = Self.values(count, seed: 12)
        var p = Self.values(count, seed: 13), m = Self.values(count, seed: 14)
        var e = Self.values(count, seed: 16)
        var (sp, sm, se) = (p, m, e)
        func update(_ p: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ average: FoldedAverage?) {
            g.withUnsafeBufferPointer { pg in
                UpdateKernels.sgd(p: p, g: pg.baseAddress!, m: m, count: count, momentum: 0.9, lr: 0.01, decay: 1,
                                  coupledDecay: nil, average: average)
            }
        }
        e.withUnsafeMutableBufferPointer { pe in
            update(&p, &m, FoldedAverage(weights: pe.baseAddress!, decay: 0.99))
        }
        update(&sp, &sm, nil)
        sp.withUnsafeBufferPointer { UpdateKernels.ema(&se, from: $0.baseAddress!, count: count, decay: 0.99) }
        #expect(p == sp && m == sm && e == se)
        #expect(e != Self.values(count, seed: 16))
    }

    @Test("EMA and scaling match the scalar loops exactly", arguments: counts)
    func emaAndScale(count: Int) {
        var e = Self.values(count, seed: 8), g = Self.values(count, seed: 9)
        let p = Self.values(count, seed: 10)
        let b: Float = 0.999
        let re = zip(e, p).map { b * $0 + (1 - b) * $1 }
        let rg = g.map { $0 * 0.3 }
        p.withUnsafeBufferPointer { UpdateKernels.ema(&e, from: $0.baseAddress!, count: count, decay: b) }
        UpdateKernels.scale(&g, by: 0.3, count: count)
        #expect(e == re && g == rg)
    }

    @Test("the squared norm equals the sequential Float64 sum to rounding", arguments: counts)
    func squaredNorm(count: Int) {
        let g = Self.values(count, seed: 11)
        let reference = g.reduce(0.0) { $0 + Double($1) * Double($1) }
        let s = g.withUnsafeBufferPointer { UpdateKernels.squaredNorm($0.baseAddress!, count: count) }
        #expect(abs(s - reference) <= 1e-13 * reference)
        #expect(UpdateKernels.squaredNorm([3, 4], count: 2) == 25)
    }
}
