import NumericCore

/// Generates samples by integrating the reverse process with any `Denoiser`.
///
/// DDIM (Song et al.) over S evenly spaced steps from T − 1 down to 1, then to ᾱ = 1; η = 0 is deterministic,
/// η = 1 is ancestral DDPM sampling (exactly Ho et al.'s when S = T − 1). Every random draw comes from `seed`,
/// so two calls with the same seed start from the same noise and compare like with like.
public struct Sampler: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case ddim
        case ddpm
    }

    public var kind: Kind
    public var steps: Int
    public var schedule: NoiseSchedule

    public init(kind: Kind = .ddim, steps: Int = 100, schedule: NoiseSchedule) {
        precondition(steps >= 1 && steps <= schedule.steps - 1, "sampler steps must be in 1…T−1")
        self.kind = kind
        self.steps = steps
        self.schedule = schedule
    }

    /// The visited steps, descending from T − 1 to 1.
    public var stepSequence: [Int] {
        let top = schedule.steps - 1
        if steps == 1 { return [top] }
        return (0..<steps).map { j in 1 + ((top - 1) * (steps - 1 - j) + (steps - 1) / 2) / (steps - 1) }
    }

    /// `count` samples [count×d]; `labels` (count values, or nil) condition a class-aware denoiser.
    public func sample(_ denoiser: Denoiser, count: Int, labels: [Int32]? = nil, seed: UInt64) -> Matrix<Float> {
        let d = denoiser.dimension, chunk = denoiser.maxRows
        var rng = Xoshiro256(seed: seed, stream: 0x5A3F)
        var result = Matrix<Float>(rows: count, cols: d, storage: rng.normals(count * d))
        let eps = FloatBuffer(count: chunk * d)
        let stepBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: chunk)
        defer { stepBuffer.deallocate() }
        let sequence = stepSequence
        let eta = kind == .ddim ? 0.0 : 1.0
        result.storage.withUnsafeMutableBufferPointer { all in
            var start = 0
            while start < count {
                let rows = min(chunk, count - start)
                let x = all.baseAddress! + start * d
                for (i, k) in sequence.enumerated() {
                    let prev = i + 1 < sequence.count ? sequence[i + 1] : 0
                    stepBuffer.update(repeating: Int32(k), count: rows)
                    if let labels {
                        labels.withUnsafeBufferPointer {
                            denoiser.predictNoise(eps.base, x: x, steps: stepBuffer, labels: $0.baseAddress! + start,
                                                  rows: rows)
                        }
                    } else {
                        denoiser.predictNoise(eps.base, x: x, steps: stepBuffer, labels: nil, rows: rows)
                    }
                    let ab = schedule.alphaBar[k], abPrev = schedule.alphaBar[prev]
                    let sigma = eta * ((1 - abPrev) / (1 - ab) * (1 - ab / abPrev)).squareRoot()
                    let a = Float(ab.squareRoot()), s = Float((1 - ab).squareRoot())
                    let aPrev = Float(abPrev.squareRoot()), dirScale = Float(max(0, 1 - abPrev - sigma * sigma).squareRoot())
                    for i in 0..<(rows * d) {
                        let x0 = (x[i] - s * eps.base[i]) / a
                        var next = aPrev * x0 + dirScale * eps.base[i]
                        if sigma > 0 { next += Float(sigma * rng.nextNormal()) }
                        x[i] = next
                    }
                }
                start += rows
            }
        }
        return result
    }
}
