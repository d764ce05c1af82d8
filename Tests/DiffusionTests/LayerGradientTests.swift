import Diffusion
import Foundation
import NumericCore
import Testing

@Suite("layer gradients (finite differences)")
struct LayerGradientTests {
    let tolerance = 1e-3

    @Test("SiLU")
    func silu() {
        let n = 20
        let x = FloatBuffer(GradientCheck.random(n, seed: 5, std: 2)), dy = GradientCheck.random(n, seed: 6)
        let y = FloatBuffer(count: n), sigmoid = FloatBuffer(count: n)
        func loss() -> Double {
            SiLU.forward(y.base, sigmoid: sigmoid.base, x.base, count: n)
            return GradientCheck.dot(y.base, dy)
        }
        _ = loss()
        let dx = FloatBuffer(count: n)
        dy.withUnsafeBufferPointer { SiLU.backward(dx.base, $0.baseAddress!, x.base, sigmoid: sigmoid.base, count: n) }
        #expect(GradientCheck.relativeError(dx.array, GradientCheck.numerical(x.base, count: n, loss: loss)) < tolerance)
    }

    @Test("SiLU values and derivatives match the Float64 formulas, in place too, for any length", arguments: [1, 16, 37, 300])
    func siluValues(count n: Int) {
        let x = (0..<n).map { Float(-40 + 80 * Double($0) / Double(max(n - 1, 1))) }
        let dy = GradientCheck.random(n, seed: 12)
        var y = [Float](repeating: 0, count: n), sigmoid = y, dx = y, inPlace = dy
        SiLU.forward(&y, sigmoid: &sigmoid, x, count: n)
        dy.withUnsafeBufferPointer { SiLU.backward(&dx, $0.baseAddress!, x, sigmoid: sigmoid, count: n) }
        inPlace.withUnsafeMutableBufferPointer {
            SiLU.backward($0.baseAddress!, $0.baseAddress!, x, sigmoid: sigmoid, count: n)
        }
        for i in 0..<n {
            let v = Double(x[i]), s = 1 / (1 + Foundation.exp(-v))
            #expect(abs(Double(sigmoid[i]) - s) <= 1e-6 * s)
            let derivative = Double(dy[i]) * (s + v * s * (1 - s))
            // Relative to the size of the terms: the sum cancels where the derivative crosses zero.
            let scale = abs(Double(dy[i])) * (s + abs(v) * s * (1 - s))
            #expect(abs(Double(y[i]) - v * s) <= 1e-6 * max(abs(v * s), 1e-30))
            #expect(abs(Double(dx[i]) - derivative) <= 1e-6 * max(scale, 1e-30))
        }
        #expect(inPlace == dx)
    }

    @Test("LayerNorm: dx, dgain, dbias")
    func layerNorm() {
        let rows = 3, w = 6
        let x = FloatBuffer(GradientCheck.random(rows * w, seed: 7, std: 2))
        let g = FloatBuffer(GradientCheck.random(w, seed: 8)), b = FloatBuffer(GradientCheck.random(w, seed: 9))
        let dy = GradientCheck.random(rows * w, seed: 10)
        let y = FloatBuffer(count: rows * w), mean = FloatBuffer(count: rows), rstd = FloatBuffer(count: rows)
        func loss() -> Double {
            LayerNorm.forward(y.base, mean.base, rstd.base, x.base, g.base, b.base, rows: rows, width: w)
            return GradientCheck.dot(y.base, dy)
        }
        _ = loss()
        let dx = FloatBuffer(count: rows * w), dg = FloatBuffer(count: w), db = FloatBuffer(count: w)
        dy.withUnsafeBufferPointer {
            LayerNorm.backward(dx.base, dg.base, db.base, $0.baseAddress!, x.base, mean.base, rstd.base, g.base,
                               rows: rows, width: w)
        }
        #expect(GradientCheck.relativeError(dx.array, GradientCheck.numerical(x.base, count: x.count, loss: loss)) < tolerance)
        #expect(GradientCheck.relativeError(dg.array, GradientCheck.numerical(g.base, count: w, loss: loss)) < tolerance)
        #expect(GradientCheck.relativeError(db.array, GradientCheck.numerical(b.base, count: w, loss: loss)) < tolerance)
    }

    @Test("class embedding: the table gradient, including a repeated label")
    func classEmbedding() {
        let rows = 4, w = 3, classes = 3
        let table = FloatBuffer(GradientCheck.random((classes + 1) * w, seed: 11))
        let labels: [Int32] = [0, 2, 2, 3]
        let dy = GradientCheck.random(rows * w, seed: 12)
        let h = FloatBuffer(count: rows * w)
        func loss() -> Double {
            h.fill(0)
            labels.withUnsafeBufferPointer { ClassEmbedding.forward(h.base, labels: $0.baseAddress!, table.base, rows: rows, width: w) }
            return GradientCheck.dot(h.base, dy)
        }
        let dt = FloatBuffer(count: table.count)
        labels.withUnsafeBufferPointer { l in
            dy.withUnsafeBufferPointer { ClassEmbedding.backward(dt.base, $0.baseAddress!, labels: l.baseAddress!, rows: rows, width: w) }
        }
        #expect(GradientCheck.relativeError(dt.array, GradientCheck.numerical(table.base, count: table.count, loss: loss)) < tolerance)
    }

    @Test("time embedding: sin and cos of k·ω_i with ω_0 = 1")
    func timeEmbedding() {
        let e = FloatBuffer(count: 8)
        let steps: [Int32] = [0, 3]
        steps.withUnsafeBufferPointer { TimeEmbedding.forward(e.base, steps: $0.baseAddress!, rows: 2, width: 4) }
        #expect(e.array[0] == 0 && e.array[2] == 1)
        #expect(abs(e.array[4] - Float(sin(3.0))) < 1e-6 && abs(e.array[6] - Float(cos(3.0))) < 1e-6)
        #expect(abs(e.array[5] - Float(sin(3.0 / 100))) < 1e-6)
    }

    @Test("the network's step-embedding table gives the computed embeddings, whatever steps grew it")
    func timeEmbeddingTable() {
        let width = 6, steps: [Int32] = [0, 7, 999, 4321]
        let direct = FloatBuffer(count: steps.count * width)
        steps.withUnsafeBufferPointer { TimeEmbedding.forward(direct.base, steps: $0.baseAddress!, rows: 4, width: width) }
        let table = TimeEmbedding.table(steps: 5000, width: width)
        for (r, k) in steps.enumerated() {
            #expect(Array(table[(Int(k) * width)..<(Int(k) * width + width)]) == Array(direct.array[(r * width)..<(r * width + width)]))
        }
        // One network sees a small step first (a 1024-row table, then grown for 4321), another the large one first.
        let config = MLPConfig(dimension: 2, width: 8, depth: 1, timeEmbedding: width)
        let grown = MLPNetwork(config, maxRows: 4), direct2 = MLPNetwork(config, maxRows: 4)
        let params = grown.initialParameters(seed: 1), x: [Float] = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]
        func run(_ net: MLPNetwork, _ steps: [Int32]) -> [Float] {
            let out = FloatBuffer(count: steps.count * 2)
            net.forward(out.base, x: x, steps: steps, labels: nil, rows: steps.count, parameters: params.base)
            return out.array
        }
        _ = run(grown, [3])
        #expect(run(grown, steps) == run(direct2, steps))
    }
}

import Foundation
