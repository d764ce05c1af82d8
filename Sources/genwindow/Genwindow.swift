import ArgumentParser
import NumericCore
#if canImport(Glibc)
import Glibc
#endif

/// The `genwindow` command: train diffusion models on the CPU and watch the generalization window.
struct Genwindow: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "genwindow",
            abstract: "Train small diffusion models on the CPU and watch the generalization window open and close.",
            discussion: "With no subcommand, genwindow opens the live dashboard on the demo (as `genwindow demo`).",
            version: GenwindowVersion.description,
            subcommands: [DemoCommand.self, TrainCommand.self, WatchCommand.self, ReplayCommand.self, SampleCommand.self, SweepCommand.self,
                          PhaseCommand.self, EmmCommand.self, SpectrumCommand.self, MetricsCommand.self, BenchCommand.self,
                          DoctorCommand.self, ExportCommand.self, LsCommand.self],
            defaultSubcommand: DemoCommand.self
        )
    }
}

/// Version text: the program's version and the BLAS kernels it is running on.
enum GenwindowVersion {
    static let number = "0.1.0"

    static var description: String {
        "genwindow \(number) (OpenBLAS core \(BLASRuntime.coreName), \(BLASRuntime.threads) BLAS thread(s); CPU: \(CPUFeatures.current.summary))"
    }
}

@main
enum Main {
    static func main() async {
        BLASRuntime.applyEnvironmentBeforeUse()
        do {
            var command = try Genwindow.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitWithOneLineError(error)
        }
    }

    /// Help and version go through argument-parser; failures print one line (`genwindow: …`) and exit with
    /// 64 (usage) or 1 (runtime).
    static func exitWithOneLineError(_ error: Error) -> Never {
        if let runtime = error as? RuntimeError {
            writeStandardError("genwindow: \(runtime.message)\n")
            exit(1)
        }
        let code = Genwindow.exitCode(for: error)
        if code == .success || error is CleanExit {
            Genwindow.exit(withError: error)
        }
        if let exitCode = error as? ExitCode { exit(exitCode.rawValue) }
        let message = Genwindow.message(for: error)
            .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "invalid arguments"
        writeStandardError("genwindow: \(message)\n")
        exit(code.rawValue == 1 ? 1 : 64)
    }
}

/// A failure at run time (bad file, full disk, diverged input…): one line to stderr, exit status 1.
struct RuntimeError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

func writeStandardError(_ text: String) {
    var copy = text
    copy.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
