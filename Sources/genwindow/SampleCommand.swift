import ArgumentParser
import Diffusion
import NumericCore

/// `genwindow sample`: draws samples from a saved DDPM checkpoint into a .npy file (float32, count×d, model
/// space: the scaling recorded in the checkpoint).
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate samples from a DDPM checkpoint into a .npy file (count×d float32)."
    )

    @Option(help: "Checkpoint written by `genwindow train --model ddpm` (RUN.step<STEP>.ckpt).")
    var checkpoint: String
    @Option(parsing: .unconditional, help: "Number of samples.")
    var count: Int = 1000
    @Option(help: "Output .npy file.")
    var out: String
    @Option(help: "Sampler: ddim (η = 0) or ddpm (ancestral).")
    var sampler: Sampler.Kind = .ddim
    @Option(parsing: .unconditional, help: "Sampler steps (default: the run's).")
    var steps: Int?
    @Option(parsing: .unconditional, help: "Classifier-free guidance scale for conditional models (default: the run's).")
    var guidance: Double?
    @Option(parsing: .unconditional, help: "Seed of the initial noise.", transform: parseSeed)
    var seed: UInt64 = 0
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard count > 0 && count <= 10_000_000 else { throw ValidationError("--count must be in 1…10000000, got \(count)") }
        if let steps, !(1...999).contains(steps) { throw ValidationError("--steps must be in 1…999, got \(steps)") }
        if let guidance, !(guidance.isFinite && guidance > 0 && guidance <= 100) {
            throw ValidationError("--guidance must be in (0, 100], got \(guidance)")
        }
    }

    func run() throws {
        threads.apply()
        try OutputPath.createParents(of: out)
        let ckpt: Checkpoint
        do { ckpt = try Checkpoint.read(path: checkpoint) } catch { throw RuntimeError("\(error)") }
        let network = MLPNetwork(ckpt.config, maxRows: 256)
        let base = MLPDenoiser(network: network, parameters: FloatBuffer(ckpt.samplingParameters))
        let classes = ckpt.config.classes
        let scale = guidance ?? ckpt.metadata["guidance"].flatMap(Double.init) ?? 1
        let denoiser: Denoiser = classes > 0 && scale != 1 ? GuidedDenoiser(base, scale: Float(scale), nullClass: classes) : base
        let schedule = NoiseSchedule(ckpt.schedule, steps: ckpt.scheduleSteps)
        let sampleSteps = steps ?? ckpt.metadata["sample_steps"].flatMap(Int.init) ?? 100
        let s = Sampler(kind: sampler, steps: min(sampleSteps, schedule.steps - 1), schedule: schedule)
        let labels: [Int32]? = classes > 0 ? (0..<count).map { Int32($0 % classes) } : nil
        let samples = s.sample(denoiser, count: count, labels: labels, seed: seed)
        do { try NpyArray(samples).write(path: out) } catch { throw RuntimeError("\(error)") }
        print("wrote \(count) samples of dimension \(ckpt.config.dimension) to \(out)")
    }
}

extension Sampler.Kind: ExpressibleByArgument {}
