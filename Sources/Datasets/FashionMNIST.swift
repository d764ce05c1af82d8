import Foundation
import NumericCore

/// Fashion-MNIST (Zalando, MIT): 60,000 training and 10,000 test images of 28×28, read from the gzip IDX files
/// that Debian's `dataset-fashion-mnist` installs.
enum FashionMNIST {
    static let directory = "/usr/share/datasets/fashion-mnist"

    /// True when the four files are installed.
    static var isInstalled: Bool {
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz"].allSatisfy { FileManager.default.isReadableFile(atPath: "\(directory)/\($0)") }
    }

    /// One split ("train" or "t10k"), intensities v/255, box-resized to `resize`² when given.
    static func load(split: String, resize: Int?) throws -> LabelledPool {
        guard isInstalled else {
            throw DatasetError("Fashion-MNIST is not installed under \(directory); install it with: make fashion-mnist (or: sudo apt-get install dataset-fashion-mnist)")
        }
        let images = try GzipFile.read(path: "\(directory)/\(split)-images-idx3-ubyte.gz")
        let labels = try GzipFile.read(path: "\(directory)/\(split)-labels-idx1-ubyte.gz")
        var pool = try parse(images: images, labels: labels, name: split)
        if let resize, resize != 28 { pool = boxResize(pool, to: resize) }
        return pool
    }

    /// Parses IDX images (magic 0x803, N, 28, 28, pixels) and labels (magic 0x801, N, labels).
    static func parse(images: [UInt8], labels: [UInt8], name: String) throws -> LabelledPool {
        func u32(_ b: [UInt8], _ at: Int) -> Int {
            Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
        }
        guard images.count >= 16, u32(images, 0) == 0x803, labels.count >= 8, u32(labels, 0) == 0x801 else {
            throw DatasetError("\(name): not an IDX image/label file pair")
        }
        let n = u32(images, 4), h = u32(images, 8), w = u32(images, 12)
        guard u32(labels, 4) == n, images.count == 16 + n * h * w, labels.count == 8 + n else {
            throw DatasetError("\(name): IDX sizes do not match (\(n) images of \(h)×\(w))")
        }
        var px = Matrix<Float>(rows: n, cols: h * w)
        px.storage.withUnsafeMutableBufferPointer { dst in
            for i in 0..<(n * h * w) { dst[i] = Float(images[16 + i]) / 255 }
        }
        let ls = labels[8...].map { Int($0) }
        guard ls.allSatisfy({ $0 < 10 }) else { throw DatasetError("\(name): labels outside 0…9") }
        return LabelledPool(pixels: px, labels: ls, classes: 10, shape: [h, w])
    }

    /// Area-weighted box filter from h×w to s×s (each output pixel averages the input area it covers).
    static func boxResize(_ pool: LabelledPool, to s: Int) -> LabelledPool {
        let h = pool.shape[0], w = pool.shape[1], n = pool.pixels.rows
        var out = Matrix<Float>(rows: n, cols: s * s)
        let sy = Double(h) / Double(s), sx = Double(w) / Double(s)
        pool.pixels.storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for img in 0..<n {
                    for oy in 0..<s {
                        let y0 = Double(oy) * sy, y1 = y0 + sy
                        for ox in 0..<s {
                            let x0 = Double(ox) * sx, x1 = x0 + sx
                            var acc = 0.0
                            for iy in Int(y0)..<min(h, Int(y1.rounded(.up))) {
                                let wy = min(y1, Double(iy + 1)) - max(y0, Double(iy))
                                for ix in Int(x0)..<min(w, Int(x1.rounded(.up))) {
                                    let wx = min(x1, Double(ix + 1)) - max(x0, Double(ix))
                                    acc += wy * wx * Double(src[img * h * w + iy * w + ix])
                                }
                            }
                            dst[img * s * s + oy * s + ox] = Float(acc / (sy * sx))
                        }
                    }
                }
            }
        }
        return LabelledPool(pixels: out, labels: pool.labels, classes: pool.classes, shape: [s, s])
    }
}
