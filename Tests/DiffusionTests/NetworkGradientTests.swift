import Diffusion
import NumericCore
import Testing

@Suite("whole-network gradient")
struct NetworkGradientTests {
    @Test("residual MLP, all parameters, with and without LayerNorm and classes", arguments: [false, true])
    func network(layerNorm: Bool) {
        let config = MLPConfig(dimension: 3, width: 8, depth: 2, timeEmbedding: 4, layerNorm: layerNorm,
                               classes: layerNorm ? 3 : 0)
        let rows = 4
        let net = MLPNetwork(config, maxRows: rows)
        let params = net.initialParameters(seed: 3)
        let x = GradientCheck.random(rows * 3, seed: 13)
        let steps: [Int32] = [1, 40, 500, 999]
        let labels: [Int32] = [0, 1, 3, 2]
        let dout = GradientCheck.random(rows * 3, seed: 14)
        let out = FloatBuffer(count: rows * 3)
        func loss() -> Double {
            x.withUnsafeBufferPointer { px in
                steps.withUnsafeBufferPointer { ps in
                    labels.withUnsafeBufferPointer { pl in
                        net.forward(out.base, x: px.baseAddress!, steps: ps.baseAddress!,
                                    labels: config.classes > 0 ? pl.baseAddress! : nil, rows: rows,
                                    parameters: params.base)
                    }
                }
            }
            return GradientCheck.dot(out.base, dout)
        }
        _ = loss()
        let grads = FloatBuffer(count: params.count)
        dout.withUnsafeBufferPointer { net.backward(dout: $0.baseAddress!, parameters: params.base, gradients: grads.base) }
        // Overwriting (a training step's mode) sets every slot: over a buffer of garbage it gives the gradient
        // that adding into zeros gives, bit for bit.
        let written = FloatBuffer(GradientCheck.random(params.count, seed: 15, std: 100))
        dout.withUnsafeBufferPointer {
            net.backward(dout: $0.baseAddress!, parameters: params.base, gradients: written.base, accumulate: false)
        }
        #expect(written.array == grads.array)
        let numeric = GradientCheck.numerical(params.base, count: params.count, loss: loss)
        #expect(GradientCheck.relativeError(grads.array, numeric) < 1e-3)
        for s in net.layout.slices {
            let a = Array(grads.array[s.offset..<(s.offset + s.count)]), b = Array(numeric[s.offset..<(s.offset + s.count)])
            if s.name == "class.table" || b.allSatisfy({ $0 == 0 }) { continue }
            #expect(GradientCheck.relativeError(a, b) < 1e-2, "slice \(s.name)")
        }
    }
}
