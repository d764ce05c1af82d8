import NumericCore

// The small MLP classifier behind the "classifier" feature space, llm.c style: forward/backward pairs over raw
// buffers, all parameters in one flat buffer with named slices.
//
// Shape legend:
//   B  batch rows           D  input dimension (pixels)
//   H1 first hidden width   H2 second hidden width = feature dimension (penultimate layer)
//   C  classes
// Network: x[B,D] → linear(W1[D,H1], b1[H1]) → relu → linear(W2[H1,H2], b2[H2]) → relu = features[B,H2]
//          → linear(W3[H2,C], b3[C]) = logits[B,C] → softmax cross-entropy against labels[B].
// The linear layers are NumericCore's `Linear` (weights input-major, [in,out]); caches written before the layout
// was shared hold output-major weights and are converted on load (`ClassifierNetwork(shape:outputMajor:)`).

/// Sizes of the classifier and the offsets of each parameter tensor in the flat buffer.
public struct ClassifierShape: Sendable, Equatable {
    public let inputs: Int, hidden1: Int, hidden2: Int, classes: Int

    public init(inputs: Int, hidden1: Int, hidden2: Int, classes: Int) {
        precondition(inputs > 0 && hidden1 > 0 && hidden2 > 0 && classes > 1, "bad classifier shape")
        self.inputs = inputs
        self.hidden1 = hidden1
        self.hidden2 = hidden2
        self.classes = classes
    }

    /// The weight matrices as (offset, inputs, outputs), first layer first.
    var weights: [(offset: Int, inputs: Int, outputs: Int)] {
        [(w1, inputs, hidden1), (w2, hidden1, hidden2), (w3, hidden2, classes)]
    }

    var w1: Int { 0 }
    var b1: Int { w1 + hidden1 * inputs }
    var w2: Int { b1 + hidden1 }
    var b2: Int { w2 + hidden2 * hidden1 }
    var w3: Int { b2 + hidden2 }
    var b3: Int { w3 + classes * hidden2 }
    /// Total parameter count.
    public var parameterCount: Int { b3 + classes }
}

/// Activations of one batch, allocated once for at most `capacity` rows and reused by every step: one flat
/// buffer with a named slice per tensor (B = capacity).
package struct ClassifierActivations {
    /// Offsets of the tensors in `buffer`.
    struct Slices {
        let z1: Int       // [B,H1] pre-activation
        let a1: Int       // [B,H1] relu(z1)
        let z2: Int       // [B,H2] pre-activation
        let a2: Int       // [B,H2] relu(z2) = features
        let logits: Int   // [B,C]
        let probs: Int    // [B,C] softmax(logits)
        let d1: Int       // [B,H1] gradient scratch
        let d2: Int       // [B,H2] gradient scratch
        let dLogits: Int  // [B,C]
        let end: Int
    }

    let capacity: Int
    let slices: Slices
    var buffer: [Float]

    package init(shape s: ClassifierShape, capacity: Int) {
        self.capacity = capacity
        let h1 = capacity * s.hidden1, h2 = capacity * s.hidden2, c = capacity * s.classes
        let z1 = 0, a1 = z1 + h1, z2 = a1 + h1, a2 = z2 + h2, logits = a2 + h2, probs = logits + c
        let d1 = probs + c, d2 = d1 + h1, dLogits = d2 + h2
        slices = Slices(z1: z1, a1: a1, z2: z2, a2: a2, logits: logits, probs: probs, d1: d1, d2: d2,
                        dLogits: dLogits, end: dLogits + c)
        buffer = [Float](repeating: 0, count: slices.end)
    }

    /// Both layers' pre-activations of the last forward pass (for tests that must stay away from ReLU kinks).
    package func preActivations(batch: Int, shape s: ClassifierShape) -> [Float] {
        Array(buffer[slices.z1..<(slices.z1 + batch * s.hidden1)])
            + Array(buffer[slices.z2..<(slices.z2 + batch * s.hidden2)])
    }
}

