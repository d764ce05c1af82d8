import NumericCore
import Testing

/// The shared linear layer: backward against central differences of its forward, and its accumulation modes.
@Suite("Linear layer")
struct LinearTests {
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        return rng.normals(count)
    }

    @Test("backward matches central differences of ⟨y, dy⟩ in x, w and b")
    func finiteDifferences() {
        let rows = 3, i = 4, o = 5
        var x = Self.random(rows * i, seed: 1), w = Self.random(i * o, seed: 2), b = Self.random(o, seed: 3)
        let dy = Self.random(rows * o, seed: 4)
        var y = [Float](repeating: 0, count: rows * o)
        // The loss ⟨y, dy⟩ has gradient dy in y, so backward(dy) is its gradient in x, w and b.
        func loss() -> Double {
            Linear.forward(&y, x, w, b, rows: rows, in: i, out: o)
            return zip(y, dy).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        /// ∂loss/∂v[k] for every k of the tensor `tensor` names (0: x, 1: w, 2: b), by central differences.
        func numerical(_ tensor: Int) -> [Double] {
            let h: Float = 1e-2
            func nudge(_ k: Int, by delta: Float) {
                switch tensor {
                case 0: x[k] += delta
                case 1: w[k] += delta
                default: b[k] += delta
                }
            }
            return (0..<[x.count, w.count, b.count][tensor]).map { k in
                nudge(k, by: h)
                let plus = loss()
                nudge(k, by: -2 * h)
                let minus = loss()
                nudge(k, by: h)
                return (plus - minus) / (2 * Double(h))
            }
        }
        func relativeError(_ a: [Float], _ b: [Double]) -> Double {
            let diff = zip(a, b).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) }
            return (diff / b.reduce(0) { $0 + $1 * $1 }).squareRoot()
        }
        _ = loss()
        var dx = [Float](repeating: 0, count: rows * i), dw = [Float](repeating: 0, count: i * o)
        var db = [Float](repeating: 0, count: o)
        Linear.backward(&dx, &dw, &db, dy, x, w, rows: rows, in: i, out: o)
        #expect(relativeError(dx, numerical(0)) < 1e-3)
        #expect(relativeError(dw, numerical(1)) < 1e-3)
        #expect(relativeError(db, numerical(2)) < 1e-3)
    }

    @Test("backward adds into the parameter gradients, overwrites them on request, and adds into dx on request")
    func accumulation() {
        let x: [Float] = [1, 2], w: [Float] = [3], dy: [Float] = [1, 1]
        var dx: [Float] = [10, 10], dw: [Float] = [5], db: [Float] = [7]
        Linear.backward(&dx, &dw, &db, dy, x, w, rows: 2, in: 1, out: 1, accumulateInput: true)
        #expect(dw == [8] && db == [9] && dx == [13, 13])
        Linear.backward(&dx, &dw, &db, dy, x, w, rows: 2, in: 1, out: 1, accumulateParameters: false)
        #expect(dw == [3] && db == [2] && dx == [3, 3])
    }
}
