import Phases
import Foundation
import Metrics
import RunFiles
import Sweeps
import Testing

/// The tau_mem ∝ n forecast measured on the runs recorded in sample-runs/: each run's tau_mem, as its final
/// event records it, is forecast from the runs of the same settings with smaller n (as a sweep would, one size
/// after another), and the relative error is printed and bounded.
@Suite struct ForecastOnRecordedRunsTests {
    static let sampleRuns = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-runs")

    static func summaries(_ folder: String, _ names: [String]) throws -> [CellSummary] {
        try names.map { name in
            let path = sampleRuns.appendingPathComponent(folder).appendingPathComponent(name).path
            return try CellSummary(log: RunReader.read(path: path), name: name)
        }
    }

    /// Relative errors |forecast/tau_mem − 1| of each run after the first, forecast from the smaller runs.
    static func sequentialErrors(_ runs: [CellSummary]) throws -> [Double] {
        let sorted = runs.sorted { $0.n < $1.n }
        var errors: [Double] = []
        for (i, run) in sorted.enumerated() where i > 0 {
            let truth = try #require(run.tauMem, "\(run.name) has no final tau_mem event").tau
            let earlier = sorted[..<i].compactMap { r in r.tauMem.map { (n: r.n, time: $0.tau) } }
            let forecast = try #require(MemorizationForecast.proportionalToTrainingSize(earlier: earlier, n: run.n,
                                                                                        unit: run.timeUnit))
            errors.append(abs(forecast.step / truth - 1))
        }
        return errors
    }

    static func describe(_ errors: [Double]) -> String {
        errors.map { String(format: "%.1f%%", $0 * 100) }.joined(separator: ", ")
    }

    /// RF, d = 25, p = 1600, n = 50…200 (sample-runs/rf): tau_mem in τ is close to proportional to n.
    @Test func randomFeaturesScalingRuns() throws {
        let runs = try Self.summaries("rf", [50, 100, 150, 200].map { "rf-d25-p1600-n\($0)-t0.1.jsonl" })
        #expect(runs.allSatisfy { $0.timeUnit == "τ" && $0.tauMemReached })
        let errors = try Self.sequentialErrors(runs)
        print("tau_mem forecast on recorded RF runs (n = 100, 150, 200 from the smaller ones): \(Self.describe(errors))")
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0 < 0.1 }, "\(Self.describe(errors))")
    }

    /// DDPM on digits, n = 32…256 (sample-runs/ddpm, seed 0): tau_mem grows more slowly than n at small n (4,467
    /// steps at n = 32, 15,849 at n = 256), so a forecast ∝ n from the smaller runs overshoots, least so for the
    /// largest n; docs/timescales.md gives the leave-one-n-out errors over all seeds.
    @Test func ddpmDigitsRuns() throws {
        let runs = try Self.summaries("ddpm", [32, 64, 128, 256].map { "n\($0)-s0.jsonl" })
        #expect(runs.allSatisfy { $0.timeUnit == "steps" && $0.tauMemReached })
        let errors = try Self.sequentialErrors(runs)
        print("tau_mem forecast on recorded DDPM runs (n = 64, 128, 256 from the smaller ones): \(Self.describe(errors))")
        #expect(errors.count == 3)
        #expect(errors.last! < 0.4, "\(Self.describe(errors))")
        #expect(errors.allSatisfy { $0 < 1 }, "\(Self.describe(errors))")
    }

    /// The sweep in sample-runs/sweep-rf: at p = 1600 only n = 25 memorizes within the budget, so the other two
    /// cells get a forecast from it, beyond the budget they ran for, in τ.
    @Test func sweepCellsThatDidNotMemorizeGetAForecast() throws {
        let runs = try Self.summaries("sweep-rf", ["n25-p1600.jsonl", "n100-p1600.jsonl", "n400-p1600.jsonl"])
        let diagram = PhaseDiagram(summaries: runs, thresholds: PhaseThresholds())
        let n25 = try #require(diagram.cells.first { $0.summary.n == 25 })
        #expect(n25.tauMemForecast == nil)
        let rate = try #require(n25.summary.tauMem).tau / 25
        for cell in diagram.cells where cell.summary.n != 25 {
            let forecast = try #require(cell.tauMemForecast)
            #expect(abs(forecast.step / (rate * Double(cell.summary.n)) - 1) < 1e-12)
            #expect(forecast.basis.contains("1 earlier run") && forecast.basis.contains("τ per training example"))
        }
        #expect(diagram.text.contains("tau_mem_forecast"))
    }
}
