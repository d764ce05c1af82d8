import Datasets
import Diffusion
import Foundation
import NumericCore
import Testing

@Suite("training")
struct TrainerTests {
    func trainer(_ data: Dataset, width: Int, depth: Int, lr: Double, batch: Int, ema: Double? = nil,
                 seed: UInt64 = 0) -> DiffusionTrainer {
        let net = MLPNetwork(MLPConfig(dimension: data.dimension, width: width, depth: depth, timeEmbedding: 16),
                             maxRows: max(batch, 128))
        return DiffusionTrainer(network: net, parameters: net.initialParameters(seed: seed), training: data.train,
                                labels: [], schedule: NoiseSchedule(), optimizer: OptimizerSettings(learningRate: lr),
                                batch: batch, ema: ema, labelDropout: 0, seed: seed)
    }

    @Test("the same seed reproduces the weights bit for bit")
    func reproducible() throws {
        let data = try DatasetLoader.load(.gaussian(dimension: 3), n: 50, testCount: 10, seed: 4)
        let a = trainer(data, width: 16, depth: 1, lr: 1e-2, batch: 16, ema: 0.9)
        let b = trainer(data, width: 16, depth: 1, lr: 1e-2, batch: 16, ema: 0.9)
        for _ in 0..<20 { a.step(); b.step() }
        #expect(a.parameters.array == b.parameters.array)
        #expect(a.ema!.weights.array == b.ema!.weights.array)
        let c = trainer(data, width: 16, depth: 1, lr: 1e-2, batch: 16, seed: 5)
        c.step()
        #expect(c.parameters.array != a.parameters.array)
    }

    @Test("training on a 2-d Gaussian gives samples with its mean and covariance")
    func gaussianConverges() throws {
        let data = try DatasetLoader.load(.gaussian(dimension: 2), n: 2000, testCount: 10, seed: 1)
        let t = trainer(data, width: 32, depth: 1, lr: 3e-3, batch: 128, ema: 0.99)
        let sampler = Sampler(steps: 40, schedule: NoiseSchedule())
        func error(_ params: FloatBuffer) -> Double {
            let s = sampler.sample(MLPDenoiser(network: t.network, parameters: params), count: 1000, seed: 2)
            var m = [0.0, 0.0], c = [0.0, 0.0, 0.0]
            for r in 0..<s.rows { m[0] += Double(s[r, 0]); m[1] += Double(s[r, 1]) }
            m = m.map { $0 / Double(s.rows) }
            for r in 0..<s.rows {
                let a = Double(s[r, 0]) - m[0], b = Double(s[r, 1]) - m[1]
                c[0] += a * a; c[1] += a * b; c[2] += b * b
            }
            c = c.map { $0 / Double(s.rows - 1) }
            let e = [m[0], m[1], c[0] - 1, c[1], c[2] - 1].map(abs).max()!
            return e.isFinite ? e : .infinity
        }
        let before = error(t.evaluationParameters)
        for _ in 0..<1500 { t.step() }
        let after = error(t.evaluationParameters)
        #expect(after < 0.15, "max error of mean/covariance entries after training: \(after)")
        #expect(after < before / 5, "before \(before), after \(after)")
    }

    @Test("checkpoints round-trip and are written atomically")
    func checkpoint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-ckpt-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = MLPConfig(dimension: 4, width: 8, depth: 2, timeEmbedding: 4, layerNorm: true, classes: 3)
        let net = MLPNetwork(config, maxRows: 2)
        let p = net.initialParameters(seed: 1).array
        let ckpt = Checkpoint(config: config, schedule: .cosine, scheduleSteps: 1000, step: 17,
                              metadata: ["data": "digits"], parameters: p, emaParameters: p.map { $0 * 2 })
        let path = dir + "/a.ckpt"
        try ckpt.write(to: path)
        #expect(try Checkpoint.read(path: path) == ckpt)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.ckpt"])
        var bytes = ckpt.encode()
        bytes.removeLast()
        #expect(throws: CheckpointError.self) { try Checkpoint.decode(bytes, path: "x") }
        #expect(throws: CheckpointError.self) { try Checkpoint.write(ckpt)(to: dir + "/missing/b.ckpt") }
    }
}
