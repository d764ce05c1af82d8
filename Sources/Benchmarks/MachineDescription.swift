import Foundation
import NumericCore

/// What the benchmarks ran on, for the report header and `--json`.
public struct MachineDescription: Sendable {
    public init(cpu: String, cores: Int, blasCore: String, blasThreads: Int, blasThreadTimeout: String? = nil) {
        self.cpu = cpu
        self.cores = cores
        self.blasCore = blasCore
        self.blasThreads = blasThreads
        self.blasThreadTimeout = blasThreadTimeout
    }

    public let cpu: String
    public let cores: Int
    public let blasCore: String
    public let blasThreads: Int
    /// `OPENBLAS_THREAD_TIMEOUT` as OpenBLAS loaded it (nil: unset, OpenBLAS's default spin).
    public let blasThreadTimeout: String?

    public static func current() -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return MachineDescription(cpu: "\(model) (\(CPUFeatures.current.summary))",
                                  cores: ProcessInfo.processInfo.activeProcessorCount,
                                  blasCore: BLASRuntime.coreName, blasThreads: BLASRuntime.threads,
                                  blasThreadTimeout: ProcessInfo.processInfo.environment[BLASRuntime.threadTimeoutVariable])
    }
}
