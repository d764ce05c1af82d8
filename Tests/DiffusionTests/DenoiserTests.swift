import Datasets
import Diffusion
import NumericCore
import Testing

@Suite("denoisers on real data")
struct DenoiserTests {
    @Test("the empirical optimum memorizes digits with n = 64: f_mem ≥ 0.99")
    func optimalMemorizes() throws {
        let data = try DatasetLoader.load(.digits, n: 64, testCount: 10, seed: 0)
        let schedule = NoiseSchedule()
        let samples = Sampler(steps: 50, schedule: schedule)
            .sample(OptimalDenoiser(training: data.train, schedule: schedule), count: 200, seed: 0)
        #expect(bruteForceMemorizedFraction(samples, training: data.train) >= 0.99)
    }

    @Test("a freshly initialised network memorizes nothing: f_mem ≈ 0")
    func freshNetwork() throws {
        let data = try DatasetLoader.load(.digits, n: 64, testCount: 10, seed: 0)
        let net = MLPNetwork(MLPConfig(dimension: 64, width: 64, depth: 2), maxRows: 100)
        let samples = Sampler(steps: 20, schedule: NoiseSchedule())
            .sample(MLPDenoiser(network: net, parameters: net.initialParameters(seed: 0)), count: 200, seed: 0)
        #expect(bruteForceMemorizedFraction(samples, training: data.train) <= 0.01)
    }

    @Test("optimal denoiser: ε̂ recovers the noise exactly at small t on a training point")
    func optimalNoise() {
        let train = Matrix<Float>(rows: 3, cols: 2, storage: [1, 0, -1, 0, 0, 1])
        let schedule = NoiseSchedule()
        let den = OptimalDenoiser(training: train, schedule: schedule)
        let k = 40, ab = schedule.alphaBar[k]
        let eps: [Float] = [0.3, -0.2]
        let x = (0..<2).map { Float(ab.squareRoot()) * train[0, $0] + Float((1 - ab).squareRoot()) * eps[$0] }
        let out = FloatBuffer(count: 2)
        let steps: [Int32] = [Int32(k)]
        x.withUnsafeBufferPointer { px in
            steps.withUnsafeBufferPointer { den.predictNoise(out.base, x: px.baseAddress!, steps: $0.baseAddress!, labels: nil, rows: 1) }
        }
        #expect(abs(out[0] - eps[0]) < 1e-3 && abs(out[1] - eps[1]) < 1e-3)
    }
}

@Suite("fixed-time loss")
struct FixedTimeLossTests {
    @Test("the empirical optimum has ≈ 0 loss on its training points at t = 0.01 and a large one on held-out points")
    func optimalLosses() throws {
        let data = try DatasetLoader.load(.digits, n: 64, testCount: 64, seed: 2)
        let schedule = NoiseSchedule()
        let k = schedule.step(nearestTime: 0.01)
        let optimal = OptimalDenoiser(training: data.train, schedule: schedule)
        let train = FixedTimeLoss(points: data.train, labels: [], schedule: schedule, step: k, draws: 5, seed: 1)
        let test = FixedTimeLoss(points: data.test, labels: [], schedule: schedule, step: k, draws: 5, seed: 2)
        #expect(train.evaluate(optimal) < 1e-6)
        #expect(test.evaluate(optimal) > 1)
        #expect(train.evaluate(optimal) == train.evaluate(optimal))
    }
}
