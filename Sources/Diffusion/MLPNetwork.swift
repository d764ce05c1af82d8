import NumericCore

/// The residual-MLP ε-denoiser ε_θ(x_k, k, c): forward and backward over a batch, with every activation that
/// backward needs cached in one workspace allocated at init (capacity `maxRows`).
///
/// Shapes (B rows ≤ maxRows, d data, W width, E step embedding, L blocks):
///   e   = TimeEmbedding(k)                   [B×E]
///   t1  = e·Wt1 + bt1, t1a = SiLU(t1)        [B×W]
///   h0  = x·Win + bin + (t1a·Wt2 + bt2) + cls[c]   [B×W]
///   block l: n = LN(h_l) (or h_l), a = SiLU(n), u = a·W1 + b1, v = SiLU(u), h_{l+1} = h_l + v·W2 + b2
///   nf = LN(h_L) (or h_L), af = SiLU(nf), out = af·Wout + bout   [B×d]
/// Parameters live in one flat buffer laid out by `layout`; the network itself holds no weights, so the same
/// network runs the trained weights, the EMA weights, or perturbed copies in gradient checks.
public final class MLPNetwork {
    public let config: MLPConfig
    public let layout: ParameterLayout
    public let maxRows: Int

    struct Block { var lnG = 0, lnB = 0, w1 = 0, b1 = 0, w2 = 0, b2 = 0 }
    private let pIn: Int, pInB: Int, pT1: Int, pT1B: Int, pT2: Int, pT2B: Int, pCls: Int
    private let pBlocks: [Block]
    private let pLnG: Int, pLnB: Int, pOut: Int, pOutB: Int
    /// The parameters whose gradient backward adds row by row instead of writing with a GEMM (LayerNorm gains
    /// and biases, the class table): zeroed first when backward overwrites.
    private let rowSummedSlices: [ParameterLayout.Slice]

    /// Activations: offsets into `cache` for a B = maxRows batch.
    private let cache: FloatBuffer
    private let aE: Int, aT1: Int, aT1a: Int, aT2: Int, aH: Int, aN: Int, aStats: Int, aA: Int, aU: Int, aV: Int
    private let aNF: Int, aStatsF: Int, aAF: Int
    /// σ of each SiLU's input (kept by forward for backward): of t1, of each block's n and u, and of nf.
    private let aSigT1: Int, aSigA: Int, aSigV: Int, aSigF: Int
    /// Backward scratch: three B×W buffers.
    private let scratch: FloatBuffer
    /// The step and label inputs of the last forward pass.
    private let steps: UnsafeMutablePointer<Int32>
    private let labels: UnsafeMutablePointer<Int32>
    private var lastRows = 0
    /// Step embeddings of steps 0..<embeddedSteps (`TimeEmbedding.table`), grown when a larger step arrives.
    private var embeddings: [Float] = []
    private var embeddedSteps = 0
    private var lastInput: UnsafePointer<Float>?

    public init(_ config: MLPConfig, maxRows: Int) {
        precondition(config.timeEmbedding % 2 == 0, "the step embedding width must be even")
        self.config = config
        self.maxRows = maxRows
        let d = config.dimension, w = config.width, e = config.timeEmbedding, l = config.depth
        var p = ParameterLayout()
        pIn = p.add("in.weight", [d, w]); pInB = p.add("in.bias", [w])
        pT1 = p.add("time1.weight", [e, w]); pT1B = p.add("time1.bias", [w])
        pT2 = p.add("time2.weight", [w, w]); pT2B = p.add("time2.bias", [w])
        pCls = config.classes > 0 ? p.add("class.table", [config.classes + 1, w]) : 0
        var blocks: [Block] = []
        for i in 0..<l {
            var b = Block()
            if config.layerNorm { b.lnG = p.add("block\(i).ln.gain", [w]); b.lnB = p.add("block\(i).ln.bias", [w]) }
            b.w1 = p.add("block\(i).fc1.weight", [w, w]); b.b1 = p.add("block\(i).fc1.bias", [w])
            b.w2 = p.add("block\(i).fc2.weight", [w, w]); b.b2 = p.add("block\(i).fc2.bias", [w])
            blocks.append(b)
        }
        pBlocks = blocks
        if config.layerNorm {
            pLnG = p.add("final.ln.gain", [w]); pLnB = p.add("final.ln.bias", [w])
        } else {
            pLnG = 0; pLnB = 0
        }
        pOut = p.add("out.weight", [w, d]); pOutB = p.add("out.bias", [d])
        layout = p
        rowSummedSlices = p.slices.filter { $0.name.hasSuffix(".ln.gain") || $0.name.hasSuffix(".ln.bias")
            || $0.name == "class.table" }

        let bw = maxRows * w
        var o = 0
        func take(_ n: Int) -> Int { defer { o += n }; return o }
        aE = take(maxRows * e); aT1 = take(bw); aT1a = take(bw); aT2 = take(bw)
        aH = take((l + 1) * bw); aN = take(l * bw); aStats = take(l * 2 * maxRows)
        aA = take(l * bw); aU = take(l * bw); aV = take(l * bw)
        aNF = take(bw); aStatsF = take(2 * maxRows); aAF = take(bw)
        aSigT1 = take(bw); aSigA = take(l * bw); aSigV = take(l * bw); aSigF = take(bw)
        cache = FloatBuffer(count: o)
        scratch = FloatBuffer(count: 3 * bw)
        steps = .allocate(capacity: maxRows)
        labels = .allocate(capacity: maxRows)
    }

