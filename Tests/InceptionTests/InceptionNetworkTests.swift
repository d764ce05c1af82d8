import Foundation
import Inception
import Metrics
import NumericCore
import Testing

@Suite("Inception-v3 FID network")
struct InceptionNetworkTests {
    @Test("the two reference inputs give the reference pool3 vectors to 1e-4 per feature")
    func referenceVectors() throws {
        guard let (_, net) = SharedInception.network() else { return }
        let reference = try referenceFeatures()
        try #require(reference.count == 2 && reference.allSatisfy { $0.count == 2048 })
        let s = InceptionNetwork.inputSize
        let inputs = [Float](repeating: 0, count: s * s * 3) + sineModelInput()
        let f = inputs.withUnsafeBufferPointer {
            net.features(modelInputs: $0, count: 2, workspaces: InceptionWorkspace.make(2))
        }
        for (row, expected) in [(0, (201.387365, 13.036507)), (1, (543.789845, 21.188012))] {
            let got = f.row(row)
            let worst = zip(got, reference[row]).map { abs(Double($0) - Double($1)) }.max()!
            #expect(worst <= 1e-4, "row \(row): largest difference \(worst)")
            let sum = got.reduce(0.0) { $0 + Double($1) }
            let norm = got.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(sum - expected.0) < 2e-3, "row \(row): sum \(sum)")
            #expect(abs(norm - expected.1) < 1e-4, "row \(row): norm \(norm)")
        }
    }

    /// Direct loops in Float64 over the unfolded batch norm: (conv − mean)/√(var + 10⁻³) + β, then ReLU.
    static func naiveConvolution(_ w: InceptionWeights, _ name: String, image: [Float], h: Int, wd: Int) throws -> [Double] {
        let weight = Array(try w.tensor(name + ".weight"))
        let shape = w.entries[name + ".weight"]!.shape
        let (o, c, kh, kw) = (shape[0], shape[1], shape[2], shape[3])
        let beta = Array(try w.tensor(name + ".beta")), mean = Array(try w.tensor(name + ".mean"))
        let variance = Array(try w.tensor(name + ".var"))
        let s = Int(try w.tensor(name + ".stride").first!)
        let pad = Array(try w.tensor(name + ".padding")).map { Int($0) }
        let (ph, pw) = (pad[0], pad.count == 2 ? pad[1] : pad[0])
        let oh = (h + 2 * ph - kh) / s + 1, ow = (wd + 2 * pw - kw) / s + 1
        var out = [Double](repeating: 0, count: oh * ow * o)
        for oy in 0..<oh {
            for ox in 0..<ow {
                for oc in 0..<o {
                    var acc = 0.0
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            let iy = oy * s + ky - ph, ix = ox * s + kx - pw
                            guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                            for ic in 0..<c {
                                acc += Double(weight[((oc * c + ic) * kh + ky) * kw + kx]) * Double(image[(iy * wd + ix) * c + ic])
                            }
                        }
                    }
                    let y = (acc - Double(mean[oc])) / (Double(variance[oc]) + 1e-3).squareRoot() + Double(beta[oc])
                    out[(oy * ow + ox) * o + oc] = max(y, 0)
                }
            }
        }
        return out
    }

    @Test("folded convolutions equal naive direct loops to 1e-5 relative on small crops",
          arguments: ["layers.conv", "layers.conv_3", "layers.mixed.tower.conv_1", "layers.mixed_3.conv",
                      "layers.mixed_4.tower.conv_1", "layers.mixed_4.tower.conv_2", "layers.mixed_9.tower_mixed_conv", "layers.mixed_10.tower_mixed_conv_1",
                      "layers.mixed_10.tower_1_conv_1"])
    func convolutionAgainstNaive(name: String) throws {
        guard let (weights, net) = SharedInception.network() else { return }
        let conv = net.convolution(name)
        let (h, w) = (9, 11)
        var rng = Xoshiro256(seed: 7)
        // A crop of a plausible activation: non-negative (post-ReLU) values, or model-space pixels for the first layer.
        let image = rng.normals(h * w * conv.inChannels, as: Float.self).map { name == "layers.conv" ? max(-1, min(1, $0)) : 2 * abs($0) }
        let fast = conv.apply(toImage: image, height: h, width: w)
        let naive = try Self.naiveConvolution(weights, name, image: image, h: h, wd: w)
        try #require(fast.count == naive.count)
        let scale = naive.map(abs).max()!
        let worst = zip(fast, naive).map { abs(Double($0) - $1) }.max()!
        #expect(scale > 0, "\(name): the crop's output is all zero, which tests nothing")
        #expect(worst <= 1e-5 * scale, "\(name): largest difference \(worst) against a largest output \(scale)")
    }

    @Test("features are bit-identical whatever the batch size and the number of workers")
    func batchInvariance() throws {
        guard let (_, net) = SharedInception.network() else { return }
        var rng = Xoshiro256(seed: 3)
        let images = InceptionImages(count: 5, height: 24, width: 20, channels: 3,
                                     pixels: uniforms(&rng, 5 * 24 * 20 * 3).map { ($0 * 255).rounded() })
        let together = net.features(of: images, workspaces: InceptionWorkspace.make(3))
        let one = InceptionWorkspace.make(1)
        for i in 0..<images.count {
            let alone = net.features(of: images.subset(i..<(i + 1)), workspaces: one)
            #expect(alone.storage == together.row(i), "image \(i) differs between batch 1 and batch 5")
        }
        let pairs = net.features(of: images.subset(1..<3), workspaces: InceptionWorkspace.make(2))
        #expect(pairs.storage == together.rows(1..<3).storage)
    }

    @Test("FID of a set against itself is 0 and FID is symmetric")
    func fidSelfAndSymmetry() throws {
        guard let (_, net) = SharedInception.network() else { return }
        var rng = Xoshiro256(seed: 11)
        let ws = InceptionWorkspace.make(2)
        func set(_ n: Int, bright: Float) -> Matrix<Float> {
            net.features(of: InceptionImages(count: n, height: 16, width: 16, channels: 1,
                                             pixels: uniforms(&rng, n * 256).map { ($0 * bright).rounded() }), workspaces: ws)
        }
        let a = set(6, bright: 255), b = set(5, bright: 120)
        #expect(abs(try FrechetDistance.between(a, a)) <= 1e-6)
        let ab = try FrechetDistance.between(a, b), ba = try FrechetDistance.between(b, a)
        #expect(ab > 1, "different image sets should be far apart, got \(ab)")
        #expect(abs(ab - ba) <= 1e-9 * ab, "FID(a, b) = \(ab) but FID(b, a) = \(ba)")
    }
}
