import Dashboard
import RunFormat
import TerminalUI
import Testing

/// The series table drives the panes: grad_norm (and any series genwindow does not name) is an extra curve the
/// user picks with `e`, drawn in a panel of its own, and a column of the CSV export.
@Suite struct SeriesTableTests {
    /// The sample run with a gradient norm and another tool's scalar at every record.
    static var records: [RunRecord] {
        [.header(SampleRun.header)] + SampleRun.records.map { r in
            guard case .metrics(var m) = r else { return r }
            m.set("grad_norm", 3 / Double(m.step).squareRoot())
            m.set("lr", 1e-3)
            return .metrics(m)
        }
    }

    @Test func everyNamedSeriesHasOnePlaceAndTheLossesAreSmoothed() {
        #expect(Set(SeriesTable.rows.map(\.name)).count == SeriesTable.rows.count)
        #expect(SeriesTable.names(.loss) == ["train_loss", "test_loss"] && SeriesTable.names(.gap) == ["gen_loss"])
        #expect(SeriesTable.names(.memorization) == ["mem_frac", "fid"])
        #expect(SeriesTable.smoothedNames == ["train_loss", "test_loss", "gen_loss"])
        #expect(SeriesTable.style(of: "train/lr").placement == .extra && SeriesTable.style(of: "train/lr").legend == "train/lr")
        #expect(SeriesTable.extraCandidates(among: ["mem_frac", "tau", "lr", "grad_norm", "train_loss"]) == ["grad_norm", "lr"])
    }

    @Test func eCyclesTheExtraCurveThroughTheRunsOtherSeries() {
        var s = DashboardState(mode: .replay, width: 120, height: 36)
        s.fold(Self.records)
        let plain = DashboardView.render(s, width: 120, height: 36).text
        #expect(!plain.contains("grad norm"))
        _ = DashboardUpdate.update(&s, .key(.character("e")))
        #expect(s.extraSeries == "grad_norm")
        let frame = DashboardView.render(s, width: 120, height: 36)
        let legend = frame.line(2)
        #expect(legend.contains("grad norm 0.00949"), "\(legend)")
        #expect(frame.text.components(separatedBy: "grad norm").count == 3, "legend and the panel's name")
        _ = DashboardUpdate.update(&s, .key(.character("e")))
        #expect(s.extraSeries == "lr" && DashboardView.render(s, width: 120, height: 36).line(2).contains("lr 0.001"))
        _ = DashboardUpdate.update(&s, .key(.character("e")))
        #expect(s.extraSeries == nil)
        #expect(DashboardView.render(s, width: 120, height: 36).text == plain)
    }

    @Test func theCSVExportHasAGradNormColumn() throws {
        let csv = Export.csv(Self.records)
        let header = try #require(csv.split(separator: "\n").first).split(separator: ",")
        #expect(header.contains("grad_norm") && header.contains("lr"))
        let column = try #require(header.firstIndex(of: "grad_norm"))
        let first = try #require(csv.split(separator: "\n").dropFirst().first).split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(first[column]) == 3 / Double(10).squareRoot())
    }

    @Test func theTagListFiltersByRegexOrTextAndEnterDrawsTheChosenTag() {
        let names = ["train_loss", "grad_norm", "lr", "train/lr", "val/acc", "a[b"]
        #expect(TagList.matches("", among: names) == ["a[b", "grad_norm", "lr", "train/lr", "val/acc"])
        #expect(TagList.matches("^l", among: names) == ["lr"])
        #expect(TagList.matches("LR$", among: names) == ["lr", "train/lr"])
        #expect(TagList.matches("a[", among: names) == ["a[b"], "not a valid expression: matched as text")

        var s = DashboardState(mode: .replay, width: 120, height: 36)
        s.fold(Self.records + [.metrics(MetricsRecord(step: 1000, timeSeconds: 0, values: [("train/\u{1b}[31mevil", 1)]))])
        _ = DashboardUpdate.update(&s, .key(.character("T")))
        #expect(s.tagList != nil)
        var frame = DashboardView.render(s, width: 120, height: 36).text
        #expect(frame.contains("Tags 3/3") && frame.contains("│train/evil ") && !frame.contains("\u{1b}"), "\(frame)")
        for c in "r$" { _ = DashboardUpdate.update(&s, .key(.character(c.unicodeScalars.first!))) }
        frame = DashboardView.render(s, width: 120, height: 36).text
        #expect(frame.contains("Tags 1/3") && frame.contains("/r$"))
        let effects = DashboardUpdate.update(&s, .key(.character("q")))
        #expect(s.tagList?.filter == "r$q" && effects.isEmpty, "keys are typed into the filter while the list is open")
        _ = DashboardUpdate.update(&s, .key(.backspace))
        _ = DashboardUpdate.update(&s, .key(.enter))
        #expect(s.tagList == nil && s.extraSeries == "lr")
        #expect(DashboardView.render(s, width: 120, height: 36).line(2).contains("lr 0.001"))
        _ = DashboardUpdate.update(&s, .key(.character("T")))
        _ = DashboardUpdate.update(&s, .key(.escape))
        #expect(s.tagList == nil && s.extraSeries == "lr")
    }
}
