import Diffusion
import NumericCore

/// DDPM training-step throughput (issue 4): one step of the residual MLP (depth 3, batch 128, Adam) on Gaussian
/// data of dimension d, for d ∈ {64, 784} and W ∈ {256, 512, 1024}. Flops count the step's matrix products
/// (forward + backward ≈ 3 × forward multiply–adds × 2).
public enum DDPMBenchmarks {
    public static func step(dimension d: Int, width w: Int, batch: Int = 128, depth: Int = 3,
                            quick: Bool = false) -> BenchmarkCase {
        let config = MLPConfig(dimension: d, width: w, depth: depth)
        let flops = 2 * 3 * Double(batch) * Double(config.forwardMultiplyAdds)
        return BenchmarkCase(name: "ddpm_step_d\(d)_w\(w)", unit: "steps/s", workPerRepetition: 1,
                             flopsPerRepetition: flops, quick: quick) {
            var rng = Xoshiro256(seed: 0)
            let data = Matrix<Float>(rows: 1024, cols: d, storage: rng.normals(1024 * d))
            let net = MLPNetwork(config, maxRows: batch)
            let trainer = DiffusionTrainer(network: net, parameters: net.initialParameters(seed: 0), training: data,
                                           labels: [], schedule: NoiseSchedule(), optimizer: OptimizerSettings(),
                                           batch: batch, ema: nil, labelDropout: 0, seed: 0)
            let box = TrainerBox(trainer)
            return { box.trainer.step() }
        }
    }

    public static var cases: [BenchmarkCase] {
        [64, 784].flatMap { d in [256, 512, 1024].map { step(dimension: d, width: $0, quick: d == 64 && $0 == 256) } }
    }
}

/// The trainer owned by one benchmark closure.
final class TrainerBox: @unchecked Sendable {
    let trainer: DiffusionTrainer
    init(_ trainer: DiffusionTrainer) { self.trainer = trainer }
}
