import Diffusion
import Testing

@Suite("optimizers and EMA")
struct OptimizerTests {
    @Test("Adam's first step moves every parameter by lr·sign(g)")
    func adamFirstStep() {
        let p = FloatBuffer([1, -2, 3]), g = FloatBuffer([0.5, -4, 0])
        let opt = Optimizer(OptimizerSettings(kind: .adam, learningRate: 0.1, epsilon: 0), parameterCount: 3)
        opt.step(parameters: p, gradients: g)
        #expect(abs(p[0] - 0.9) < 1e-6 && abs(p[1] - -1.9) < 1e-6)
        #expect(p[2].isNaN || p[2] == 3)
    }

    @Test("SGD with momentum accumulates velocity")
    func sgdMomentum() {
        let p = FloatBuffer([0]), g = FloatBuffer([1])
        let opt = Optimizer(OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.5), parameterCount: 1)
        opt.step(parameters: p, gradients: g)
        g[0] = 1
        opt.step(parameters: p, gradients: g)
        #expect(abs(p[0] - -0.25) < 1e-6)
    }

    @Test("coupled weight decay adds λp to the gradient; decoupled shrinks p by lr·λ")
    func weightDecay() {
        let coupled = FloatBuffer([2]), decoupled = FloatBuffer([2])
        Optimizer(OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.5, weightDecay: 0.5,
                                    decoupledWeightDecay: false), parameterCount: 1)
            .step(parameters: coupled, gradients: FloatBuffer([0]))
        Optimizer(OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.5, weightDecay: 0.5,
                                    decoupledWeightDecay: true), parameterCount: 1)
            .step(parameters: decoupled, gradients: FloatBuffer([0]))
        #expect(abs(coupled[0] - 1.9) < 1e-6)
        #expect(abs(decoupled[0] - 1.9) < 1e-6)
        let adamDecoupled = FloatBuffer([2])
        Optimizer(OptimizerSettings(kind: .adam, learningRate: 0.1, weightDecay: 0.5), parameterCount: 1)
            .step(parameters: adamDecoupled, gradients: FloatBuffer([1e-3]))
        #expect(abs(adamDecoupled[0] - (2 * 0.95 - 0.1)) < 1e-4)
    }

    @Test("clipping rescales the gradient to the maximum norm and reports the norm before")
    func clipping() {
        let p = FloatBuffer([0, 0]), g = FloatBuffer([3, 4])
        let norm = Optimizer(OptimizerSettings(kind: .sgd, learningRate: 1, momentum: 0.5, clipNorm: 1),
                             parameterCount: 2).step(parameters: p, gradients: g)
        #expect(norm == 5)
        #expect(abs(p[0] - -0.6) < 1e-6 && abs(p[1] - -0.8) < 1e-6)
    }

    @Test("warm-up ramps the learning rate linearly")
    func warmup() {
        let opt = Optimizer(OptimizerSettings(kind: .sgd, learningRate: 1, momentum: 0.5, warmupSteps: 4), parameterCount: 1)
        var rates: [Double] = []
        for _ in 0..<5 {
            rates.append(opt.currentLearningRate)
            opt.step(parameters: FloatBuffer([0]), gradients: FloatBuffer([0]))
        }
        #expect(rates == [0.25, 0.5, 0.75, 1, 1])
    }

    @Test("a non-finite gradient leaves the parameters unchanged")
    func nonFinite() {
        let p = FloatBuffer([1]), g = FloatBuffer([.nan])
        let norm = Optimizer(OptimizerSettings(), parameterCount: 1).step(parameters: p, gradients: g)
        #expect(norm.isNaN && p[0] == 1)
    }

    @Test("EMA follows β·ē + (1 − β)·p")
    func ema() {
        let p = FloatBuffer([0])
        let e = EMA(decay: 0.9, from: p)
        p[0] = 1
        e.update(from: p)
        e.update(from: p)
        #expect(abs(e.weights[0] - 0.19) < 1e-6)
    }
}
