import ArgumentParser
import Benchmarks
import Foundation
import Inception
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

    @Option(help: "Only cases whose name contains this text (just that case when it is a case's whole name).")
    var filter: String?

    @OptionGroup var threads: ThreadsOption

    @Option(parsing: .unconditional, help: "Minimum seconds of timed repetitions per case.")
    var seconds: Double = 0.5

    @Flag(help: "Time each case by itself, without the reference GEMMs it is otherwise paired with, for all of --seconds however fast it is (for a profiler: perf record then sees only the case).")
    var alone = false

    func validate() throws {
        if !(seconds > 0 && seconds <= 600) { throw ValidationError("--seconds must be in (0, 600], got \(seconds)") }
    }

    func run() throws {
        threads.apply()
        var cases = BenchmarkCatalog.all
        if quick { cases = cases.filter(\.quick) }
        if let filter {
            cases = cases.contains { $0.name == filter } ? cases.filter { $0.name == filter }
                : cases.filter { $0.name.contains(filter) }
        }
        guard !cases.isEmpty else {
            if let filter, filter.hasPrefix("inception"), BenchmarkCatalog.inception.isEmpty {
                throw RuntimeError("the Inception cases need the FID weights: run 'make fid-weights'")
            }
            throw ValidationError("no benchmark case matches '\(filter ?? "")'")
        }
        if !alone { cases = BenchmarkCatalog.withReferences(cases) }
        let machine = MachineDescription.current()
        if let warning = BLASRuntime.slowForcedCoreWarning(environment: ProcessInfo.processInfo.environment) {
            writeStandardError("genwindow: note: \(warning)\n")
        }
        let runner = alone ? BenchmarkRunner.profiling(minimumSeconds: seconds) : BenchmarkRunner(minimumSeconds: seconds)
        let progress = json ? nil : ProgressDestination.current()
        let results = try runner.runAll(cases) { r in
            let row = "  \(BenchmarkReport.table([r], machine: machine).split(separator: "\n").last ?? "")"
            switch progress {
            case .separateStream?: writeStandardError(row + "\n")
            case .transientLine?: writeStandardError("\r\u{1B}[K" + row)
            case nil: break
            }
        }
        if progress == .transientLine { writeStandardError("\r\u{1B}[K") }
        print(json ? BenchmarkReport.json(results, machine: machine) : BenchmarkReport.table(results, machine: machine))
    }
}

/// Where `bench` shows each result as it finishes, before the table on stdout repeats them all.
enum ProgressDestination: Equatable {
    /// stderr goes elsewhere than stdout: one line per result there.
    case separateStream
    /// stderr and stdout are the same terminal: the latest result on one line that the table then replaces.
    case transientLine

    /// nil when stderr and stdout are the same file or pipe that is not a terminal (`bench >log 2>&1`): the table
    /// alone, so each result appears once.
    static func current() -> ProgressDestination? {
        var out = stat(), err = stat()
        guard fstat(1, &out) == 0, fstat(2, &err) == 0, out.st_dev == err.st_dev, out.st_ino == err.st_ino else {
            return .separateStream
        }
        return isatty(2) == 1 ? .transientLine : nil
    }
}

/// Every benchmark case genwindow knows, ceiling first.
enum BenchmarkCatalog {
    static let quickNames: Set<String> = ["memfrac_m1000_n10000_d784"]

    static var all: [BenchmarkCase] {
        var seen = Set<String>()
        return (FoundationBenchmarks.cases + ModelBenchmarks.cases + RFSetupBenchmarks.cases + DDPMBenchmarks.cases
            + MetricsBenchmark.standardWorkloads.flatMap(wrap) + ThreadBenchmarks.cases + ExternalRunsBenchmarks.cases + inception)
            .filter { seen.insert($0.name).inserted }
    }

    /// The Inception features case and its GEMMs when the FID weights are at hand (`make fid-weights`), else none.
    static var inception: [BenchmarkCase] {
        let dir = try? InceptionWeights.locate(
            explicit: nil, environment: ProcessInfo.processInfo.environment,
            executableDirectory: Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path)
        return dir.map { InceptionBenchmarks.cases(weightsDirectory: $0) } ?? []
    }

    /// `selected`, plus (before them, in catalog order) the reference GEMMs they name that were left out.
    static func withReferences(_ selected: [BenchmarkCase]) -> [BenchmarkCase] {
        let names = Set(selected.map(\.name))
        let wanted = Set(selected.compactMap(\.reference)).subtracting(names)
        var seen = Set<String>()
        let references = all.filter { wanted.contains($0.name) && seen.insert($0.name).inserted }
        return references + selected
    }

    /// A metrics workload as a case, preceded by its roofline GEMM when it has one (`all` drops repeated shapes;
    /// `withReferences` adds the GEMM to a quick or filtered run). Memorized-fraction "pairs" count m·n·d (samples × training points × dimensions), as
    /// issue 9 defines them.
    static func wrap(_ w: MetricsWorkload) -> [BenchmarkCase] {
        let quick = quickNames.contains(w.name)
        let roofline = w.roofline.map {
            FoundationBenchmarks.gemm(Float.self, m: $0.m, n: $0.n, k: $0.k, transB: .transposed)
        }
        let main = BenchmarkCase(name: w.name, unit: w.unit == "pairs·dims/s" ? "pairs/s" : w.unit,
                                 workPerRepetition: w.workPerRepetition, flopsPerRepetition: w.flopsPerRepetition,
                                 quick: quick, reference: roofline?.name, prepare: w.prepare)
        return (roofline.map { [$0] } ?? []) + [main]
    }
}
