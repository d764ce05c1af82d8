@testable import Datasets
import Foundation
import NumericCore
import Testing

@Suite("datasets")
struct DatasetsTests {
    @Test("digits: the shipped file holds 1,797 8×8 images with labels 0…9")
    func digitsFile() throws {
        let pool = try Digits.load()
        #expect(pool.pixels.rows == 1797 && pool.pixels.cols == 64 && pool.shape == [8, 8])
        #expect(Set(pool.labels) == Set(0..<10))
        #expect(pool.pixels.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(pool.pixels.storage.contains(1) && pool.pixels.storage.contains(0))
    }

    @Test("digits subsets: class-balanced, in [−1, 1], reproducible by seed, train and test disjoint")
    func digitsSubsets() throws {
        let a = try DatasetLoader.load(.digits, n: 64, testCount: 50, seed: 3)
        let b = try DatasetLoader.load(.digits, n: 64, testCount: 50, seed: 3)
        let c = try DatasetLoader.load(.digits, n: 64, testCount: 50, seed: 4)
        #expect(a.train == b.train && a.trainLabels == b.trainLabels && a.test == b.test)
        #expect(a.train != c.train)
        let counts = (0..<10).map { k in a.trainLabels.filter { $0 == k }.count }
        #expect(counts.max()! - counts.min()! <= 1 && counts.reduce(0, +) == 64)
        #expect(a.train.storage.allSatisfy { $0 >= -1 && $0 <= 1 })
        let trainRows = Set((0..<a.train.rows).map { a.train.row($0) })
        #expect(a.test.rows == 50)
        #expect((0..<a.test.rows).filter { trainRows.contains(a.test.row($0)) }.count < 3)
    }

    @Test("too large a subset is a clear error")
    func tooMany() {
        #expect(throws: DatasetError.self) { try DatasetLoader.load(.digits, n: 5000, testCount: 10, seed: 0) }
    }

    @Test("mean-centring subtracts the training mean and records it")
    func meanCentred() throws {
        let d = try DatasetLoader.load(.digits, n: 40, testCount: 10, seed: 1, scaling: .meanCentred)
        #expect(d.offset.count == 64 && d.scaling == .meanCentred)
        for j in 0..<64 {
            let m = (0..<40).reduce(0.0) { $0 + Double(d.train[$1, j]) } / 40
            #expect(abs(m) < 1e-5)
        }
    }

    @Test("gaussian and gmm: requested sizes, seeded, balanced components at ±1")
    func synthetic() throws {
        let g = try DatasetLoader.load(.gaussian(dimension: 5), n: 30, testCount: 7, seed: 2)
        #expect(g.train.rows == 30 && g.train.cols == 5 && g.test.rows == 7 && g.classes == 0)
        let m = try DatasetLoader.load(.gmm(dimension: 8, components: 2), n: 2000, testCount: 10, seed: 2)
        #expect(m.trainLabels.filter { $0 == 0 }.count == 1000)
        let mean0 = (0..<2000).filter { m.trainLabels[$0] == 0 }.reduce(0.0) { $0 + Double(m.train[$1, 3]) } / 1000
        #expect(abs(mean0 - 1) < 0.15)
    }

    @Test("data source names parse; unknown ones are rejected")
    func parse() throws {
        #expect(try DataSource.parse("gmm", dimension: 8, components: 3, resize: nil) == .gmm(dimension: 8, components: 3))
        #expect(throws: DatasetError.self) { try DataSource.parse("cifar", dimension: 1, components: 1, resize: nil) }
    }

    @Test("IDX parsing and box resizing")
    func idx() throws {
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4]
        images += (0..<16).map { UInt8($0 * 17) }
        let labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 1, 7]
        let pool = try FashionMNIST.parse(images: images, labels: labels, name: "t")
        #expect(pool.labels == [7] && pool.shape == [4, 4] && pool.pixels[0, 5] == 85.0 / 255)
        let small = FashionMNIST.boxResize(pool, to: 2)
        let expected = Float(0 + 17 + 68 + 85) / 4 / 255
        #expect(abs(small.pixels[0, 0] - expected) < 1e-6)
        #expect(throws: DatasetError.self) { try FashionMNIST.parse(images: Array(images.dropLast()), labels: labels, name: "t") }
    }

    @Test("Fashion-MNIST from Debian's package (skipped when it is not installed)")
    func fashion() throws {
        guard FashionMNIST.isInstalled else {
            print("skipping: Fashion-MNIST not installed under \(FashionMNIST.directory) (apt-get install dataset-fashion-mnist)")
            return
        }
        let pool = try FashionMNIST.load(split: "t10k", resize: nil)
        #expect(pool.pixels.rows == 10000 && pool.pixels.cols == 784 && pool.shape == [28, 28])
        #expect((0..<10).allSatisfy { c in pool.labels.filter { $0 == c }.count == 1000 })
        let few = LabelledPool(pixels: pool.pixels.rows(0..<20), labels: Array(pool.labels[0..<20]), classes: 10,
                               shape: [28, 28])
        let small = FashionMNIST.boxResize(few, to: 14)
        let mean = { (m: Matrix<Float>) in m.storage.reduce(0, +) / Float(m.count) }
        #expect(small.shape == [14, 14] && abs(mean(small.pixels) - mean(few.pixels)) < 1e-4)
    }
}

@Suite("class-balanced subsets")
struct BalancedSubsetTests {
    @Test("a short class gives its shortfall to the others; too many points is an error")
    func shortClass() throws {
        var rng = Xoshiro256(seed: 1)
        let labels = [0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2]
        let idx = try BalancedSubset.draw(n: 9, labels: labels, classes: 3, rng: &rng)
        #expect(Set(idx).count == 9)
        let counts = (0..<3).map { c in idx.filter { labels[$0] == c }.count }
        #expect(counts[1] == 1 && counts[0] + counts[2] == 8 && abs(counts[0] - counts[2]) <= 1)
        #expect(throws: DatasetError.self) { try BalancedSubset.draw(n: 13, labels: labels, classes: 3, rng: &rng) }
    }
}
