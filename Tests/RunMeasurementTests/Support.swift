import Foundation
import NumericCore

/// A fresh empty folder for one test.
func temporaryFolder(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "genwindow-meas-\(name.filter(\.isLetter))-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The ExternalRuns fixtures (an event file with `add_images` grids and the batch they show).
let externalFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("ExternalRunsTests/Fixtures").path

/// `rows` × `cols` values drawn uniformly from `range` with a fixed seed.
func uniform(_ rows: Int, _ cols: Int, in range: ClosedRange<Float>, seed: UInt64) -> Matrix<Float> {
    var rng = Xoshiro256(seed: seed, stream: 7)
    return Matrix(rows: rows, cols: cols,
                  storage: (0..<(rows * cols)).map { _ in range.lowerBound + Float(rng.nextUniform()) * (range.upperBound - range.lowerBound) })
}

/// The rows `indices` of `m`.
func select(_ m: Matrix<Float>, _ indices: [Int]) -> Matrix<Float> {
    Matrix(rows: indices.count, cols: m.cols, storage: indices.flatMap { i in (0..<m.cols).map { m[i, $0] } })
}
