import Dashboard
import Phases
import RunFormat
import TerminalUI
import Testing

/// A live Inception FID is written after the evaluations of later steps, at the step of its samples (run files
/// are append-only): the dashboard, the CSV export and the phase summary place it at that step.
@Suite struct LateFIDTests {
    static let header = RunRecord.header(RunHeader(created: "", model: "ddpm", config: [
        "n": 64, "width": 256, "data": "digits", "steps": 1000, "fid_features": "inception", "fid_samples": 16]))

    static func evaluation(_ step: Int, mem: Double) -> RunRecord {
        .metrics(MetricsRecord(step: step, timeSeconds: Double(step) / 100, values: [("test_loss", 1), ("mem_frac", mem)],
                               extra: ["samples": 16, "fid_queued": .bool(step != 100)]))
    }

    static func fid(_ step: Int, _ value: Double, at time: Double) -> RunRecord {
        .metrics(MetricsRecord(step: step, timeSeconds: time, values: [("fid", value)],
                               extra: ["fid_features": "inception", "samples": 16]))
    }

    /// Evaluations at 0, 10, 100, 1000; the FIDs of 0 and 10 come after the evaluation of 100, that of 1000 last.
    static let records: [RunRecord] = [
        header, evaluation(0, mem: 0), evaluation(10, mem: 0.1), evaluation(100, mem: 0.2), fid(0, 300, at: 1.5),
        fid(10, 120, at: 2), evaluation(1000, mem: 0.3), fid(1000, 40, at: 12),
    ]

    @Test func theDashboardMergesALateFIDIntoItsEvaluation() throws {
        var s = DashboardState(mode: .replay)
        s.fold(Self.records)
        #expect(s.fidLabel == "FID")
        let fidSeries = try #require(s.series["fid"])
        #expect(fidSeries.steps == [0, 10, 1000] && fidSeries.values == [300, 120, 40])
        #expect(s.series["mem_frac"]?.steps == [0, 10, 100, 1000])
        #expect(s.evaluations.map(\.step) == [0, 10, 100, 1000])
        let ten = try #require(s.evaluation(atOrBefore: 50))
        #expect(ten.step == 10 && ten["mem_frac"] == 0.1 && ten["fid"] == 120)
        #expect(ten.extra["fid_queued"]?.bool == true && ten.extra["fid_features"]?.string == "inception")
        // The evaluation at 100 has no FID of its own; the one shown at 500 is still that evaluation's.
        let hundred = try #require(s.evaluation(atOrBefore: 500))
        #expect(hundred.step == 100 && hundred["mem_frac"] == 0.2 && hundred["fid"] == nil)
        #expect(s.evaluation(atOrBefore: 1000)?["fid"] == 40)
        #expect(DashboardView.render(s, width: 120, height: 36).text.contains("FID "))
    }

    @Test func theCSVAndThePhaseSummaryPlaceItAtItsStep() throws {
        let csv = Export.csv(Self.records, smoothing: 0).split(separator: "\n").map(String.init)
        #expect(csv[0] == "step,test_loss,mem_frac,fid,mark,events", "\(csv[0])")
        #expect(Array(csv[1...]) == ["0,1.0,0.0,300.0,,", "10,1.0,0.1,120.0,,", "100,1.0,0.2,,,", "1000,1.0,0.3,40.0,,"])
        var tally = CellTally()
        for r in Self.records { tally.add(r) }
        #expect(try #require(tally.summary(name: "")).finalFID == 40)
        // A FID of an earlier step written last does not become the final one.
        var late = CellTally()
        for r in [Self.header, Self.evaluation(10, mem: 0), Self.fid(1000, 40, at: 1), Self.fid(10, 99, at: 2)] { late.add(r) }
        #expect(try #require(late.summary(name: "")).finalFID == 40)
    }
}