    deinit {
        steps.deallocate()
        labels.deallocate()
    }

    /// Initial weights: N(0, 1/fan_in) for matrices, N(0, 1/W) for the class table, zero biases, unit LN gains.
    public func initialParameters(seed: UInt64) -> FloatBuffer {
        var rng = Xoshiro256(seed: seed, stream: 0x1417)
        let params = FloatBuffer(count: layout.count)
        for s in layout.slices {
            let slot = UnsafeMutableBufferPointer(start: params.base + s.offset, count: s.count)
            if s.name.hasSuffix(".gain") {
                slot.update(repeating: 1)
            } else if s.shape.count == 2 {
                let fanIn = s.name == "class.table" ? config.width : s.shape[0]
                rng.fillNormal(slot, std: 1 / Double(fanIn).squareRoot())
            }
        }
        return params
    }

    /// Computes out [rows×d] from x [rows×d], steps [rows] and labels [rows] (nil: unconditional; ignored when
    /// the network has no classes). Caches what `backward` needs; x must stay valid until then.
    public func forward(_ out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, steps ks: UnsafePointer<Int32>,
                        labels ls: UnsafePointer<Int32>?, rows: Int, parameters: UnsafePointer<Float>) {
        precondition(rows <= maxRows, "batch of \(rows) exceeds the network's capacity \(maxRows)")
        let c = config, w = c.width, d = c.dimension, e = c.timeEmbedding, a = cache.base, p = parameters
        let n = rows * w
        steps.update(from: ks, count: rows)
        if c.classes > 0 {
            if let ls { labels.update(from: ls, count: rows) } else { labels.update(repeating: Int32(c.classes), count: rows) }
        }
        lastRows = rows
        lastInput = x

        embedSteps(a + aE, rows: rows)
        Linear.forward(a + aT1, a + aE, p + pT1, p + pT1B, rows: rows, in: e, out: w)
        SiLU.forward(a + aT1a, sigmoid: a + aSigT1, a + aT1, count: n)
        Linear.forward(a + aT2, a + aT1a, p + pT2, p + pT2B, rows: rows, in: w, out: w)
        let h0 = a + aH
        Linear.forward(h0, x, p + pIn, p + pInB, rows: rows, in: d, out: w)
        for i in 0..<n { h0[i] += a[aT2 + i] }
        if c.classes > 0 { ClassEmbedding.forward(h0, labels: labels, p + pCls, rows: rows, width: w) }

        for (l, b) in pBlocks.enumerated() {
            let h = a + aH + l * maxRows * w, hNext = h + maxRows * w
            let nrm = normalized(h, l: l, b: b, rows: rows, parameters: p)
            let act = a + aA + l * maxRows * w, u = a + aU + l * maxRows * w, v = a + aV + l * maxRows * w
            SiLU.forward(act, sigmoid: a + aSigA + l * maxRows * w, nrm, count: n)
            Linear.forward(u, act, p + b.w1, p + b.b1, rows: rows, in: w, out: w)
            SiLU.forward(v, sigmoid: a + aSigV + l * maxRows * w, u, count: n)
            Linear.forward(hNext, v, p + b.w2, p + b.b2, rows: rows, in: w, out: w)
            for i in 0..<n { hNext[i] += h[i] }
        }
        let hL = a + aH + c.depth * maxRows * w
        var nf = UnsafePointer(hL)
        if c.layerNorm {
            LayerNorm.forward(a + aNF, a + aStatsF, a + aStatsF + maxRows, hL, p + pLnG, p + pLnB, rows: rows, width: w)
            nf = UnsafePointer(a + aNF)
        }
        SiLU.forward(a + aAF, sigmoid: a + aSigF, nf, count: n)
        Linear.forward(out, a + aAF, p + pOut, p + pOutB, rows: rows, in: w, out: d)
    }

