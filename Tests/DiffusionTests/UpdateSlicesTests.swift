@testable import Diffusion
import NumericCore
import Testing

/// The update's split over threads: slices tile the buffer, and an update split over two threads gives the same
/// parameters, moments and EMA as one pass.
@Suite("Update slices")
struct UpdateSlicesTests {
    @Test("slices cover every element once, in order, on 16-float boundaries", arguments: [0, 1, 65_535, 65_536, 131_072, 200_003, 5_000_000])
    func tiling(count: Int) {
        for threads in [1, 2, 3, 8, 64] {
            let slices = Optimizer.slices(count: count, threads: threads)
            #expect(slices.parts >= 1 && slices.parts <= min(threads, Optimizer.maximumSlices))
            #expect(slices.parts == 1 || count / slices.parts >= Optimizer.minimumSlice)
            var next = 0
            for i in 0..<slices.parts {
                let r = slices.range(i)
                #expect(r.lowerBound == next && (i == slices.parts - 1 || r.upperBound % 16 == 0))
                next = r.upperBound
            }
            #expect(next == count)
        }
    }

    @Test("Adam with a folded EMA over two threads equals the one-thread update", arguments: [false, true])
    func twoThreadsMatchOne(clip: Bool) {
        let count = 3 * Optimizer.minimumSlice + 5
        var rng = Xoshiro256(seed: 21)
        let start: [Float] = rng.normals(count), gradient: [Float] = rng.normals(count, std: 0.1)
        func run(threads: Int) -> (norm: Double, p: [Float], m: [Float], v: [Float], e: [Float]) {
            BLASRuntime.withThreads(threads) {
                let p = FloatBuffer(start), e = EMA(decay: 0.99, from: p)
                let optimizer = Optimizer(OptimizerSettings(clipNorm: clip ? 1 : nil), parameterCount: count)
                var norm = 0.0
                for _ in 0..<3 { norm = optimizer.step(parameters: p, gradients: FloatBuffer(gradient), average: e) }
                return (norm, p.array, optimizer.first.array, optimizer.second.array, e.weights.array)
            }
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(abs(one.norm - two.norm) <= 1e-12 * one.norm)
        if clip {
            // The clip factor comes from the norm, whose last bits depend on the slicing.
            let worst = zip(one.p, two.p).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-6)
        } else {
            #expect(one.p == two.p && one.m == two.m && one.v == two.v && one.e == two.e)
        }
        #expect(one.p != start)
    }
}