/// Forward and backward passes of the classifier's layers besides `Linear`.
enum ClassifierLayers {
    /// out[i] = max(inp[i], 0). Overwrites `out`.
    static func reluForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = max(inp[i], 0) }
    }

    /// d[i] = 0 where the pre-activation z[i] ≤ 0 (in place: d holds dOut on entry, dInp on return).
    static func reluBackward(_ d: UnsafeMutablePointer<Float>, preActivation z: UnsafePointer<Float>, count: Int) {
        for i in 0..<count where z[i] <= 0 { d[i] = 0 }
    }

    /// probs[B,C] = softmax(logits) row by row; returns the mean −log probs[r, labels[r]] (in Double).
    static func softmaxCrossEntropyForward(
        _ probs: UnsafeMutablePointer<Float>, _ logits: UnsafePointer<Float>, labels: UnsafePointer<Int>,
        batch: Int, classes: Int
    ) -> Double {
        var loss = 0.0
        for r in 0..<batch {
            let row = logits + r * classes
            var top = row[0]
            for c in 1..<classes { top = max(top, row[c]) }
            var z = 0.0
            for c in 0..<classes { z += Double(expf(row[c] - top)) }
            for c in 0..<classes { probs[r * classes + c] = Float(Double(expf(row[c] - top)) / z) }
            loss += log(z) - Double(row[labels[r]] - top)
        }
        return loss / Double(batch)
    }

    /// dLogits[B,C] = (probs − onehot(labels)) / B: the gradient of the mean cross-entropy. Overwrites dLogits.
    static func softmaxCrossEntropyBackward(
        _ dLogits: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>, labels: UnsafePointer<Int>,
        batch: Int, classes: Int
    ) {
        let scale = 1 / Float(batch)
        for r in 0..<batch {
            for c in 0..<classes {
                dLogits[r * classes + c] = (probs[r * classes + c] - (c == labels[r] ? 1 : 0)) * scale
            }
        }
    }
}

/// A trained (or being trained) classifier: its shape and flat parameters.
public struct ClassifierNetwork: Sendable, Equatable {
    public let shape: ClassifierShape
    /// All parameters, laid out as `shape`'s slices (W1, b1, W2, b2, W3, b3).
    public var parameters: [Float]

    /// He-normal weights (std √(2/fan-in)) and zero biases from `rng`, drawn output by output (the order of the
    /// output-major layout the classifier had first, so a seed gives the same network as before).
    public init(shape: ClassifierShape, rng: inout Xoshiro256) {
        self.shape = shape
        var p = [Float](repeating: 0, count: shape.parameterCount)
        for (offset, inputs, outputs) in shape.weights {
            let std = (2 / Double(inputs)).squareRoot()
            for o in 0..<outputs {
                for i in 0..<inputs { p[offset + i * outputs + o] = Float(std * rng.nextNormal()) }
            }
        }
        parameters = p
    }

    /// A network from parameters whose weights are output-major ([out,in], the layout of classifier caches written
    /// before the classifier shared `Linear`): each weight matrix is transposed into `Linear`'s [in,out].
    public init(shape: ClassifierShape, outputMajor old: [Float]) {
        var p = old
        for (offset, inputs, outputs) in shape.weights {
            for o in 0..<outputs {
                for i in 0..<inputs { p[offset + i * outputs + o] = old[offset + o * inputs + i] }
            }
        }
        self.init(shape: shape, parameters: p)
    }

    public init(shape: ClassifierShape, parameters: [Float]) {
        precondition(parameters.count == shape.parameterCount,
                     "\(parameters.count) parameters for a classifier that needs \(shape.parameterCount)")
        self.shape = shape
        self.parameters = parameters
    }

    /// Runs rows `x[B,D]` (B ≤ capacity) through the network into `act`; with labels, also the softmax and the
    /// mean cross-entropy, which it returns (0 without labels).
    package func forward(_ x: UnsafePointer<Float>, batch: Int, labels: UnsafePointer<Int>?,
                         into act: inout ClassifierActivations) -> Double {
        precondition(batch <= act.capacity, "batch \(batch) exceeds activation capacity \(act.capacity)")
        let s = shape, o = act.slices
        return parameters.withUnsafeBufferPointer { pp in
            act.buffer.withUnsafeMutableBufferPointer { ab in
                let p = pp.baseAddress!, a = ab.baseAddress!
                Linear.forward(a + o.z1, x, p + s.w1, p + s.b1, rows: batch, in: s.inputs, out: s.hidden1)
                ClassifierLayers.reluForward(a + o.a1, a + o.z1, count: batch * s.hidden1)
                Linear.forward(a + o.z2, a + o.a1, p + s.w2, p + s.b2, rows: batch, in: s.hidden1, out: s.hidden2)
                ClassifierLayers.reluForward(a + o.a2, a + o.z2, count: batch * s.hidden2)
                Linear.forward(a + o.logits, a + o.a2, p + s.w3, p + s.b3, rows: batch, in: s.hidden2, out: s.classes)
                guard let labels else { return 0 }
                return ClassifierLayers.softmaxCrossEntropyForward(a + o.probs, a + o.logits, labels: labels,
                                                                   batch: batch, classes: s.classes)
            }
        }
    }

