import Datasets
import Diffusion
import NumericCore
import RunFiles

/// Throughput of the DDPM training step against the machine's sgemm, for the benchmark table.
public enum DDPMBenchmark {
    public struct Result: Sendable {
        public var dimension: Int
        public var width: Int
        public var batch: Int
        public var stepsPerSecond: Double
        /// Multiply–adds × 2 per second of the training step's matrix products, in GFLOP/s.
        public var stepGFLOPS: Double
        /// A plain sgemm of the step's largest product shape (batch×W by W×W), in GFLOP/s.
        public var sgemmGFLOPS: Double
        public var efficiency: Double { stepGFLOPS / sgemmGFLOPS }
    }

    /// Times `seconds` of training steps on Gaussian data of dimension d (depth 3), after a short warm-up.
    public static func measure(dimension d: Int, width: Int, depth: Int = 3, batch: Int = 128,
                               seconds: Double = 2) throws -> Result {
        let data = try DatasetLoader.load(.gaussian(dimension: d), n: 1024, testCount: 1, seed: 0)
        let net = MLPNetwork(MLPConfig(dimension: d, width: width, depth: depth), maxRows: batch)
        let trainer = DiffusionTrainer(network: net, parameters: net.initialParameters(seed: 0), training: data.train,
                                       labels: [], schedule: NoiseSchedule(), optimizer: OptimizerSettings(),
                                       batch: batch, ema: nil, labelDropout: 0, seed: 0)
        for _ in 0..<5 { trainer.step() }
        let start = RunWriter.monotonicSeconds()
        var steps = 0
        while RunWriter.monotonicSeconds() - start < seconds {
            trainer.step()
            steps += 1
        }
        let rate = Double(steps) / (RunWriter.monotonicSeconds() - start)
        return Result(dimension: d, width: width, batch: batch, stepsPerSecond: rate,
                      stepGFLOPS: rate * 2 * Double(trainer.multiplyAddsPerStep) / 1e9,
                      sgemmGFLOPS: sgemmRate(m: batch, n: width, k: width, seconds: seconds / 2))
    }

    /// GFLOP/s of repeated m×k by k×n sgemm.
    static func sgemmRate(m: Int, n: Int, k: Int, seconds: Double) -> Double {
        var rng = Xoshiro256(seed: 1)
        let a = Matrix<Float>(rows: m, cols: k, storage: rng.normals(m * k))
        let b = Matrix<Float>(rows: k, cols: n, storage: rng.normals(k * n))
        var c = Matrix<Float>(rows: m, cols: n)
        let start = RunWriter.monotonicSeconds()
        var calls = 0
        while RunWriter.monotonicSeconds() - start < seconds {
            c.gemm(a, .none, b, .none)
            calls += 1
        }
        return Double(calls) * 2 * Double(m * n * k) / (RunWriter.monotonicSeconds() - start) / 1e9
    }
}
