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
        print("openblas core: \(BLASRuntime.coreName) (preferred: \(BLASRuntime.preferredCore(for: .current) ?? "generic"))")
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

    private func formatError(_ x: Double) -> String {
        String(format: "%.2e", x)
    }
}
