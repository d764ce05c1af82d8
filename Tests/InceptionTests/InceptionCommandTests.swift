import Foundation
import Inception
import NumericCore
import PNGFile
import Testing
import TestSupport

/// `genwindow metrics features|fd … --features inception` end to end.
@Suite("metrics --features inception")
struct InceptionCommandTests {
    static func fixtureDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-inception-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `count` random 12×10 grey images as uint8, in a `.npy` at `path`.
    static func writeBytes(_ path: String, count: Int, seed: UInt64) throws -> InceptionImages {
        var rng = Xoshiro256(seed: seed)
        let bytes = (0..<(count * 120)).map { _ in UInt8(rng.nextInt(below: 256)) }
        try NpyArray(shape: [count, 12, 10], values: .uint8(bytes)).write(path: path)
        return InceptionImages(count: count, height: 12, width: 10, channels: 1, pixels: bytes.map { Float($0) })
    }

    @Test("missing weights: one line naming make fid-weights, exit 1")
    func missingWeights() throws {
        let dir = try Self.fixtureDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.writeBytes(dir + "/a.npy", count: 3, seed: 1)
        let env = ["XDG_CACHE_HOME": dir + "/cache", InceptionWeights.environmentVariable: ""]
        for args in [["metrics", "fd", dir + "/a.npy", dir + "/a.npy", "--features", "inception"],
                     ["metrics", "features", dir + "/a.npy", "--features", "inception", "--out", dir + "/f.npy"],
                     ["metrics", "fd", dir + "/a.npy", dir + "/a.npy", "--features", "inception", "--fid-weights", dir]] {
            let out = try runGenwindow(args, environment: env)
            #expect(out.status == 1, "\(args): \(out.stderr)")
            #expect(out.stderr.contains("make fid-weights"), "\(out.stderr)")
            #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/f.npy"))
    }

    @Test("--fid-weights without --features inception is an invalid option (exit 64)")
    func weightsOptionNeedsInception() throws {
        let out = try runGenwindow(["metrics", "fd", "a.npy", "b.npy", "--fid-weights", "/tmp"])
        #expect(out.status == 64)
        #expect(out.stderr.contains("--fid-weights applies only to --features inception"))
    }

    @Test("features of uint8 images equal the library's; FID of a set with itself is 0; float out of range is refused")
    func featuresAndFID() throws {
        guard let (_, net) = SharedInception.network() else { return }
        let dir = try Self.fixtureDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = try Self.writeBytes(dir + "/a.npy", count: 3, seed: 2)
        let weights = try InceptionWeights.locate(explicit: nil, environment: ProcessInfo.processInfo.environment,
                                                  executableDirectory: nil)
        let env = ["XDG_CACHE_HOME": dir + "/cache", InceptionWeights.environmentVariable: weights]
        let out = try runGenwindow(["metrics", "features", dir + "/a.npy", "--features", "inception", "--out", dir + "/f.npy"],
                                   environment: env)
        #expect(out.status == 0, "\(out.stderr)")
        let written = try NpyArray.read(path: dir + "/f.npy")
        #expect(written.shape == [3, 2048])
        let expected = net.features(of: images, workspaces: InceptionWorkspace.make(1))
        #expect(written.values == .float32(expected.storage))

        let fd = try runGenwindow(["metrics", "fd", dir + "/a.npy", dir + "/a.npy", "--features", "inception", "--json"],
                                  environment: env)
        #expect(fd.status == 0, "\(fd.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(fd.stdout.utf8)) as? [String: Any]
        let value = try #require(object?["fd"] as? Double, "\(fd.stdout)")
        #expect(abs(value) <= 1e-6 && object?["features"] as? String == "inception", "\(fd.stdout)")

        try NpyArray(shape: [2, 4, 4], values: .float32((0..<32).map { Float($0) })).write(path: dir + "/bad.npy")
        let bad = try runGenwindow(["metrics", "fd", dir + "/a.npy", dir + "/bad.npy", "--features", "inception"],
                                   environment: env)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("[0.0, 31.0]"), "\(bad.stderr)")
    }

