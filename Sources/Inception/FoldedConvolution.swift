import CInceptionKernels
import NumericCore

// Shapes (one image, NHWC): input h×w×c (pixel stride ld ≥ c), output oh×ow×o (pixel stride ldo ≥ o),
// patch matrix (oh·ow)×K with K = kh·kw·c ordered (ky, kx, ch), weights K×o.

/// An Inception convolution with its batch norm folded in: y = ReLU(conv(x, W·s) + shift), s = 1/√(var + 10⁻³)
/// per output channel, shift = β − mean·s (no γ: the TF graph has none; no bias).
///
/// Computed as one sgemm (patches × weights, Float32) followed by the shift and the ReLU: 1×1 stride-1
/// convolutions multiply the NHWC input directly, the others go through an im2col patch matrix.
public struct FoldedConvolution: Sendable {
    /// Module path in the weights file, e.g. `layers.mixed_4.tower.conv_1`.
    public let name: String
    public let inChannels: Int
    public let outChannels: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let stride: Int
    public let padHeight: Int
    public let padWidth: Int
    /// K×out, K = kh·kw·in ordered (ky, kx, ch): the weights times the batch norm's scale.
    let weights: [Float]
    /// out: β − mean·s.
    let shift: [Float]

    /// Batch-norm epsilon of the TF graph.
    public static let epsilon: Float = 1e-3

    /// Reads `name.weight`, `.beta`, `.mean`, `.var`, `.stride`, `.padding` from `w` and folds the batch norm.
    public init(_ w: InceptionWeights, name: String) throws {
        let raw = try w.tensor(name + ".weight")
        let shape = w.entries[name + ".weight"]!.shape
        guard shape.count == 4 else {
            throw InceptionWeightsError("\(w.source): '\(name).weight' has shape \(shape), expected out×in×kh×kw")
        }
        let (o, c, kh, kw) = (shape[0], shape[1], shape[2], shape[3])
        let beta = try w.tensor(name + ".beta", shape: [o])
        let mean = try w.tensor(name + ".mean", shape: [o])
        let variance = try w.tensor(name + ".var", shape: [o])
        let strideValues = try w.tensor(name + ".stride")
        let padValues = try w.tensor(name + ".padding")
        guard strideValues.count == 1, let s = Int(exactly: strideValues.first!), s >= 1,
              padValues.count == 1 || padValues.count == 2 else {
            throw InceptionWeightsError("\(w.source): '\(name)' has an invalid stride \(Array(strideValues)) or padding \(Array(padValues))")
        }
        let pads = padValues.map { Int($0) }
        self.init(name: name, inChannels: c, outChannels: o, kernelHeight: kh, kernelWidth: kw, stride: s,
                  padHeight: pads[0], padWidth: pads.count == 2 ? pads[1] : pads[0],
                  weightsOIHW: Array(raw), beta: Array(beta), mean: Array(mean), variance: Array(variance))
    }

