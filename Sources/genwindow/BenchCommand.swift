import ArgumentParser
import Benchmarks
import Foundation
import Metrics
import NumericCore

/// `genwindow bench`: throughput of the hot paths, each as a ratio to the machine's own sgemm ceiling.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the hot paths (median and spread; GFLOP/s and ratio to this machine's sgemm).",
        discussion: "Build in release mode first (make bench does). Case names are stable identifiers."
    )

    @Flag(help: "Run the quick subset (under a minute).")
    var quick = false

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Only cases whose name contains this text.")
    var filter: String?

    @Option(help: "BLAS threads (default: OpenBLAS's own choice).")
    var threads: Int?

    @Option(help: "Minimum seconds of timed repetitions per case.")
    var seconds: Double = 0.5

    func validate() throws {
        if let threads, threads < 1 || threads > 1024 { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
        if !(seconds > 0 && seconds <= 600) { throw ValidationError("--seconds must be in (0, 600], got \(seconds)") }
    }

    func run() throws {
        if let threads { BLASRuntime.setThreads(threads) }
        var cases = BenchmarkCatalog.all
        if quick { cases = cases.filter(\.quick) }
        if let filter { cases = cases.filter { $0.name.contains(filter) } }
        guard !cases.isEmpty else { throw ValidationError("no benchmark case matches '\(filter ?? "")'") }
        let machine = MachineDescription.current()
        if let warning = BLASRuntime.slowForcedCoreWarning(environment: ProcessInfo.processInfo.environment) {
            writeStandardError("genwindow: note: \(warning)\n")
        }
        let runner = BenchmarkRunner(minimumSeconds: seconds)
        let results = try runner.runAll(cases) { r in
            if !json { writeStandardError("  \(BenchmarkReport.table([r], machine: machine).split(separator: "\n").last ?? "")\n") }
        }
        print(json ? BenchmarkReport.json(results, machine: machine) : BenchmarkReport.table(results, machine: machine))
    }
}

/// Every benchmark case genwindow knows, ceiling first.
enum BenchmarkCatalog {
    static let quickNames: Set<String> = ["memfrac_m1000_n10000_d784"]

    static var all: [BenchmarkCase] {
        FoundationBenchmarks.cases + ModelBenchmarks.cases + DDPMBenchmarks.cases + MetricsBenchmark.standardWorkloads.map(wrap)
    }

    /// A metrics workload as a case. Memorized-fraction "pairs" count m·n·d (samples × training points ×
    /// dimensions), as issue 9 defines them.
    static func wrap(_ w: MetricsWorkload) -> BenchmarkCase {
        BenchmarkCase(name: w.name, unit: w.unit == "pairs·dims/s" ? "pairs/s" : w.unit, workPerRepetition: w.workPerRepetition,
                      flopsPerRepetition: w.flopsPerRepetition, quick: quickNames.contains(w.name), prepare: w.prepare)
    }
}
