import Metrics
import NumericCore
import Testing
import TestSupport

@Suite struct NearestNeighborsTests {
    func expectMatchesBruteForce(_ q: Matrix<Float>, _ r: Matrix<Float>, blockRows: Int = 1024, blockColumns: Int = 2048) {
        let fast = NearestNeighbors.topTwo(queries: q, reference: r, blockRows: blockRows, blockColumns: blockColumns)
        let slow = Reference.topTwo(q, r)
        #expect(fast.nn1 == slow.nn1)
        #expect(fast.nn2 == slow.nn2)
        #expect(fast.d1 == slow.d1)
        #expect(fast.d2 == slow.d2)
    }

    @Test func randomDataMatchesBruteForceAcrossBlockShapes() {
        var rng = Xoshiro256(seed: 1)
        let q: Matrix<Float> = NaiveReference.randomMatrix(37, 13, &rng)
        let r: Matrix<Float> = NaiveReference.randomMatrix(211, 13, &rng)
        expectMatchesBruteForce(q, r)
        expectMatchesBruteForce(q, r, blockRows: 5, blockColumns: 17)
        expectMatchesBruteForce(q, r, blockRows: 1, blockColumns: 2)
        // Well-separated random points are settled by the candidates alone.
        #expect(NearestNeighbors.search(queries: q, reference: r, blockRows: 64, blockColumns: 64).rescanned == 0)
    }

    @Test func nearTiesAndDuplicatesMatchBruteForce() {
        // Reference: clusters of points that differ from a centre by a few Float32 ulps, exact duplicates, and a
        // large common offset that makes the GEMM identity cancel badly — the cases the exact recheck exists for.
        var rng = Xoshiro256(seed: 2)
        let d = 9
        var rows: [Float] = []
        var centres: [[Float]] = []
        for _ in 0..<4 {
            let c: [Float] = rng.normals(d).map { Float(1000) + $0 }
            centres.append(c)
            for copy in 0..<12 {
                for k in 0..<d {
                    let ulps = Float(rng.nextInt(below: 5)) - 2
                    rows.append(copy < 3 ? c[k] : c[k] + ulps * c[k].ulp)
                }
            }
        }
        let r = Matrix(rows: rows.count / d, cols: d, storage: rows)
        var qs: [Float] = []
        for i in 0..<20 {
            let c = centres[i % 4]
            for k in 0..<d { qs.append(i < 8 ? c[k] : c[k] + Float(rng.nextNormal()) * 3 * c[k].ulp) }
        }
        let q = Matrix(rows: 20, cols: d, storage: qs)
        expectMatchesBruteForce(q, r)
        expectMatchesBruteForce(q, r, blockRows: 3, blockColumns: 7)
        // Clusters of 12 near-equal points exceed the 8 candidates: the exact rescan must have been needed.
        #expect(NearestNeighbors.search(queries: q, reference: r, blockRows: 64, blockColumns: 64).rescanned > 0)
    }

    @Test func digitLikeDataMatchesBruteForce() {
        var rng = Xoshiro256(seed: 3)
        let train = DigitLike.images(count: 150, rng: &rng)
        var samples = DigitLike.images(count: 30, rng: &rng)
        for i in 0..<10 {   // a third of the samples are copies of training images
            for k in 0..<samples.cols { samples[i, k] = train[i * 7, k] }
        }
        expectMatchesBruteForce(samples, train)
        expectMatchesBruteForce(samples, train, blockRows: 8, blockColumns: 33)
    }

    @Test func exactDuplicatesGiveZeroDistancesWithTheLowerIndexFirst() {
        let r = Matrix<Float>(rows: 4, cols: 2, storage: [0, 0, 5, 5, 0, 0, 9, 9])
        let q = Matrix<Float>(rows: 2, cols: 2, storage: [0, 0, 5, 6])
        let out = NearestNeighbors.topTwo(queries: q, reference: r)
        #expect(out.nn1 == [0, 1])
        #expect(out.nn2 == [2, 3])
        #expect(out.d1 == [0, 1])
        #expect(out.d2 == [0, 5])
    }
}

/// 8×8 images in the style of scikit-learn's digits: a few stroke prototypes, per-image jitter, 17 grey levels.
enum DigitLike {
    static let prototypes: [[Int]] = [
        [2, 3, 4, 5, 10, 13, 18, 21, 26, 29, 34, 37, 42, 45, 50, 53, 58, 59, 60, 61],  // "0"
        [4, 11, 12, 19, 20, 28, 36, 44, 52, 59, 60, 61],                                 // "1"
        [2, 3, 4, 5, 13, 21, 28, 35, 42, 49, 57, 58, 59, 60, 61, 62],                   // "7"-ish
    ]

    /// One 64-pixel image of prototype `label`: shifted by 0 or 1 pixel, stroke intensities 8–16/16, 3 stray pixels.
    static func image(of label: Int, rng: inout Xoshiro256) -> [Float] {
        var image = [Float](repeating: 0, count: 64)
        let shift = rng.nextInt(below: 2)
        for pixel in prototypes[label] where pixel + shift < 64 {
            image[pixel + shift] = Float(8 + rng.nextInt(below: 9)) / 16
        }
        for _ in 0..<3 { image[rng.nextInt(below: 64)] = Float(rng.nextInt(below: 17)) / 16 }
        return image
    }

    static func images(count: Int, rng: inout Xoshiro256) -> Matrix<Float> {
        var storage: [Float] = []
        for _ in 0..<count { storage += image(of: rng.nextInt(below: prototypes.count), rng: &rng) }
        return Matrix(rows: count, cols: 64, storage: storage)
    }
}