    /// A convolution from PyTorch-layout weights (out×in×kh×kw, row-major) and its batch-norm statistics.
    public init(name: String, inChannels c: Int, outChannels o: Int, kernelHeight kh: Int, kernelWidth kw: Int,
                stride: Int, padHeight: Int, padWidth: Int,
                weightsOIHW: [Float], beta: [Float], mean: [Float], variance: [Float]) {
        precondition(weightsOIHW.count == o * c * kh * kw && beta.count == o && mean.count == o && variance.count == o,
                     "convolution \(name): parameter counts do not match \(o)×\(c)×\(kh)×\(kw)")
        self.name = name
        inChannels = c
        outChannels = o
        kernelHeight = kh
        kernelWidth = kw
        self.stride = stride
        self.padHeight = padHeight
        self.padWidth = padWidth
        let scale = variance.map { 1 / ($0 + Self.epsilon).squareRoot() }
        shift = (0..<o).map { beta[$0] - mean[$0] * scale[$0] }
        var folded = [Float](repeating: 0, count: kh * kw * c * o)
        for oc in 0..<o {
            for ic in 0..<c {
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        folded[((ky * kw + kx) * c + ic) * o + oc] = weightsOIHW[((oc * c + ic) * kh + ky) * kw + kx] * scale[oc]
                    }
                }
            }
        }
        weights = folded
    }

    /// Rows of the patch matrix: K.
    public var patchLength: Int { kernelHeight * kernelWidth * inChannels }

    /// Whether the input is its own patch matrix (1×1, stride 1, no padding).
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padHeight == 0 && padWidth == 0 }

    /// Output height and width for an h×w input.
    public func outputSize(height h: Int, width w: Int) -> (height: Int, width: Int) {
        ((h + 2 * padHeight - kernelHeight) / stride + 1, (w + 2 * padWidth - kernelWidth) / stride + 1)
    }

    /// Multiply–adds for an h×w input: oh·ow·K·out.
    public func multiplyAdds(height h: Int, width w: Int) -> Int {
        let (oh, ow) = outputSize(height: h, width: w)
        return oh * ow * patchLength * outChannels
    }

    /// Writes ReLU(conv + shift) of `input` into `output` (which must have the output's size and `outChannels`
    /// channels), using `patches` (at least oh·ow·K floats) for the im2col matrix. One single-threaded-or-not
    /// sgemm, whatever OpenBLAS's thread count is.
    func forward(_ input: ActivationView, into output: ActivationView, patches: UnsafeMutablePointer<Float>) {
        precondition(input.channels == inChannels, "\(name): input has \(input.channels) channels, expected \(inChannels)")
        let (oh, ow) = outputSize(height: input.height, width: input.width)
        precondition(output.height == oh && output.width == ow && output.channels == outChannels,
                     "\(name): output view is \(output.height)×\(output.width)×\(output.channels), expected \(oh)×\(ow)×\(outChannels)")
        let m = oh * ow, k = patchLength
        let a: UnsafePointer<Float>, lda: Int
        if isPointwise {
            a = UnsafePointer(input.base)
            lda = input.stride
        } else {
            gw_inception_im2col(patches, input.base, input.height, input.width, input.channels, input.stride,
                                kernelHeight, kernelWidth, stride, padHeight, padWidth, oh, ow)
            a = UnsafePointer(patches)
            lda = k
        }
        weights.withUnsafeBufferPointer { b in
            Float.gemm(.none, .none, m: m, n: outChannels, k: k, alpha: 1, a: a, lda: lda, b: b.baseAddress!,
                       ldb: outChannels, beta: 0, c: output.base, ldc: output.stride)
        }
        shift.withUnsafeBufferPointer { s in
            gw_inception_shift_relu(output.base, m, outChannels, output.stride, s.baseAddress!)
        }
    }
}

extension FoldedConvolution {
    /// The output (oh×ow×out, NHWC) for one contiguous h×w×in NHWC image: the fast path on fresh buffers, for tests.
    package func apply(toImage image: [Float], height h: Int, width w: Int) -> [Float] {
        precondition(image.count == h * w * inChannels, "image is not \(h)×\(w)×\(inChannels)")
        let (oh, ow) = outputSize(height: h, width: w)
        var input = image
        var output = [Float](repeating: 0, count: oh * ow * outChannels)
        var patches = [Float](repeating: 0, count: max(1, oh * ow * patchLength))
        input.withUnsafeMutableBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                patches.withUnsafeMutableBufferPointer { p in
                    forward(ActivationView(base: x.baseAddress!, height: h, width: w, channels: inChannels, stride: inChannels),
                            into: ActivationView(base: y.baseAddress!, height: oh, width: ow, channels: outChannels, stride: outChannels),
                            patches: p.baseAddress!)
                }
            }
        }
        return output
    }
}

/// One image's activations in NHWC layout, or a channel slice of them: pixel (y, x) starts at
/// `base[(y·width + x)·stride]` and holds `channels` contiguous values (`stride` ≥ `channels`).
struct ActivationView {
    var base: UnsafeMutablePointer<Float>
    var height: Int
    var width: Int
    var channels: Int
    var stride: Int

    /// Channels `offset ..< offset + count` of the same pixels.
    func slice(_ offset: Int, _ count: Int) -> ActivationView {
        precondition(offset >= 0 && offset + count <= channels, "channel slice \(offset)+\(count) outside \(channels)")
        return ActivationView(base: base + offset, height: height, width: width, channels: count, stride: stride)
    }
}