    @Test("the second set's statistics are cached by content: the second run reads them, a changed set does not")
    func referenceCache() throws {
        guard SharedInception.network() != nil else { return }
        let dir = try Self.fixtureDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let weights = try InceptionWeights.locate(explicit: nil, environment: ProcessInfo.processInfo.environment,
                                                  executableDirectory: nil)
        let env = ["XDG_CACHE_HOME": dir + "/cache", InceptionWeights.environmentVariable: weights]
        _ = try Self.writeBytes(dir + "/a.npy", count: 3, seed: 4)
        _ = try Self.writeBytes(dir + "/b.npy", count: 3, seed: 5)
        func fid(_ b: String) throws -> (Double, Bool) {
            let out = try runGenwindow(["metrics", "fd", dir + "/a.npy", b, "--features", "inception", "--json"], environment: env)
            #expect(out.status == 0, "\(out.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
            return (try #require(object["fd"] as? Double), try #require(object["reference_cached"] as? Bool))
        }
        let (first, firstCached) = try fid(dir + "/b.npy")
        let (second, secondCached) = try fid(dir + "/b.npy")
        #expect(!firstCached && secondCached)
        #expect(first == second)
        _ = try Self.writeBytes(dir + "/b.npy", count: 3, seed: 6)
        let (third, thirdCached) = try fid(dir + "/b.npy")
        #expect(!thirdCached && third != first)
    }

    @Test("png:DIR reads a folder's PNGs in name order as RGB, like the same pixels in a uint8 NHWC .npy")
    func pngFolder() throws {
        let dir = try Self.fixtureDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/png", withIntermediateDirectories: true)
        var rng = Xoshiro256(seed: 8)
        var all: [UInt8] = []
        for i in 0..<2 {
            let pixels = (0..<(9 * 7 * 3)).map { _ in UInt8(rng.nextInt(below: 256)) }
            all += pixels
            try PNGFile.write(RGBImage(width: 7, height: 9, pixels: pixels), to: dir + "/png/img\(i).png")
        }
        try NpyArray(shape: [2, 9, 7, 3], values: .uint8(all)).write(path: dir + "/rgb.npy")
        let env = ["XDG_CACHE_HOME": dir + "/cache", InceptionWeights.environmentVariable: ""]
        // Without weights both inputs must get past reading: the error is then the missing weights, not the images.
        for input in ["png:" + dir + "/png", dir + "/rgb.npy"] {
            let out = try runGenwindow(["metrics", "features", input, "--features", "inception", "--out", dir + "/f.npy"],
                                       environment: env)
            #expect(out.status == 1 && out.stderr.contains("make fid-weights"), "\(input): \(out.stderr)")
        }
        try PNGFile.write(RGBImage(width: 5, height: 9, fill: (1, 2, 3)), to: dir + "/png/img2.png")
        let mixed = try runGenwindow(["metrics", "features", "png:" + dir + "/png", "--features", "inception", "--out",
                                      dir + "/f.npy"], environment: env)
        #expect(mixed.status == 1 && mixed.stderr.contains("is 5×9 but the folder's first image is 7×9"), "\(mixed.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/png/img2.png")

        guard let (_, net) = SharedInception.network() else { return }
        let weights = try InceptionWeights.locate(explicit: nil, environment: ProcessInfo.processInfo.environment,
                                                  executableDirectory: nil)
        var features: [NpyValues] = []
        for input in ["png:" + dir + "/png", dir + "/rgb.npy"] {
            let out = try runGenwindow(["metrics", "features", input, "--features", "inception", "--out", dir + "/f.npy"],
                                       environment: ["XDG_CACHE_HOME": dir + "/cache", InceptionWeights.environmentVariable: weights])
            #expect(out.status == 0, "\(out.stderr)")
            features.append(try NpyArray.read(path: dir + "/f.npy").values)
        }
        #expect(features[0] == features[1])
        let direct = net.features(of: InceptionImages(count: 2, height: 9, width: 7, channels: 3, pixels: all.map { Float($0) }),
                                  workspaces: InceptionWorkspace.make(1))
        #expect(features[0] == .float32(direct.storage))
    }
}
