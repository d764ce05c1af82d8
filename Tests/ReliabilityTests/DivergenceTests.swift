import Dashboard
import Foundation
import TestSupport
import RunFiles
import RunFormat
import TerminalUI
import Testing

/// A learning rate that blows training up: caught at the step the loss turns non-finite, ended as "diverged"
/// with an event, exit status 1, and shown by the dashboard without NaN or ∞ in its charts.
@Suite struct DivergenceTests {
    static func train(steps: Int, out: String) throws -> GenwindowOutcome {
        try runGenwindow(["train", "--headless", "--d", "4", "--p", "32", "--n", "8", "--steps", "\(steps)", "--lr", "1e4",
                       "--warmup-start", "1", "--warmup-growth", "0", "--eval-per-decade", "0.1", "--out", out])
    }

    static func lastMetrics(_ log: RunLog) -> MetricsRecord? {
        log.records.compactMap { r -> MetricsRecord? in if case .metrics(let m) = r { m } else { nil } }.last
    }

    @Test func nonFiniteLossIsCaughtAtTheStepItAppears() throws {
        let folder = try temporaryFolder("diverge")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.jsonl"
        let outcome = try Self.train(steps: 2000, out: path)
        #expect(outcome.status == 1)
        let log = try RunReader.read(path: path)
        let end = try #require(log.end)
        #expect(end.reason == .diverged)
        #expect(log.records.contains { if case .event(let e) = $0 { e.kind == "diverged" && e.step == end.step } else { false } })
        let last = try #require(Self.lastMetrics(log))
        #expect(last.step == end.step)
        #expect(last.values.first { $0.name == "train_loss" }?.value == nil, "written as null")
        // Two steps earlier the loss was still a number: the check (on the parameters, every step) fires at most
        // one step after the loss first turns non-finite, although evaluations come once per ten decades of τ.
        let earlier = folder + "/earlier.jsonl"
        _ = try Self.train(steps: end.step - 2, out: earlier)
        let before = try #require(Self.lastMetrics(try RunReader.read(path: earlier)))
        #expect(before.step == end.step - 2)
        #expect(before.values.first { $0.name == "train_loss" }?.value?.isFinite == true)

        // The dashboard shows the diverged run plainly, with no NaN or inf text anywhere.
        var state = DashboardState(mode: .replay, glyphs: .unicode)
        state.fold([.header(log.header)] + log.records)
        for (width, height) in [(120, 36), (80, 24), (40, 12)] {
            let text = DashboardView.render(state, width: width, height: height).text.lowercased()
            #expect(!text.contains("nan") && !text.contains("inf"), "\(width)×\(height)")
            // The run's state stays in the title bar however narrow (other header fields give way first).
            let title = DashboardView.render(state, width: width, height: height).text.split(separator: "\n").first ?? ""
            #expect(title.contains("diverged"), "\(width)×\(height): \(title)")
        }
    }
}
