import Foundation
import Inception
import Testing

@Suite("Inception preprocessing and weights files")
struct InceptionInputTests {
    /// Model-space value of pixel v.
    static func model(_ v: Float) -> Float { v / 128 - 1 }

    @Test("bilinear upsampling 2→4 uses half-pixel centres and clamps at the edges (PyTorch's align_corners=False)")
    func upsample() {
        // One grey row pair: [a b; c d] with a = 0, b = 100, c = 200, d = 40.
        let img = InceptionImages(count: 1, height: 2, width: 2, channels: 1, pixels: [0, 100, 200, 40])
        let out = img.modelInput(0, height: 4, width: 4)
        // Source coordinates of outputs 0…3: −0.25 → 0 (clamped), 0.25, 0.75, 1.25 → last pixel with weight 0.75+0.25.
        let row0: [Float] = [0, 25, 75, 100]
        let row3: [Float] = [200, 160, 80, 40]
        let row1 = zip(row0, row3).map { 0.75 * $0 + 0.25 * $1 }
        for (y, row) in [(0, row0), (1, row1), (3, row3)] {
            for x in 0..<4 {
                for c in 0..<3 {
                    #expect(abs(out[(y * 4 + x) * 3 + c] - Self.model(row[x])) < 1e-6, "(\(y), \(x), \(c))")
                }
            }
        }
    }

    @Test("bilinear downsampling 4→2 averages the two middle neighbours without antialiasing; same size is the identity")
    func downsampleAndIdentity() {
        let rgb = InceptionImages(count: 1, height: 1, width: 4, channels: 3,
                                  pixels: [10, 20, 30, 50, 60, 70, 90, 100, 110, 130, 140, 150])
        let down = rgb.modelInput(0, height: 1, width: 2)
        // Source x of output 0: 2·0.5 − 0.5 = 0.5 → pixels 0, 1 half each; output 1: 2.5 → pixels 2, 3.
        let expected: [Float] = [30, 40, 50, 110, 120, 130]
        for i in 0..<6 { #expect(abs(down[i] - Self.model(expected[i])) < 1e-6) }
        let same = rgb.modelInput(0, height: 1, width: 4)
        #expect(same == rgb.pixels.map(Self.model))
    }

    @Test("array layouts: (N, H, W), NHWC and NCHW give the same pixels")
    func layouts() throws {
        let nhwc: [Float] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]   // 1×2×2×3
        var nchw = [Float](repeating: 0, count: 12)
        for y in 0..<2 { for x in 0..<2 { for c in 0..<3 { nchw[(c * 2 + y) * 2 + x] = nhwc[(y * 2 + x) * 3 + c] } } }
        let a = try InceptionImages.fromArray(shape: [1, 2, 2, 3], values: nhwc, bytes: true)
        let b = try InceptionImages.fromArray(shape: [1, 3, 2, 2], values: nchw, bytes: true)
        #expect(a == b && a.channels == 3 && a.height == 2)
        let grey = try InceptionImages.fromArray(shape: [2, 2, 3], values: nhwc, bytes: true)
        #expect(grey.channels == 1 && grey.count == 2 && grey.width == 3)
        #expect(throws: InceptionImagesError.self) { try InceptionImages.fromArray(shape: [1, 4, 4, 4], values: .init(repeating: 0, count: 64), bytes: true) }
        #expect(throws: InceptionImagesError.self) { try InceptionImages.fromArray(shape: [12], values: nhwc, bytes: true) }
    }

    @Test("scale rule: uint8 as is, [0, 1] ×255, [−1, 1] → (x+1)·127.5, anything else refused naming the range")
    func scaleRule() throws {
        #expect(try InceptionImages.pixelScale([0, 255], bytes: true)(200) == 200)
        #expect(try InceptionImages.pixelScale([0, 1, 0.5], bytes: false)(0.5) == 127.5)
        #expect(try InceptionImages.pixelScale([-0.5, 1], bytes: false)(-1) == 0)
        #expect(try InceptionImages.pixelScale([-0.5, 1], bytes: false)(1) == 255)
        do {
            _ = try InceptionImages.pixelScale([0, 255], bytes: false)
            Issue.record("float images in [0, 255] were accepted")
        } catch let e as InceptionImagesError {
            #expect(e.message.contains("[0.0, 255.0]"))
        }
        #expect(throws: InceptionImagesError.self) { try InceptionImages.pixelScale([0, .nan], bytes: false) }
    }

    @Test("the weights index: a missing tensor and a short blob are one-line errors naming make fid-weights")
    func weightsErrors() throws {
        let index = "name\tshape\toffset\tcount\na.weight\t2x3\t0\t6\na.beta\t2\t6\t2\n"
        let w = try InceptionWeights(index: index, blob: Array(repeating: 1, count: 8), source: "test")
        #expect(Array(try w.tensor("a.beta", shape: [2])) == [1, 1])
        do {
            _ = try w.tensor("a.mean")
            Issue.record("a missing tensor was found")
        } catch let e as InceptionWeightsError {
            #expect(e.message.contains("'a.mean' is missing") && e.message.contains("make fid-weights"))
        }
        #expect(throws: InceptionWeightsError.self) { try w.tensor("a.weight", shape: [3, 2]) }
        do {
            _ = try InceptionWeights(index: index, blob: Array(repeating: 1, count: 7), source: "test")
            Issue.record("a short blob was accepted")
        } catch let e as InceptionWeightsError {
            #expect(e.message.contains("'a.beta' ends at float 8") && e.message.contains("make fid-weights"))
        }
        #expect(throws: InceptionWeightsError.self) {
            try InceptionWeights(index: "name\tshape\toffset\tcount\nx\t2x2\t0\t3\n", blob: [1, 2, 3], source: "test")
        }
    }

    @Test("locating the weights: an explicit path without them, and nothing anywhere, name make fid-weights")
    func locate() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("gw-fid-empty-\(getpid())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        for (explicit, env) in [(empty as String?, [String: String]()), (nil, ["XDG_CACHE_HOME": empty]),
                                (nil, [InceptionWeights.environmentVariable: empty])] {
            do {
                _ = try InceptionWeights.locate(explicit: explicit, environment: env, executableDirectory: empty)
                Issue.record("found weights in an empty folder")
            } catch let e as InceptionWeightsError {
                #expect(e.message.contains("make fid-weights"))
                #expect(!e.message.contains("\n"))
            }
        }
        let dir = empty + "/w"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in [InceptionWeights.blobName, InceptionWeights.indexName] {
            #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data()))
        }
        #expect(try InceptionWeights.locate(explicit: dir + "/fid_inception.f32", environment: [:], executableDirectory: nil) == dir)
        #expect(try InceptionWeights.locate(explicit: nil, environment: ["XDG_CACHE_HOME": empty, "HOME": "/nonexistent"],
                                            executableDirectory: dir) == dir)
        #expect(InceptionWeights.cacheDirectory(environment: ["XDG_CACHE_HOME": "/x"]) == "/x/genwindow")
        #expect(InceptionWeights.cacheDirectory(environment: ["HOME": "/h"]) == "/h/.cache/genwindow")
    }
}
