import Datasets
import ExternalRuns
import Foundation
import Metrics
import NumericCore
import PNGFile
import RunMeasurement
import Testing

@Suite("TrainingRows")
struct TrainingRowsTests {
    @Test("digits: the rows genwindow train --data digits --n 64 --seed 3 trains on, and its held-out reference")
    func digits() throws {
        let rows = try TrainingRows.load("digits", n: 64, seed: 3)
        let data = try DatasetLoader.load(.digits, n: 64, testCount: 256, seed: 3)
        #expect(rows.rows == data.train && rows.imageShape == [8, 8] && rows.scale == .signed)
        #expect(rows.label == "digits n=64 seed=3" && rows.channels == 1 && rows.dimension == 64)
        let reference = try #require(try TrainingRows.reference(nil, training: "digits", n: 64, seed: 3))
        #expect(reference.rows == data.test && reference.rows.rows == 256 && reference.scale == .signed)
        #expect(try TrainingRows.load("digits", n: nil, seed: 0).rows.rows == TrainingRows.defaultCount)
        #expect(try TrainingRows.reference(nil, training: "train.npy", n: nil, seed: 0) == nil)
        #expect(throws: DatasetError.self) { try TrainingRows.load("gmm", n: 8, seed: 0) }
    }

    @Test(".npy and png:DIR training sets and references; a missing file is one line naming it")
    func files() throws {
        let dir = temporaryFolder()
        let array = NpyArray(shape: [3, 2, 2, 1], values: .uint8([0, 255, 255, 0, 255, 255, 0, 0, 0, 0, 0, 255]))
        try array.write(path: dir + "/train.npy")
        let rows = try TrainingRows.load(dir + "/train.npy", n: nil, seed: 0)
        #expect(rows.imageShape == [2, 2] && rows.scale == .bytes && rows.label == dir + "/train.npy")
        #expect(rows.rows.storage == [0, 255, 255, 0, 255, 255, 0, 0, 0, 0, 0, 255])
        try FileManager.default.createDirectory(atPath: dir + "/png", withIntermediateDirectories: true)
        for k in 0..<3 {
            var image = RGBImage(width: 2, height: 2, fill: (0, 0, 0))
            for p in 0..<4 where rows.rows[k, p] > 0 { image.set(p % 2, p / 2, (255, 255, 255)) }
            try PNGFile.write(image, to: dir + "/png/\(k).png")
        }
        let folder = try TrainingRows.load("png:" + dir + "/png", n: nil, seed: 0)
        #expect(folder.imageShape == [2, 2] && folder.scale == .signed && folder.label == "png:" + dir + "/png")
        #expect(folder.rows.storage == rows.rows.storage.map { $0 / 127.5 - 1 })
        let reference = try #require(try TrainingRows.reference(dir + "/train.npy", training: "digits", n: nil, seed: 0))
        #expect(reference.rows == rows.rows)
        #expect(throws: (any Error).self) { try TrainingRows.load(dir + "/missing.npy", n: nil, seed: 0) }
        do {
            _ = try TrainingRows.load(dir + "/missing.npy", n: nil, seed: 0)
        } catch {
            #expect("\(error)".hasPrefix(dir + "/missing.npy: ") && !"\(error)".contains("\n"))
        }
    }
}
