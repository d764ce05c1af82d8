@testable import ExternalRuns
import Foundation
import NumericCore
import PNGFile
import Testing

@Suite("Sample dumps and image grids")
struct SampleTests {
    @Test("the step is the number a dump's name ends in")
    func steps() {
        #expect(SampleDump.step(fileName: "step_0001500.npy") == 1500)
        #expect(SampleDump.step(fileName: "samples-1500.npy") == 1500)
        #expect(SampleDump.step(fileName: "grid42.png") == 42)
        #expect(SampleDump.step(fileName: "samples.npy") == nil)
        #expect(SampleDump.step(fileName: "1500_samples.npy") == nil)
    }

    @Test("(m, C, H, W) reads as the same rows as its (m, H, W, C) twin; (m, d) and (m, H, W) as stored")
    func layouts() throws {
        let (m, h, w, c) = (2, 3, 5, 3)
        let hwc = (0..<(m * h * w * c)).map { Float($0) }
        var chw = [Float](repeating: 0, count: hwc.count)
        for i in 0..<m { for y in 0..<h { for x in 0..<w { for ch in 0..<c {
            chw[i * h * w * c + (ch * h + y) * w + x] = hwc[i * h * w * c + (y * w + x) * c + ch]
        } } } }
        let last = try SampleDump.rows(NpyArray(shape: [m, h, w, c], values: .float32(hwc)))
        let first = try SampleDump.rows(NpyArray(shape: [m, c, h, w], values: .float32(chw)))
        #expect(last.rows == first.rows && last.imageShape == [h, w, c] && first.imageShape == [h, w, c])
        #expect(last.rows.rows == m && last.rows.cols == h * w * c)
        let flat = try SampleDump.rows(NpyArray(shape: [2, 3], values: .float64([1, 2, 3, 4, 5, 6])))
        #expect(flat.rows.storage == [1, 2, 3, 4, 5, 6] && flat.imageShape == [3])
        let bytes = try SampleDump.rows(NpyArray(shape: [1, 2, 2], values: .uint8([0, 7, 255, 1])))
        #expect(bytes.rows.storage == [0, 7, 255, 1])
        // (m, 3, 5, 3): channels-last unless the training images have 3 channels and the last axis is not 3 …
        let both = try SampleDump.rows(NpyArray(shape: [1, 3, 5, 3], values: .float32((0..<45).map { Float($0) })), channels: 3)
        #expect(both.imageShape == [3, 5, 3])
        #expect(throws: ExternalRunError("a sample dump holds float32, float64 or uint8, not int32")) {
            try SampleDump.rows(NpyArray(shape: [1, 1], values: .int32([1])))
        }
        #expect(throws: ExternalRunError("a sample dump has shape (m, d), (m, H, W), (m, H, W, C) or (m, C, H, W), not [4]")) {
            try SampleDump.rows(NpyArray(shape: [4], values: .float32([1, 2, 3, 4])))
        }
    }

    @Test("a half-written dump is retried until complete and then read once; a broken one is reported once")
    func folder() throws {
        let dir = temporaryFolder()
        let whole = NpyArray(shape: [2, 3], values: .float32([1, 2, 3, 4, 5, 6])).encode()
        let folder = SampleDumpFolder(path: dir)
        append(Array(whole[0..<(whole.count - 5)]), to: dir + "/step_0000200.npy")
        append(whole, to: dir + "/step_0000100.npy")
        var r = folder.poll()
        #expect(r.dumps.map(\.step) == [100] && r.problems.isEmpty)
        append(Array(whole[(whole.count - 5)...]), to: dir + "/step_0000200.npy")
        r = folder.poll()
        #expect(r.dumps.map(\.step) == [200] && r.dumps[0].array.shape == [2, 3] && r.problems.isEmpty)
        append(Array("junk".utf8), to: dir + "/samples-300.npy")
        #expect(folder.poll().problems.isEmpty, "first failure: maybe still being written")
        r = folder.poll()
        #expect(r.dumps.isEmpty && r.problems.count == 1 && r.problems[0].hasPrefix(dir + "/samples-300.npy: "))
        r = folder.poll()
        #expect(r.dumps.isEmpty && r.problems.isEmpty)
    }

    @Test("the add_images grid from the torch fixture splits into the original images, bit for bit")
    func gridFromTorch() throws {
        let source = try TensorBoardSource(path: fixtures + "/images", live: false)
        _ = source.poll()
        let image = try #require(source.logs.values.first?.images.first)
        let png = temporaryFolder() + "/grid.png"
        #expect(FileManager.default.createFile(atPath: png, contents: Data(image.png)))
        let grid = try PNGFile.read(png)
        let batch = try NpyArray.read(path: fixtures + "/images_batch.npy")
        #expect(batch.shape == [10, 1, 3, 4])
        guard case .uint8(let original) = batch.values else {
            Issue.record("images_batch.npy is not uint8")
            return
        }
        #expect(grid.width == 8 * 4 && grid.height == 2 * 3)
        let tiles = try ImageGrid.split(grid.pixels, width: grid.width, height: grid.height, channels: 3,
                                        tileWidth: 4, tileHeight: 3, count: 10)
        #expect(tiles.count == 10)
        for (k, tile) in tiles.enumerated() {
            let gray = stride(from: 0, to: tile.count, by: 3).map { tile[$0] }
            #expect(gray == Array(original[(k * 12)..<(k * 12 + 12)]), "image \(k)")
            let greens = stride(from: 1, to: tile.count, by: 3).map { tile[$0] }
            let blues = stride(from: 2, to: tile.count, by: 3).map { tile[$0] }
            #expect(greens == gray && blues == gray)
        }
    }

    @Test("grids that do not fit the image size or the count are one-line errors")
    func gridErrors() {
        #expect(throws: ExternalRunError("image grid: 10×6 is not a whole number of 4×3 images")) {
            try ImageGrid.split([UInt8](repeating: 0, count: 60), width: 10, height: 6, channels: 1, tileWidth: 4, tileHeight: 3)
        }
        #expect(throws: ExternalRunError("image grid: 4 cells of 4×3 cannot hold 2 images in rows of 2")) {
            try ImageGrid.split([UInt8](repeating: 0, count: 48), width: 8, height: 6, channels: 1, tileWidth: 4, tileHeight: 3, count: 2)
        }
        #expect(throws: ExternalRunError("image grid: 5 bytes do not make 2×2 pixels of 1 channels")) {
            try ImageGrid.split([UInt8](repeating: 0, count: 5), width: 2, height: 2, channels: 1, tileWidth: 1, tileHeight: 1)
        }
    }
}
