import NumericCore

/// The denoising loss at one fixed diffusion step over fixed noise draws (Paper B's train/test curves,
/// docs/science.md §2): the same draws at every evaluation, so successive values compare like with like.
///
/// Value: mean over points, draws and dimensions of (ε̂ − ε)², i.e. the DSM loss at t divided by d.
public struct FixedTimeLoss {
    public let step: Int
    public let draws: Int
    private let inputs: Matrix<Float>
    private let noise: Matrix<Float>
    private let labels: [Int32]

    /// Prepares x_k = √ᾱ x + √(1 − ᾱ) ε for every point of `points` and each of `draws` noise draws.
    public init(points: Matrix<Float>, labels: [Int32], schedule: NoiseSchedule, step k: Int, draws: Int, seed: UInt64) {
        self.step = k
        self.draws = draws
        let n = points.rows, d = points.cols
        var rng = Xoshiro256(seed: seed, stream: 0x1055)
        noise = Matrix(rows: n * draws, cols: d, storage: rng.normals(n * draws * d))
        var x = Matrix<Float>(rows: n * draws, cols: d)
        let a = Float(schedule.alphaBar[k].squareRoot()), s = Float((1 - schedule.alphaBar[k]).squareRoot())
        for r in 0..<(n * draws) { for j in 0..<d { x[r, j] = a * points[r % n, j] + s * noise[r, j] } }
        inputs = x
        self.labels = labels.isEmpty ? [] : (0..<(n * draws)).map { labels[$0 % n] }
    }

    /// The loss of `denoiser` (conditioned on the points' labels when it takes them).
    public func evaluate(_ denoiser: Denoiser) -> Double {
        let rowsTotal = inputs.rows, d = inputs.cols, chunk = denoiser.maxRows
        guard rowsTotal > 0 else { return .nan }
        let out = FloatBuffer(count: chunk * d)
        let ks = [Int32](repeating: Int32(step), count: chunk)
        var sum = 0.0
        inputs.storage.withUnsafeBufferPointer { x in
            noise.storage.withUnsafeBufferPointer { e in
                ks.withUnsafeBufferPointer { kp in
                    labels.withUnsafeBufferPointer { lp in
                        var start = 0
                        while start < rowsTotal {
                            let rows = min(chunk, rowsTotal - start)
                            denoiser.predictNoise(out.base, x: x.baseAddress! + start * d, steps: kp.baseAddress!,
                                                  labels: lp.isEmpty ? nil : lp.baseAddress! + start, rows: rows)
                            for i in 0..<(rows * d) {
                                let diff = Double(out.base[i] - e[start * d + i])
                                sum += diff * diff
                            }
                            start += rows
                        }
                    }
                }
            }
        }
        return sum / Double(rowsTotal * d)
    }
}
