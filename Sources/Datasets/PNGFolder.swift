import CPNG
import Foundation
import NumericCore

/// A folder of PNG files read with libpng's simplified API, which normalises every bit depth, colour type,
/// palette and alpha channel to 8-bit grey (alpha composited onto black). Images are centre-cropped to a square
/// and box-resized to `size` (default: the first image's square side). PNGs in subfolders are labelled by
/// subfolder (sorted names are classes 0, 1, …); PNGs directly in the folder are unlabelled.
enum PNGFolder {
    /// Every image, in sorted path order.
    static func load(directory: String, size: Int?, skipBad: Bool) throws -> LabelledPool {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw DatasetError("png:\(directory): no such folder")
        }
        let entries = try fm.contentsOfDirectory(atPath: directory).sorted()
        let classDirs = entries.filter { e in
            var d: ObjCBool = false
            return fm.fileExists(atPath: "\(directory)/\(e)", isDirectory: &d) && d.boolValue
        }
        var files: [(path: String, label: Int)] = []
        for (c, sub) in classDirs.enumerated() {
            for f in try fm.contentsOfDirectory(atPath: "\(directory)/\(sub)").sorted() where isPNG(f) {
                files.append(("\(directory)/\(sub)/\(f)", c))
            }
        }
        let labelled = !files.isEmpty
        if !labelled { files = entries.filter(isPNG).map { ("\(directory)/\($0)", 0) } }
        var side = size
        var pixels: [Float] = [], labels: [Int] = []
        for file in files {
            let image: (width: Int, height: Int, grey: [UInt8])
            do {
                image = try readGrey(path: file.path)
            } catch let e as DatasetError {
                if skipBad { continue }
                throw DatasetError("\(e.message) (pass --skip-bad-images to skip it)")
            }
            let s = side ?? min(image.width, image.height)
            side = s
            pixels += squareResize(image, to: s)
            labels.append(file.label)
        }
        guard let s = side, labels.count >= 2 else {
            throw DatasetError("png:\(directory): fewer than two readable PNG files")
        }
        return LabelledPool(pixels: Matrix(rows: labels.count, cols: s * s, storage: pixels), labels: labels,
                            classes: labelled ? classDirs.count : 0, shape: [s, s])
    }

    private static func isPNG(_ name: String) -> Bool { name.lowercased().hasSuffix(".png") }

    /// Images with this many pixels or more are refused.
    static let maxPixels = 1 << 26

    /// Decodes one file to 8-bit grey.
    static func readGrey(path: String) throws -> (width: Int, height: Int, grey: [UInt8]) {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw DatasetError("\(path): not a readable PNG (\(message(of: image)))")
        }
        image.format = UInt32(PNG_FORMAT_GRAY)
        let w = Int(image.width), h = Int(image.height)
        // The header's size is the file's claim; refuse what would need an absurd buffer (64 Mpixel and up).
        guard w * h < maxPixels else {
            png_image_free(&image)
            throw DatasetError("\(path): PNG of \(w)×\(h) pixels is too large (at most \(maxPixels - 1))")
        }
        var grey = [UInt8](repeating: 0, count: w * h)
        var black = png_color(red: 0, green: 0, blue: 0)
        let ok = grey.withUnsafeMutableBytes { png_image_finish_read(&image, &black, $0.baseAddress, 0, nil) }
        guard ok != 0 else {
            let why = message(of: image)
            png_image_free(&image)
            throw DatasetError("\(path): corrupt PNG (\(why))")
        }
        return (w, h, grey)
    }

    private static func message(of image: png_image) -> String {
        var m = image.message
        return withUnsafeBytes(of: &m) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// Centre-crops to a square and box-resizes to s×s; intensities in [0, 1].
    static func squareResize(_ image: (width: Int, height: Int, grey: [UInt8]), to s: Int) -> [Float] {
        let side = min(image.width, image.height)
        let x0 = (image.width - side) / 2, y0 = (image.height - side) / 2
        var square = Matrix<Float>(rows: 1, cols: side * side)
        for y in 0..<side {
            for x in 0..<side { square[0, y * side + x] = Float(image.grey[(y0 + y) * image.width + x0 + x]) / 255 }
        }
        let pool = LabelledPool(pixels: square, labels: [0], classes: 1, shape: [side, side])
        return side == s ? square.storage : FashionMNIST.boxResize(pool, to: s).pixels.storage
    }
}
