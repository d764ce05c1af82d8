import CPNG
@testable import Datasets
import Foundation
import Testing

@Suite("png:DIR")
struct PNGFolderTests {
    /// Writes a PNG with libpng's simplified writer; `format` is a PNG_FORMAT_* value.
    func write(_ path: String, width: Int, height: Int, format: UInt32, bytes: [UInt8]) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format
        let ok = bytes.withUnsafeBytes { png_image_write_to_file(&image, path, 0, $0.baseAddress, 0, nil) }
        #expect(ok != 0)
    }

    @Test("8-bit grey, 16-bit grey and RGBA files are normalised, cropped and resized; subfolders are classes")
    func folder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-png-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for c in ["a", "b"] { try FileManager.default.createDirectory(atPath: "\(dir)/\(c)", withIntermediateDirectories: true) }
        try write("\(dir)/a/1.png", width: 4, height: 4, format: UInt32(PNG_FORMAT_GRAY), bytes: (0..<16).map { UInt8($0 * 16) })
        var linear: [UInt8] = []
        for _ in 0..<(6 * 4) { linear += [0xFF, 0xFF] }
        try write("\(dir)/a/2.png", width: 6, height: 4, format: UInt32(PNG_FORMAT_FLAG_LINEAR), bytes: linear)
        var rgba: [UInt8] = []
        for i in 0..<64 { rgba += [255, 255, 255, i < 32 ? 255 : 0] }
        try write("\(dir)/b/3.png", width: 8, height: 8, format: UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA), bytes: rgba)
        let pool = try PNGFolder.load(directory: dir, size: 2, skipBad: false)
        #expect(pool.shape == [2, 2] && pool.pixels.rows == 3 && pool.labels == [0, 0, 1] && pool.classes == 2)
        #expect(abs(pool.pixels[0, 0] - Float(0 + 16 + 64 + 80) / 4 / 255) < 1e-6)
        #expect((0..<4).allSatisfy { pool.pixels[1, $0] == 1 })
        #expect(pool.pixels[2, 0] == 1 && pool.pixels[2, 3] == 0)

        try Data("not a png".utf8).write(to: URL(fileURLWithPath: "\(dir)/b/bad.png"))
        #expect {
            try PNGFolder.load(directory: dir, size: 2, skipBad: false)
        } throws: { ($0 as? DatasetError)?.message.contains("bad.png") ?? false }
        #expect(try PNGFolder.load(directory: dir, size: 2, skipBad: true).pixels.rows == 3)
        #expect(throws: DatasetError.self) { try PNGFolder.load(directory: dir + "/missing", size: nil, skipBad: false) }
    }
}
