import NumericCore

/// Brute-force memorized fraction for the tests: the share of samples whose nearest training point is closer
/// than k times the second nearest.
func bruteForceMemorizedFraction(_ samples: Matrix<Float>, training: Matrix<Float>, k: Double = 1.0 / 3) -> Double {
    var memorized = 0
    for r in 0..<samples.rows {
        var d1 = Double.infinity, d2 = Double.infinity
        for i in 0..<training.rows {
            var s = 0.0
            for j in 0..<samples.cols { let t = Double(samples[r, j] - training[i, j]); s += t * t }
            if s < d1 { d2 = d1; d1 = s } else if s < d2 { d2 = s }
        }
        if d1.squareRoot() < k * d2.squareRoot() { memorized += 1 }
    }
    return Double(memorized) / Double(samples.rows)
}