    /// Adds the gradient of the mean cross-entropy of the last `forward` (which must have had labels) into
    /// `grad` (same layout as `parameters`).
    package func backward(_ x: UnsafePointer<Float>, batch: Int, labels: UnsafePointer<Int>,
                          act: inout ClassifierActivations, grad: UnsafeMutablePointer<Float>) {
        let s = shape, o = act.slices
        parameters.withUnsafeBufferPointer { pp in
            act.buffer.withUnsafeMutableBufferPointer { ab in
                let p = pp.baseAddress!, a = ab.baseAddress!
                ClassifierLayers.softmaxCrossEntropyBackward(a + o.dLogits, probs: a + o.probs, labels: labels,
                                                             batch: batch, classes: s.classes)
                Linear.backward(a + o.d2, grad + s.w3, grad + s.b3, a + o.dLogits, a + o.a2, p + s.w3, rows: batch,
                                in: s.hidden2, out: s.classes)
                ClassifierLayers.reluBackward(a + o.d2, preActivation: a + o.z2, count: batch * s.hidden2)
                Linear.backward(a + o.d1, grad + s.w2, grad + s.b2, a + o.d2, a + o.a1, p + s.w2, rows: batch,
                                in: s.hidden1, out: s.hidden2)
                ClassifierLayers.reluBackward(a + o.d1, preActivation: a + o.z1, count: batch * s.hidden1)
                Linear.backward(nil, grad + s.w1, grad + s.b1, a + o.d1, x, p + s.w1, rows: batch, in: s.inputs,
                                out: s.hidden1)
            }
        }
    }

    /// Penultimate-layer features (count×H2) of rows `x` (count×D), in batches of `batchRows`.
    public func features(_ x: Matrix<Float>, batchRows: Int = 1024) -> Matrix<Float> {
        precondition(x.cols == shape.inputs, "classifier expects \(shape.inputs) inputs per row, got \(x.cols)")
        var out = Matrix<Float>(rows: x.rows, cols: shape.hidden2)
        var act = ClassifierActivations(shape: shape, capacity: min(batchRows, max(x.rows, 1)))
        x.storage.withUnsafeBufferPointer { xp in
            for r0 in stride(from: 0, to: x.rows, by: act.capacity) {
                let b = min(act.capacity, x.rows - r0)
                _ = forward(xp.baseAddress! + r0 * shape.inputs, batch: b, labels: nil, into: &act)
                for i in 0..<(b * shape.hidden2) { out.storage[r0 * shape.hidden2 + i] = act.buffer[act.slices.a2 + i] }
            }
        }
        return out
    }

    /// Predicted class (argmax of the logits, lowest index on ties) of every row of `x`.
    public func predictions(_ x: Matrix<Float>, batchRows: Int = 1024) -> [Int] {
        precondition(x.cols == shape.inputs, "classifier expects \(shape.inputs) inputs per row, got \(x.cols)")
        var out = [Int](repeating: 0, count: x.rows)
        var act = ClassifierActivations(shape: shape, capacity: min(batchRows, max(x.rows, 1)))
        x.storage.withUnsafeBufferPointer { xp in
            for r0 in stride(from: 0, to: x.rows, by: act.capacity) {
                let b = min(act.capacity, x.rows - r0)
                _ = forward(xp.baseAddress! + r0 * shape.inputs, batch: b, labels: nil, into: &act)
                for r in 0..<b {
                    var best = 0
                    let row = act.slices.logits + r * shape.classes
                    for c in 1..<shape.classes where act.buffer[row + c] > act.buffer[row + best] { best = c }
                    out[r0 + r] = best
                }
            }
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
