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
            let weights = shapes.map { rng.normals($0.in * $0.out, std: 0.05, as: Float.self) }
            let width = shapes.map { max($0.in, $0.out) }.max()!
            let x = FloatBuffer(rng.normals(b * width, as: Float.self))
            let y = FloatBuffer(count: b * width), dw = FloatBuffer(count: width * width)
            let box = Box(weights)
            return {
                for (l, s) in shapes.enumerated() {
                    box.value[l].withUnsafeBufferPointer { pw in
                        Float.gemm(.none, .none, m: b, n: s.out, k: s.in, alpha: 1, a: x.base, lda: s.in,
                                   b: pw.baseAddress!, ldb: s.out, beta: 0, c: y.base, ldc: s.out)
                    }
                }
                guard backward else { return }
                for (l, s) in shapes.enumerated().reversed() {
                    Float.gemm(.transposed, .none, m: s.in, n: s.out, k: b, alpha: 1, a: x.base, lda: s.in,
                               b: y.base, ldb: s.out, beta: 1, c: dw.base, ldc: s.out)
                    if s.needsInputGradient {
                        box.value[l].withUnsafeBufferPointer { pw in
                            Float.gemm(.none, .transposed, m: b, n: s.in, k: s.out, alpha: 1, a: y.base, lda: s.out,
                                       b: pw.baseAddress!, ldb: s.out, beta: 0, c: x.base, ldc: s.in)
                        }
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
