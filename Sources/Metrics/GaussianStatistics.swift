import NumericCore

/// Mean and covariance of a feature set (rows are samples), in Float64: the Gaussian fit Fréchet distance uses.
public struct GaussianStatistics: Sendable, Equatable {
    /// d: column means.
    public var mean: [Double]
    /// d×d: unbiased sample covariance (divides by count − 1, as `numpy.cov`; zero for a single sample).
    public var covariance: Matrix<Double>
    /// Number of samples the statistics were computed from.
    public var count: Int

    /// Rows of at most this many samples are converted to Float64 at a time (bounds the temporary memory).
    static let chunkRows = 1024

    /// Fits `features` (count×d, count ≥ 1): two passes in Float64, the covariance accumulated chunk by chunk
    /// with dsyrk on the centred rows.
    public init(features: Matrix<Float>) {
        precondition(features.rows >= 1, "Gaussian statistics need at least one sample")
        let n = features.rows, d = features.cols
        var mean = [Double](repeating: 0, count: d)
        features.storage.withUnsafeBufferPointer { x in
            for i in 0..<n { for k in 0..<d { mean[k] += Double(x[i * d + k]) } }
        }
        for k in 0..<d { mean[k] /= Double(n) }
        var cov = Matrix<Double>(rows: d, cols: d)
        let scale = 1 / Double(max(n - 1, 1))
        var chunk = Matrix<Double>(rows: min(n, Self.chunkRows), cols: d)   // rows×d centred samples
        for i0 in stride(from: 0, to: n, by: Self.chunkRows) {
            let rows = min(Self.chunkRows, n - i0)
            if rows != chunk.rows { chunk = Matrix(rows: rows, cols: d) }
            features.storage.withUnsafeBufferPointer { x in
                chunk.storage.withUnsafeMutableBufferPointer { c in
                    for i in 0..<rows { for k in 0..<d { c[i * d + k] = Double(x[(i0 + i) * d + k]) - mean[k] } }
                }
            }
            cov.syrk(chunk, .transposed, alpha: scale, beta: 1)
        }
        self.init(mean: mean, covariance: cov, count: n)
    }

    /// Statistics given directly (e.g. a population's, or ones loaded from a cache).
    public init(mean: [Double], covariance: Matrix<Double>, count: Int) {
        precondition(covariance.rows == mean.count && covariance.cols == mean.count,
                     "covariance \(covariance.rows)×\(covariance.cols) does not match mean of \(mean.count)")
        self.mean = mean
        self.covariance = covariance
        self.count = count
    }

    public var dimension: Int { mean.count }
}
