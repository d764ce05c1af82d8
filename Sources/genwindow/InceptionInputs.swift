import Foundation
import Inception
import NumericCore
import PNGFile

/// The FID network of `--features inception`: weights from `--fid-weights`, `$GENWINDOW_FID_WEIGHTS`, beside
/// the binary or the cache folder; missing weights become one line naming `make fid-weights` (exit 1).
func loadInceptionNetwork(explicit: String?) throws -> InceptionNetwork {
    let dir = try locateInceptionWeights(explicit: explicit)
    do {
        return try InceptionNetwork(weights: InceptionWeights(directory: dir))
    } catch let e as InceptionWeightsError {
        throw RuntimeError(e.message)
    }
}

/// The folder of the FID weights (`InceptionWeights.locate` from this binary's folder); when none holds them, one
/// line naming `make fid-weights` (exit 1).
func locateInceptionWeights(explicit: String?) throws -> String {
    do {
        return try InceptionWeights.locate(
            explicit: explicit, environment: ProcessInfo.processInfo.environment,
            executableDirectory: Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path)
    } catch let e as InceptionWeightsError {
        throw RuntimeError(e.message)
    }
}

/// Images for the FID network from `png:DIR` (every `*.png` of the folder, sorted by name, all the same size) or
/// a `.npy` of shape (N, H, W), (N, H, W, C) or (N, C, H, W), C ∈ {1, 3}: uint8 as pixel values, floats in
/// [0, 1] or [−1, 1] by the scale rule of `InceptionImages.pixelScale`, integers when they lie in 0…255.
func loadImages(_ path: String, what: String) throws -> InceptionImages {
    if path.hasPrefix("png:") { return try loadPNGFolder(String(path.dropFirst(4)), what: what) }
    let array: NpyArray
    do {
        array = try NpyArray.read(path: path)
    } catch let e as NpyError {
        throw RuntimeError("\(what): \(e.message)")
    }
    let values: [Float], bytes: Bool
    switch array.values {
    case .uint8(let v): (values, bytes) = (v.map { Float($0) }, true)
    case .float32(let v): (values, bytes) = (v, false)
    case .float64(let v): (values, bytes) = (v.map { Float($0) }, false)
    case .int32(let v):
        guard v.allSatisfy({ (0...255).contains($0) }) else { throw RuntimeError("\(path): integer images must lie in 0…255") }
        (values, bytes) = (v.map { Float($0) }, true)
    case .int64(let v):
        guard v.allSatisfy({ (0...255).contains($0) }) else { throw RuntimeError("\(path): integer images must lie in 0…255") }
        (values, bytes) = (v.map { Float($0) }, true)
    }
    do {
        return try InceptionImages.fromArray(shape: array.shape, values: values, bytes: bytes)
    } catch let e as InceptionImagesError {
        throw RuntimeError("\(path): \(e.message)")
    }
}

private func loadPNGFolder(_ dir: String, what: String) throws -> InceptionImages {
    let names: [String]
    do {
        names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.lowercased().hasSuffix(".png") }.sorted()
    } catch {
        throw RuntimeError("\(what): cannot list \(dir)")
    }
    guard !names.isEmpty else { throw RuntimeError("\(what): no .png files in \(dir)") }
    var pixels: [Float] = []
    var size: (width: Int, height: Int)?
    for name in names {
        let path = (dir as NSString).appendingPathComponent(name)
        let image: RGBImage
        do { image = try PNGFile.read(path) } catch { throw RuntimeError(error.description) }
        if let size, size != (image.width, image.height) {
            throw RuntimeError("\(path) is \(image.width)×\(image.height) but the folder's first image is \(size.width)×\(size.height)")
        }
        size = (image.width, image.height)
        pixels += image.pixels.map { Float($0) }
    }
    return InceptionImages(count: names.count, height: size!.height, width: size!.width, channels: 3, pixels: pixels)
}

/// Inception pool3 features of `images` on every BLAS thread (one image per worker at a time).
func inceptionFeatures(_ images: InceptionImages, network: InceptionNetwork) -> Matrix<Float> {
    network.features(of: images, workspaces: InceptionWorkspace.make(BLASRuntime.threads))
}
