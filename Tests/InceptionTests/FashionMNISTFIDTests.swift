import Foundation
import Inception
import Metrics
import NumericCore
import Testing

/// The Fashion-MNIST check on a fixture small enough for a test: 16 images of the test split (0–7 from the
/// first half, 5000–5007 from the second; `Fixtures/fashion_mnist_test_16.npy`). The full halves (5,000 against
/// 5,000) are a measured figure: `scripts/fashion-mnist-halves-fid.py`, BENCHMARKS.md.
@Suite("Fashion-MNIST FID")
struct FashionMNISTFIDTests {
    static func images() throws -> InceptionImages {
        let url = try #require(Bundle.module.url(forResource: "fashion_mnist_test_16", withExtension: "npy",
                                                 subdirectory: "Fixtures"))
        let array = try NpyArray.read(path: url.path)
        guard case .uint8(let bytes) = array.values else { throw InceptionImagesError("the fixture is not uint8") }
        #expect(array.shape == [16, 28, 28])
        return try InceptionImages.fromArray(shape: array.shape, values: bytes.map(Float.init), bytes: true)
    }

    /// Features of `images` computed `batch` images per call on `workers` workers.
    static func features(_ net: InceptionNetwork, _ images: InceptionImages, batch: Int, workers: Int) -> Matrix<Float> {
        let ws = InceptionWorkspace.make(workers)
        var storage: [Float] = []
        for lo in stride(from: 0, to: images.count, by: batch) {
            storage += net.features(of: images.subset(lo..<min(lo + batch, images.count)), workspaces: ws).storage
        }
        return Matrix(rows: images.count, cols: InceptionNetwork.featureCount, storage: storage)
    }

    @Test("halves of a Fashion-MNIST subset: features bit-identical for batch sizes 1, 3 and 8; FID(A, A) = 0; FID between the halves symmetric and finite")
    func halvesSubset() throws {
        guard let (_, net) = SharedInception.network() else { return }
        let images = try Self.images()
        let one = Self.features(net, images, batch: 1, workers: 1)
        for (batch, workers) in [(3, 2), (8, 2)] {
            let other = Self.features(net, images, batch: batch, workers: workers)
            #expect(other.storage == one.storage, "batch \(batch) on \(workers) workers differs from batch 1")
        }
        let a = one.rows(0..<8), b = one.rows(8..<16)
        #expect(abs(try FrechetDistance.between(a, a)) <= 1e-6)
        let ab = try FrechetDistance.between(a, b), ba = try FrechetDistance.between(b, a)
        #expect(ab.isFinite && ab > 0, "FID between the halves \(ab)")
        #expect(abs(ab - ba) <= 1e-9 * ab, "FID(a, b) = \(ab) but FID(b, a) = \(ba)")
    }
}
