import NumericCore

/// Draws samples by running the OU diffusion (docs/science.md §2: x_t = e^{−t}x_0 + √Δ_t ξ) backwards through
/// the times of a `DiffusionScore`, from x ~ N(0, I) at the largest time to the denoised x̂_0 at t = 0.
///
/// Each step from t to the next smaller time t′ forms the denoiser x̂_0 = e^{t}(x + Δ_t s_t(x)) and the noise
/// estimate ε̂ = −√Δ_t s_t(x), then
/// - `ode` (probability-flow ODE, DDIM with η = 0: its exponential integrator with ε̂ frozen over the step):
///   x′ = e^{−t′}x̂_0 + √Δ_{t′} ε̂;
/// - `sde` (reverse OU process, ancestral DDPM: the Gaussian posterior of x_{t′} given x_t and x̂_0):
///   x′ = (e^{−t′}(1 − a²)/Δ_t)·x̂_0 + (aΔ_{t′}/Δ_t)·x + √((1 − a²)Δ_{t′}/Δ_t)·z, a = e^{−(t−t′)}, z ~ N(0, I).
/// The last step (t′ = 0) returns x̂_0 at the smallest time (Tweedie's denoiser).
///
/// Every run restarts the generator from (seed, stream), so successive runs (e.g. one per evaluation of a
/// training run) use the same starting points and noise and differ only through the score. Buffers (m×d) are
/// allocated once.
public struct ReverseDiffusionSampler: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case ode
        case sde
    }

    public let kind: Kind
    /// m: samples per run.
    public let count: Int
    /// d.
    public let dimension: Int
    public let seed: UInt64
    public let stream: UInt64
    /// m×d: the samples of the last run.
    public private(set) var samples: Matrix<Float>
    /// m×d scratch: the score, then the noise.
    private var score: Matrix<Float>
    private var noise: Matrix<Float>

    public init(kind: Kind, count: Int, dimension: Int, seed: UInt64, stream: UInt64) {
        precondition(count >= 1 && dimension >= 1, "a sampler needs at least one sample of dimension ≥ 1")
        self.kind = kind
        self.count = count
        self.dimension = dimension
        self.seed = seed
        self.stream = stream
        samples = Matrix(rows: count, cols: dimension)
        score = Matrix(rows: count, cols: dimension)
        noise = Matrix(rows: count, cols: dimension)
    }

    /// Runs the reverse process with `model`'s scores; the result is in `samples`.
    public mutating func run<S: DiffusionScore>(_ model: inout S) {
        let times = model.times
        var rng = Xoshiro256(seed: seed, stream: stream)
        samples.storage.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        for k in stride(from: times.count - 1, through: 0, by: -1) {
            let t = times[k], next = k > 0 ? times[k - 1] : 0
            model.evaluate(time: k, at: samples, into: &score)
            if kind == .sde && next > 0 { noise.storage.withUnsafeMutableBufferPointer { rng.fillNormal($0) } }
            step(from: t, to: next)
        }
    }

    /// One step t → t′ with the score of x in `score` (and, for `sde`, fresh N(0, 1) values in `noise`).
    private mutating func step(from t: Double, to next: Double) {
        let delta = -rfExpm1(-2 * t), growth = rfExp(t)
        let nextDelta = -rfExpm1(-2 * next), nextDecay = rfExp(-next)
        // x′ = cx·x + cs·s (+ cz·z), with x̂_0 = e^t(x + Δ s) and ε̂ = −√Δ s expanded.
        let cx: Double, cs: Double, cz: Double
        if next == 0 {
            (cx, cs, cz) = (growth, growth * delta, 0)
        } else if kind == .ode {
            let toX0 = nextDecay * growth
            (cx, cs, cz) = (toX0, toX0 * delta - (nextDelta * delta).squareRoot(), 0)
        } else {
            let a = rfExp(next - t), b2 = -rfExpm1(-2 * (t - next))
            let toX0 = nextDecay * b2 / delta * growth
            (cx, cs, cz) = (toX0 + a * nextDelta / delta, toX0 * delta, (b2 * nextDelta / delta).squareRoot())
        }
        let (fx, fs, fz) = (Float(cx), Float(cs), Float(cz))
        let useNoise = cz > 0
        samples.storage.withUnsafeMutableBufferPointer { x in
            score.storage.withUnsafeBufferPointer { s in
                noise.storage.withUnsafeBufferPointer { z in
                    for i in 0..<x.count { x[i] = fx * x[i] + fs * s[i] + (useNoise ? fz * z[i] : 0) }
                }
            }
        }
    }
}
