import ArgumentParser
import Foundation
import NumericCore

/// `genwindow doctor`: shows which BLAS kernels are active and checks them against naive loops.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show the CPU, the active OpenBLAS kernels, and check sgemm/sgemv/ssyrk/ssyevd against naive loops."
    )

    func run() throws {
        print("cpu features:  \(CPUFeatures.current.summary)")
        print("openblas core: \(Self.coreLine(active: BLASRuntime.coreName, features: .current))")
        if let warning = BLASRuntime.slowForcedCoreWarning(environment: ProcessInfo.processInfo.environment) {
            print("note:          \(warning)")
        } else if let forced = ProcessInfo.processInfo.environment[BLASRuntime.coreTypeVariable] {
            print("               (\(BLASRuntime.coreTypeVariable)=\(forced) is set in the environment and is respected)")
        }
        print("blas threads:  \(BLASRuntime.threads)")
        print("openblas:      \(BLASRuntime.configuration)")
        var failed = false
        for check in KernelSelfCheck.run(seed: 7) {
            let verdict = check.passed ? "ok" : "FAILED"
            print("\(check.name.padding(toLength: 14, withPad: " ", startingAt: 0)) rel. error \(formatError(check.relativeError))  \(verdict)")
            failed = failed || !check.passed
        }
        if failed { throw RuntimeError("BLAS kernels gave wrong results on this machine (see above)") }
    }

    /// The active kernel family and what it means for this CPU: information when it is as fast a family as the
    /// CPU supports (Zen and Haswell are the same AVX2+FMA tier), a problem only when it is slower.
    static func coreLine(active: String, features: CPUFeatures) -> String {
        let activeTier = BLASRuntime.tier(ofCore: active)
        guard let best = BLASRuntime.preferredCore(for: features) else {
            return "\(active) (\(tierName(activeTier)) kernels; this CPU has no AVX, so generic kernels are its fastest)"
        }
        let bestTier = BLASRuntime.tier(ofCore: best)
        if activeTier >= bestTier {
            return "\(active) (\(tierName(activeTier)) kernels, the fastest family this CPU supports)"
        }
        return "\(active) (\(tierName(activeTier)) kernels; SLOWER than this CPU supports: \(best), \(tierName(bestTier)))"
    }

    private static func tierName(_ tier: Int) -> String {
        switch tier {
        case 3: "AVX-512"
        case 2: "AVX2+FMA"
        case 1: "AVX"
        default: "generic SSE"
        }
    }

    private func formatError(_ x: Double) -> String {
        String(format: "%.2e", x)
    }
}
