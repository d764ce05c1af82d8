import Benchmarks
import Diffusion
import RunFormat
import Testing

@Suite("Benchmark runner and report")
struct BenchmarksTests {
    @Test("runs the warm-up plus at least the minimum repetitions, and reports rates in the case's unit")
    func runnerCounts() throws {
        let counter = Counter()
        let c = BenchmarkCase(name: "count", unit: "ops/s", workPerRepetition: 10, flopsPerRepetition: 20) {
            { counter.n += 1 }
        }
        let r = try BenchmarkRunner(minimumRepetitions: 7, minimumSeconds: 0).run(c)
        #expect(counter.n == 8)
        #expect(r.repetitions == 7)
        #expect(r.min <= r.median && r.median <= r.max)
        #expect(abs(r.gflops! - r.median * 2 / 1e9) < 1e-9 * r.median)
    }

    @Test("ratios are relative to sgemm_1024 when the run has it, else to the fastest sgemm case")
    func ratios() throws {
        let slow = BenchmarkCase(name: "sgemm_small", unit: "GFLOP/s", workPerRepetition: 1, flopsPerRepetition: 1e9) { { spin(2000) } }
        let fast = BenchmarkCase(name: "sgemm_big", unit: "GFLOP/s", workPerRepetition: 1, flopsPerRepetition: 1e9) { { spin(200) } }
        let other = BenchmarkCase(name: "model_step", unit: "steps/s", workPerRepetition: 1, flopsPerRepetition: 1e8) { { spin(200) } }
        let results = try BenchmarkRunner(minimumRepetitions: 3, minimumSeconds: 0).runAll([slow, fast, other])
        let ceiling = results.compactMap { $0.name.hasPrefix("sgemm_") ? $0.gflops : nil }.max()!
        for r in results { #expect(abs(r.ratioToSgemm! - r.gflops! / ceiling) < 1e-12) }
        #expect(results.map(\.name) == ["sgemm_small", "sgemm_big", "model_step"])

        let square = BenchmarkCase(name: "sgemm_1024", unit: "GFLOP/s", workPerRepetition: 1, flopsPerRepetition: 1e9) { { spin(2000) } }
        let withSquare = try BenchmarkRunner(minimumRepetitions: 3, minimumSeconds: 0).runAll([square, fast, other])
        let squareGflops = try #require(withSquare[0].gflops)
        for r in withSquare { #expect(abs(r.ratioToSgemm! - r.gflops! / squareGflops) < 1e-12) }
        #expect(withSquare[0].ratioToSgemm == 1)
    }

    @Test("a case with a reference is timed alongside it, and its ratio is to that reference")
    func pairedReference() throws {
        let counter = Counter()
        let clock = ManualClock()
        let reference = BenchmarkCase(name: "sgemm_ref", unit: "GFLOP/s", workPerRepetition: 1, flopsPerRepetition: 1e9) {
            { counter.n += 1; clock.advance(0.001) }
        }
        let model = BenchmarkCase(name: "model_step", unit: "steps/s", workPerRepetition: 1, flopsPerRepetition: 1e9,
                                  reference: "sgemm_ref") { { clock.advance(0.002) } }
        let runner = BenchmarkRunner(minimumRepetitions: 5, minimumSeconds: 0, clock: { clock.now })
        let results = try runner.runAll([reference, model])
        #expect(counter.n == 6 + 6)  // its own run, then once per repetition of the paired case (+ warm-ups)
        let ratio = try #require(results[1].ratioToReference)
        #expect(abs(ratio - 0.5) < 1e-9)  // twice the time per repetition for the same flops: one half
        #expect(results[1].reference == "sgemm_ref" && results[0].ratioToReference == nil)
        let json = try JSONParser.parse(BenchmarkReport.json(results, machine: MachineDescription(
            cpu: "c", cores: 1, blasCore: "Haswell", blasThreads: 1)))
        #expect(json.object?["cases"]?.array?[1].object?["reference"]?.string == "sgemm_ref")
        #expect(json.object?["cases"]?.array?[1].object?["ratio_to_reference"]?.double == ratio)
    }

    @Test("a profiling runner repeats a fast case for all of its seconds; the usual one stops at its cap")
    func profilingRunnerHasNoRepetitionCap() throws {
        let clock = ManualClock()
        let fast = BenchmarkCase(name: "fast", unit: "ops/s", workPerRepetition: 1, flopsPerRepetition: nil) {
            { clock.advance(0.0625) }  // exact in binary, so the clock adds up without rounding
        }
        let capped = try BenchmarkRunner(minimumSeconds: 125, clock: { clock.now }).run(fast)
        let profiled = try BenchmarkRunner.profiling(minimumSeconds: 125, clock: { clock.now }).run(fast)
        #expect(capped.repetitions == 1000)
        #expect(profiled.repetitions == 2000)
    }

    @Test("the DDPM reference GEMMs do the step's forward multiply–adds, three times over for a training step")
    func ddpmReferenceFlops() {
        for (d, w) in [(64, 256), (784, 1024)] {
            let step = DDPMBenchmarks.step(dimension: d, width: w)
            let forward = DDPMBenchmarks.gemms(dimension: d, width: w, backward: false)
            let both = DDPMBenchmarks.gemms(dimension: d, width: w, backward: true)
            let perRow = Double(MLPConfig(dimension: d, width: w, depth: 3).forwardMultiplyAdds)
            #expect(forward.flopsPerRepetition == 2 * 128 * perRow)
            // The backward pass skips the input gradients of the data and step-embedding layers.
            let skipped = 2 * 128 * Double(d * w + 64 * w)
            #expect(both.flopsPerRepetition == 3 * 2 * 128 * perRow - skipped)
            #expect(step.reference == both.name)
            #expect(step.flopsPerRepetition == 3 * 2 * 128 * perRow)
        }
    }

    @Test("each Gram-form RF step names its own sgemm, which exists in the catalog; each has an eigenbasis twin")
    func rfReferences() {
        let names = Set(ModelBenchmarks.cases.map(\.name))
        let gram = ModelBenchmarks.cases.filter { $0.name.hasPrefix("rf_gd_step_gram_") }
        #expect(!gram.isEmpty)
        for c in gram {
            #expect(c.reference.map(names.contains) == true, "\(c.name)")
            #expect(names.contains(c.name.replacingOccurrences(of: "_gram", with: "")), "\(c.name)")
        }
        #expect(names.contains("rf_run_d25_p1600_n100"))
    }

    @Test("the RF setup's pieces have unique names and pair with the Float64 ceiling, which is in the catalog")
    func rfSetupReferences() {
        let ceilings = Set(FoundationBenchmarks.cases.map(\.name))
        let names = RFSetupBenchmarks.cases.map(\.name)
        #expect(Set(names).count == names.count)
        for c in RFSetupBenchmarks.cases where c.reference != nil {
            #expect(ceilings.contains(c.reference!), "\(c.name)")
        }
        for name in ["rf_setup_d25_p6400_n800", "rf_setup_total_d25_p6400_n800", "rf_project_d25_p6400_n800",
                     "rf_eigen_dsyevd_p3200", "rf_eigen_ssyevr_p1600"] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test("the JSON report has the documented keys")
    func jsonKeys() throws {
        let r = BenchmarkResult(name: "sgemm_1024", unit: "GFLOP/s", median: 100, min: 90, max: 110, gflops: 100,
                                ratioToSgemm: 1, repetitions: 5)
        let machine = MachineDescription(cpu: "test cpu", cores: 2, blasCore: "Haswell", blasThreads: 2,
                                         blasThreadTimeout: "20")
        let json = try JSONParser.parse(BenchmarkReport.json([r], machine: machine))
        // The contract's four keys first, then the added worker spin time.
        #expect(json.object?["machine"]?.object?.keys == ["cpu", "cores", "blas_core", "blas_threads", "blas_thread_timeout"])
        #expect(json.object?["machine"]?.object?["blas_thread_timeout"]?.string == "20")
        let c = json.object?["cases"]?.array?.first?.object
        for key in ["name", "median", "min", "max", "unit", "gflops", "ratio_to_sgemm"] { #expect(c?[key] != nil, "\(key)") }
        #expect(c?["median"]?.double == 100)
        #expect(BenchmarkReport.table([r], machine: machine).contains("sgemm_1024"))
    }

    @Test("the quick subset holds the contract's stable case names")
    func standardCases() {
        let quick = Set((FoundationBenchmarks.cases + ModelBenchmarks.cases + DDPMBenchmarks.cases).filter(\.quick).map(\.name))
        for name in ["sgemm_1024", "runfile_load_1M", "rf_gd_step_d25_p1600", "rf_gd_step_gram_d25_p1600", "ddpm_train_step_d64_w512_b128", "render_frame_200x60"] {
            #expect(quick.contains(name), "\(name)")
        }
    }

    @Test("the run-file case reads back every line it wrote")
    func runFileCase() throws {
        let body = try FoundationBenchmarks.runFileLoad(lines: 500).prepare()
        try body()
    }
}

final class Counter: @unchecked Sendable { var n = 0 }

/// A clock that moves only when a benchmark body advances it.
final class ManualClock: @unchecked Sendable {
    private(set) var now = 0.0
    func advance(_ seconds: Double) { now += seconds }
}

func spin(_ n: Int) {
    var x = 0.0
    for i in 0..<n { x += Double(i).squareRoot() }
    precondition(x >= 0)
}