    /// Copies each row's step embedding from the table (the same numbers `TimeEmbedding.forward` computes).
    private func embedSteps(_ out: UnsafeMutablePointer<Float>, rows: Int) {
        let e = config.timeEmbedding
        var top = 0
        for r in 0..<rows {
            precondition(steps[r] >= 0, "negative diffusion step \(steps[r])")
            top = max(top, Int(steps[r]))
        }
        if top >= embeddedSteps {
            embeddedSteps = max(top + 1, 1024)
            embeddings = TimeEmbedding.table(steps: embeddedSteps, width: e)
        }
        embeddings.withUnsafeBufferPointer { table in
            for r in 0..<rows { (out + r * e).update(from: table.baseAddress! + Int(steps[r]) * e, count: e) }
        }
    }

    private func normalized(_ h: UnsafeMutablePointer<Float>, l: Int, b: Block, rows: Int,
                            parameters p: UnsafePointer<Float>) -> UnsafePointer<Float> {
        guard config.layerNorm else { return UnsafePointer(h) }
        let w = config.width, a = cache.base
        let nrm = a + aN + l * maxRows * w, stats = a + aStats + l * 2 * maxRows
        LayerNorm.forward(nrm, stats, stats + maxRows, h, p + b.lnG, p + b.lnB, rows: rows, width: w)
        return UnsafePointer(nrm)
    }

    /// Adds the gradient of Σ out·dout (over the last forward pass) into `gradients`, or with `accumulate` false
    /// writes it there (every parameter's slot is set: a training step needs no zeroing pass over the gradient).
    public func backward(dout: UnsafePointer<Float>, parameters p: UnsafePointer<Float>,
                         gradients g: UnsafeMutablePointer<Float>, accumulate: Bool = true) {
        let c = config, w = c.width, d = c.dimension, e = c.timeEmbedding, a = cache.base, rows = lastRows
        let n = rows * w
        guard let x = lastInput else { preconditionFailure("backward before forward") }
        let dh = scratch.base, g1 = scratch.base + maxRows * w, g2 = scratch.base + 2 * maxRows * w
        if !accumulate {
            for s in rowSummedSlices { (g + s.offset).update(repeating: 0, count: s.count) }
        }
        func linear(_ dx: UnsafeMutablePointer<Float>?, _ weight: Int, _ bias: Int, _ dy: UnsafePointer<Float>,
                    _ x: UnsafePointer<Float>, in: Int, out: Int) {
            Linear.backward(dx, g + weight, g + bias, dy, x, p + weight, rows: rows, in: `in`, out: out,
                            accumulateParameters: accumulate)
        }

        linear(g1, pOut, pOutB, dout, a + aAF, in: w, out: d)
        let hL = a + aH + c.depth * maxRows * w
        if c.layerNorm {
            SiLU.backward(g2, g1, a + aNF, sigmoid: a + aSigF, count: n)
            dh.update(repeating: 0, count: n)
            LayerNorm.backward(dh, g + pLnG, g + pLnB, g2, hL, a + aStatsF, a + aStatsF + maxRows, p + pLnG,
                               rows: rows, width: w)
        } else {
            SiLU.backward(dh, g1, hL, sigmoid: a + aSigF, count: n)
        }
        for (l, b) in pBlocks.enumerated().reversed() {
            let h = a + aH + l * maxRows * w
            let act = a + aA + l * maxRows * w, u = a + aU + l * maxRows * w, v = a + aV + l * maxRows * w
            let sigA = a + aSigA + l * maxRows * w, sigV = a + aSigV + l * maxRows * w
            linear(g1, b.w2, b.b2, dh, v, in: w, out: w)
            SiLU.backward(g1, g1, u, sigmoid: sigV, count: n)
            linear(g2, b.w1, b.b1, g1, act, in: w, out: w)
            if c.layerNorm {
                let nrm = a + aN + l * maxRows * w, stats = a + aStats + l * 2 * maxRows
                SiLU.backward(g2, g2, nrm, sigmoid: sigA, count: n)
                LayerNorm.backward(dh, g + b.lnG, g + b.lnB, g2, h, stats, stats + maxRows, p + b.lnG,
                                   rows: rows, width: w)
            } else {
                SiLU.backward(g2, g2, h, sigmoid: sigA, count: n)
                for i in 0..<n { dh[i] += g2[i] }
            }
        }
        linear(nil, pIn, pInB, dh, x, in: d, out: w)
        if c.classes > 0 { ClassEmbedding.backward(g + pCls, dh, labels: labels, rows: rows, width: w) }
        linear(g1, pT2, pT2B, dh, a + aT1a, in: w, out: w)
        SiLU.backward(g1, g1, a + aT1, sigmoid: a + aSigT1, count: n)
        linear(nil, pT1, pT1B, g1, a + aE, in: e, out: w)
    }
}
