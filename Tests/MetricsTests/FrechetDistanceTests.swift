import Metrics
import NumericCore
import Testing
import TestSupport

@Suite struct FrechetDistanceTests {
    /// Rows of N(mean, L·Lᵀ) drawn as mean + L·z.
    static func gaussian(_ n: Int, mean: [Float], mixing l: [[Float]], rng: inout Xoshiro256) -> Matrix<Float> {
        let d = mean.count
        var m = Matrix<Float>(rows: n, cols: d)
        for i in 0..<n {
            let z: [Float] = rng.normals(l[0].count)
            for k in 0..<d { m[i, k] = mean[k] + (0..<z.count).reduce(0) { $0 + l[k][$1] * z[$1] } }
        }
        return m
    }

    @Test func statisticsMatchTheDefinition() {
        var rng = Xoshiro256(seed: 20)
        let x: Matrix<Float> = NaiveReference.randomMatrix(2500, 4, &rng)   // more rows than one chunk
        let stats = GaussianStatistics(features: x)
        let (mean, cov) = Reference.meanAndCovariance(x)
        #expect(stats.count == 2500)
        for a in 0..<4 {
            #expect(abs(stats.mean[a] - mean[a]) < 1e-12)
            for b in 0..<4 { #expect(abs(stats.covariance[a, b] - cov[a][b]) < 1e-12) }
        }
    }

    @Test func equalsTheTextbookFormulaWithGeneralSqrtm() throws {
        var rng = Xoshiro256(seed: 21)
        for d in [2, 5] {
            let l1: [[Float]] = (0..<d).map { _ in rng.normals(d) }
            let l2: [[Float]] = (0..<d).map { _ in rng.normals(d) }
            let a = Self.gaussian(40, mean: rng.normals(d), mixing: l1, rng: &rng)
            let b = Self.gaussian(60, mean: rng.normals(d), mixing: l2, rng: &rng)
            let fd = try FrechetDistance.between(a, b)
            let reference = Reference.frechetDistance(a, b)
            #expect(abs(fd - reference) <= 1e-9 * max(1, reference))
        }
    }

    @Test func twoByTwoClosedFormOfTheCrossTerm() throws {
        // For 2×2 A = Σ₁Σ₂ with eigenvalues λ₁, λ₂ ≥ 0: Tr √A = √(Tr A + 2√det A).
        let s1 = Matrix<Double>(rows: 2, cols: 2, storage: [2, 0.7, 0.7, 1])
        let s2 = Matrix<Double>(rows: 2, cols: 2, storage: [0.5, -0.2, -0.2, 3])
        let p = Matrix<Double>.product(s1, .none, s2, .none)
        let det = p[0, 0] * p[1, 1] - p[0, 1] * p[1, 0]
        let expected = (p[0, 0] + p[1, 1] + 2 * det.squareRoot()).squareRoot()
        #expect(abs(try FrechetDistance.traceOfSqrtProduct(s1, s2) - expected) < 1e-13)
    }

    @Test func identicalSetsAreAtDistanceZero() throws {
        var rng = Xoshiro256(seed: 22)
        let x: Matrix<Float> = NaiveReference.randomMatrix(50, 8, &rng)
        #expect(abs(try FrechetDistance.between(x, x)) < 1e-10)
    }

    @Test func gaussianPopulationsGiveTheClosedFormW2() throws {
        // Commuting (diagonal) covariances: W₂² = ‖μ₁ − μ₂‖² + Σₖ (√σ₁ₖ − √σ₂ₖ)².
        let a = GaussianStatistics(mean: [0, 1, 2], covariance: Matrix(rows: 3, cols: 3, storage: [4, 0, 0, 0, 1, 0, 0, 0, 9]), count: 0)
        let b = GaussianStatistics(mean: [1, 1, 0], covariance: Matrix(rows: 3, cols: 3, storage: [1, 0, 0, 0, 1, 0, 0, 0, 0.25]), count: 0)
        let w2 = 1.0 + 0 + 4 + (2.0 - 1) * (2 - 1) + 0 + (3 - 0.5) * (3 - 0.5)
        #expect(abs(try FrechetDistance.between(a, b) - w2) < 1e-12)
        // Samples of the two populations approach it.
        var rng = Xoshiro256(seed: 23)
        let xa = Self.gaussian(20000, mean: [0, 1, 2], mixing: [[2, 0, 0], [0, 1, 0], [0, 0, 3]], rng: &rng)
        let xb = Self.gaussian(20000, mean: [1, 1, 0], mixing: [[1, 0, 0], [0, 1, 0], [0, 0, 0.5]], rng: &rng)
        #expect(abs(try FrechetDistance.between(xa, xb) - w2) < 0.1)
    }

    @Test func invariantToTheOrderOfSamples() throws {
        var rng = Xoshiro256(seed: 24)
        let a: Matrix<Float> = NaiveReference.randomMatrix(64, 6, &rng)
        let b: Matrix<Float> = NaiveReference.randomMatrix(48, 6, &rng)
        let order = rng.shuffled(Array(0..<64))
        var shuffled = a
        for (i, j) in order.enumerated() { for k in 0..<6 { shuffled[i, k] = a[j, k] } }
        let fd = try FrechetDistance.between(a, b)
        #expect(abs(try FrechetDistance.between(shuffled, b) - fd) < 1e-12 * max(1, fd))
        #expect(abs(try FrechetDistance.between(b, a) - fd) < 1e-9 * max(1, fd))
    }

    @Test func rankDeficientInputsStayFinite() throws {
        var rng = Xoshiro256(seed: 25)
        let a: Matrix<Float> = NaiveReference.randomMatrix(6, 40, &rng)
        let b: Matrix<Float> = NaiveReference.randomMatrix(9, 40, &rng)
        let fd = try FrechetDistance.between(a, b)
        #expect(fd.isFinite && fd > 0)
        let selfFD = try FrechetDistance.between(a, a)
        #expect(abs(selfFD) < 1e-9)
        // A set lying on a line inside 5 dimensions (rank-1 covariance) against a full-rank one.
        let line = Matrix<Float>(rows: 10, cols: 5, storage: (0..<50).map { Float($0 / 5) * Float($0 % 5 + 1) })
        let full: Matrix<Float> = NaiveReference.randomMatrix(30, 5, &rng)
        let lineFD = try FrechetDistance.between(line, full)
        #expect(lineFD.isFinite && lineFD > 0)
        #expect(abs(try FrechetDistance.between(line, line)) < 1e-9)
    }

    @Test func mismatchedDimensionsThrow() {
        let a = Matrix<Float>(rows: 3, cols: 2), b = Matrix<Float>(rows: 3, cols: 3)
        #expect(throws: FrechetDistanceError.self) { try FrechetDistance.between(a, b) }
    }
}

@Suite struct CholeskyTests {
    @Test func factorAndCongruenceMatchTheDefinitions() throws {
        var rng = Xoshiro256(seed: 26)
        let x: Matrix<Double> = NaiveReference.randomMatrix(12, 5, &rng)
        let a = Matrix<Double>.product(x, .transposed, x, .none)       // 5×5 positive definite
        let l = try #require(a.choleskyLower())
        #expect(NaiveReference.relativeError(Matrix<Double>.product(l, .none, l, .transposed), a.converted()) < 1e-13)
        for i in 0..<5 { for j in (i + 1)..<5 { #expect(l[i, j] == 0) } }
        let b: Matrix<Double> = NaiveReference.randomMatrix(5, 5, &rng)
        let expected = NaiveReference.product(l, .transposed, Matrix<Double>.product(b, .none, l, .none), .none)
        #expect(NaiveReference.relativeError(b.congruence(byLower: l), expected) < 1e-13)
        let singular = Matrix<Double>(rows: 2, cols: 2, storage: [1, 1, 1, 1 - 1e-17])
        #expect(singular.choleskyLower() == nil)
    }

    @Test func bothFactorPathsAgree() throws {
        // Full-rank Σ₁ takes the Cholesky path; the same Σ₁ with a zero row and column takes the eigen path.
        var rng = Xoshiro256(seed: 27)
        let x: Matrix<Float> = NaiveReference.randomMatrix(40, 6, &rng)
        let y: Matrix<Float> = NaiveReference.randomMatrix(30, 6, &rng)
        let s1 = GaussianStatistics(features: x).covariance, s2 = GaussianStatistics(features: y).covariance
        let fast = try FrechetDistance.traceOfSqrtProduct(s1, s2)
        var padded1 = Matrix<Double>(rows: 7, cols: 7), padded2 = Matrix<Double>(rows: 7, cols: 7)
        for i in 0..<6 { for j in 0..<6 { padded1[i, j] = s1[i, j]; padded2[i, j] = s2[i, j] } }
        padded2[6, 6] = 3
        #expect(padded1.choleskyLower() == nil)
        #expect(abs(try FrechetDistance.traceOfSqrtProduct(padded1, padded2) - fast) < 1e-12 * fast)
    }
}

@Suite struct FrechetReferenceTests {
    @Test func fixedSubsetFromASeedAndDistancesInItsSpace() throws {
        var rng = Xoshiro256(seed: 28)
        let test: Matrix<Float> = NaiveReference.randomMatrix(200, 4, &rng)
        let reference = try FrechetReference(testSplit: test, size: 50, seed: 3, space: DataFeatureSpace())
        #expect(reference.rows.count == 50 && Set(reference.rows).count == 50 && reference.rows == reference.rows.sorted())
        #expect(reference.features == "data" && reference.statistics.count == 50)
        let again = try FrechetReference(testSplit: test, size: 50, seed: 3, space: DataFeatureSpace())
        #expect(again.rows == reference.rows && again.statistics == reference.statistics)
        #expect(try FrechetReference(testSplit: test, size: 50, seed: 4, space: DataFeatureSpace()).rows != reference.rows)
        // The distance is the FD between the samples and exactly the chosen rows.
        var subset = Matrix<Float>(rows: 50, cols: 4)
        for (i, r) in reference.rows.enumerated() { for k in 0..<4 { subset[i, k] = test[r, k] } }
        let samples: Matrix<Float> = NaiveReference.randomMatrix(40, 4, &rng)
        #expect(try reference.distance(to: samples, in: DataFeatureSpace()) == (try FrechetDistance.between(samples, subset)))
        #expect(try FrechetReference(testSplit: test, size: 500, seed: 3, space: DataFeatureSpace()).rows == Array(0..<200))
    }
}
