import Diffusion
import NumericCore

/// DDPM throughput (issue 9): one training step of the residual MLP (depth 3, batch 128: forward, backward, Adam
/// and EMA) on Gaussian data of dimension d, for d ∈ {64, 784} and W ∈ {256, 512, 1024}, and sampling throughput.
/// Flops count the step's matrix products (forward + backward ≈ 3 × forward multiply–adds × 2); each step's
/// reference case runs exactly those GEMMs (same shapes, same order) and nothing else.
public enum DDPMBenchmarks {
    public static func step(dimension d: Int, width w: Int, batch: Int = 128, depth: Int = 3,
                            quick: Bool = false) -> BenchmarkCase {
        let config = MLPConfig(dimension: d, width: w, depth: depth)
        let flops = 2 * 3 * Double(batch) * Double(config.forwardMultiplyAdds)
        return BenchmarkCase(name: "ddpm_train_step_d\(d)_w\(w)_b\(batch)", unit: "steps/s", workPerRepetition: 1,
                             flopsPerRepetition: flops, quick: quick,
                             reference: gemmsName(config, batch: batch, backward: true)) {
            var rng = Xoshiro256(seed: 0)
            let data = Matrix<Float>(rows: 1024, cols: d, storage: rng.normals(1024 * d))
            let net = MLPNetwork(config, maxRows: batch)
            let trainer = DiffusionTrainer(network: net, parameters: net.initialParameters(seed: 0), training: data,
                                           labels: [], schedule: NoiseSchedule(), optimizer: OptimizerSettings(),
                                           batch: batch, ema: 0.999, labelDropout: 0, seed: 0)
            let box = Box(trainer)
            return { box.value.step() }
        }
    }

    /// DDIM sampling of `count` samples over `steps` denoiser evaluations with the network's own batch of
    /// `batch` rows. Unit: samples·steps/s; flops are the forward GEMMs.
    public static func sampling(dimension d: Int, width w: Int, batch: Int = 128, count: Int = 256, steps: Int = 20,
                                depth: Int = 3) -> BenchmarkCase {
        let config = MLPConfig(dimension: d, width: w, depth: depth)
        let work = Double(count * steps)
        return BenchmarkCase(name: "ddpm_sample_d\(d)_w\(w)_b\(batch)", unit: "samples·steps/s", workPerRepetition: work,
                             flopsPerRepetition: 2 * work * Double(config.forwardMultiplyAdds),
                             reference: gemmsName(config, batch: batch, backward: false)) {
            let net = MLPNetwork(config, maxRows: batch)
            let denoiser = MLPDenoiser(network: net, parameters: net.initialParameters(seed: 0))
            let sampler = Sampler(kind: .ddim, steps: steps, schedule: NoiseSchedule())
            let box = Box(denoiser)
            return { _ = sampler.sample(box.value, count: count, seed: 1) }
        }
    }

    /// The (in, out) widths of the network's dense layers, in forward order: input, step embedding (two), the
    /// blocks' two layers each, output. Forward multiply–adds per row are Σ in·out (`forwardMultiplyAdds`).
    static func layers(_ c: MLPConfig) -> [(in: Int, out: Int, needsInputGradient: Bool)] {
        let w = c.width
        return [(c.dimension, w, false), (c.timeEmbedding, w, false), (w, w, true)]
            + Array(repeating: (w, w, true), count: 2 * c.depth) + [(w, c.dimension, true)]
    }

    static func gemmsName(_ c: MLPConfig, batch: Int, backward: Bool) -> String {
        "sgemm_ddpm_\(backward ? "step" : "forward")_d\(c.dimension)_w\(c.width)_b\(batch)"
    }

    /// The GEMMs of one training step (`backward`: forward, then each layer's weight gradient Xᵀ·dY and, where the
    /// network needs it, input gradient dY·Wᵀ) or of one forward pass, at batch `batch`. Unit: GFLOP/s.
    ///
    /// Operands sit where the step's do: every layer has its own weights, input and output activations and
    /// weight gradient (written, β = 0, as the step writes them), and input gradients go to one shared scratch
    /// buffer — so these GEMMs move the data the step's GEMMs move, and the step's ratio to them measures only
    /// the work outside the GEMMs.
    public static func gemms(dimension d: Int, width w: Int, batch b: Int = 128, depth: Int = 3,
                             backward: Bool) -> BenchmarkCase {
        let config = MLPConfig(dimension: d, width: w, depth: depth)
        let shapes = layers(config)
        var flops = 0.0
        for s in shapes {
            let one = 2 * Double(b * s.in * s.out)
            flops += one
            if backward { flops += one + (s.needsInputGradient ? one : 0) }
        }
        return BenchmarkCase(name: gemmsName(config, batch: b, backward: backward), unit: "GFLOP/s",
                             workPerRepetition: flops / 1e9, flopsPerRepetition: flops) {
            var rng = Xoshiro256(seed: 3)
            let weights = shapes.map { FloatBuffer(rng.normals($0.in * $0.out, std: 0.05, as: Float.self)) }
            let inputs = shapes.map { FloatBuffer(rng.normals(b * $0.in, as: Float.self)) }
            let outputs = shapes.map { FloatBuffer(count: b * $0.out) }
            let weightGradients = backward ? shapes.map { FloatBuffer(count: $0.in * $0.out) } : []
            let scratch = FloatBuffer(count: b * shapes.map { max($0.in, $0.out) }.max()!)
            let box = Box((weights, inputs, outputs, weightGradients))
            return {
                let (weights, inputs, outputs, weightGradients) = box.value
                for (l, s) in shapes.enumerated() {
                    Float.gemm(.none, .none, m: b, n: s.out, k: s.in, alpha: 1, a: inputs[l].base, lda: s.in,
                               b: weights[l].base, ldb: s.out, beta: 0, c: outputs[l].base, ldc: s.out)
                }
                guard backward else { return }
                for (l, s) in shapes.enumerated().reversed() {
                    Float.gemm(.transposed, .none, m: s.in, n: s.out, k: b, alpha: 1, a: inputs[l].base, lda: s.in,
                               b: outputs[l].base, ldb: s.out, beta: 0, c: weightGradients[l].base, ldc: s.out)
                    if s.needsInputGradient {
                        Float.gemm(.none, .transposed, m: b, n: s.in, k: s.out, alpha: 1, a: outputs[l].base,
                                   lda: s.out, b: weights[l].base, ldb: s.out, beta: 0, c: scratch.base, ldc: s.in)
                    }
                }
            }
        }
    }

    /// Each training step beside its GEMMs, then sampling at W = 512 beside its forward GEMMs.
    public static var cases: [BenchmarkCase] {
        [64, 784].flatMap { d in
            [256, 512, 1024].flatMap { w in
                [gemms(dimension: d, width: w, backward: true), step(dimension: d, width: w, quick: d == 64 && w == 512)]
            }
        }
            + [64, 784].flatMap { d in
                [gemms(dimension: d, width: 512, backward: false), sampling(dimension: d, width: 512)]
            }
    }
}
