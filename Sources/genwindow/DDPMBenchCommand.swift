import ArgumentParser
import Foundation
import NumericCore
import Training

/// `genwindow bench-ddpm`: DDPM training-step throughput at batch 128 for d ∈ {64, 784} and W ∈ {256, 512, 1024},
/// as achieved GFLOP/s and as a fraction of the sgemm rate of the step's largest product.
struct DDPMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ddpm",
        abstract: "Measure DDPM training steps/s against sgemm GFLOP/s (use a release build)."
    )

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 2

    func validate() throws {
        guard seconds.isFinite && seconds > 0 && seconds <= 600 else {
            throw ValidationError("--seconds must be in (0, 600], got \(seconds)")
        }
    }

    func run() throws {
        print("OpenBLAS core \(BLASRuntime.coreName), \(BLASRuntime.threads) thread(s); batch 128, depth 3")
        print("    d      W    steps/s   step GFLOP/s   sgemm GFLOP/s   ratio")
        for d in [64, 784] {
            for w in [256, 512, 1024] {
                let r = try DDPMBenchmark.measure(dimension: d, width: w, seconds: seconds)
                print(String(format: "%5d  %5d  %9.1f  %13.1f  %14.1f  %6.2f", d, w, r.stepsPerSecond, r.stepGFLOPS,
                             r.sgemmGFLOPS, r.efficiency))
            }
        }
    }
}
