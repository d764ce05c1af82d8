import Diffusion
import NumericCore
import Testing

@Suite("noise schedule and samplers")
struct ScheduleAndSamplerTests {
    @Test("linear schedule: t = 0.01 near k = 40, t = 0.1 near k = 136, ᾱ decreasing to ≈ 4e−5")
    func linear() {
        let s = NoiseSchedule(.linear)
        #expect(abs(s.step(nearestTime: 0.01) - 40) <= 1)
        #expect(abs(s.step(nearestTime: 0.1) - 136) <= 2)
        #expect(s.alphaBar[0] == 1 && s.alphaBar[1000] < 1e-4 && s.alphaBar[1000] > 1e-5)
        #expect(zip(s.alphaBar, s.alphaBar.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test("cosine schedule is decreasing and ends near 0")
    func cosine() {
        let s = NoiseSchedule(.cosine)
        #expect(zip(s.alphaBar, s.alphaBar.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(s.alphaBar[1000] < 1e-3 && s.alphaBar[500] > 0.3)
    }

    @Test("step sequence runs from T − 1 down to 1 without repeats")
    func sequence() {
        for steps in [1, 2, 10, 100, 999] {
            let seq = Sampler(steps: steps, schedule: NoiseSchedule()).stepSequence
            #expect(seq.count == steps && seq.first == 999)
            #expect(steps == 1 || seq.last == 1)
            #expect(zip(seq, seq.dropFirst()).allSatisfy { $0 > $1 })
        }
    }

    @Test("with the exact optimum of one training point, DDIM and ancestral sampling return that point",
          arguments: [Sampler.Kind.ddim, .ddpm])
    func singlePoint(kind: Sampler.Kind) {
        let point = Matrix<Float>(rows: 1, cols: 3, storage: [0.5, -0.25, 1])
        let schedule = NoiseSchedule()
        let samples = Sampler(kind: kind, steps: 50, schedule: schedule)
            .sample(OptimalDenoiser(training: point, schedule: schedule), count: 5, seed: 1)
        for r in 0..<5 { for j in 0..<3 { #expect(abs(samples[r, j] - point[0, j]) < 1e-3) } }
    }

    @Test("the same seed gives the same samples; another seed different ones")
    func seeded() {
        let data = Matrix<Float>(rows: 4, cols: 2, storage: [1, 1, -1, -1, 1, -1, -1, 1])
        let schedule = NoiseSchedule()
        let d = OptimalDenoiser(training: data, schedule: schedule)
        let s = Sampler(kind: .ddpm, steps: 20, schedule: schedule)
        #expect(s.sample(d, count: 6, seed: 3) == s.sample(d, count: 6, seed: 3))
        #expect(s.sample(d, count: 6, seed: 3) != s.sample(d, count: 6, seed: 4))
    }
}
