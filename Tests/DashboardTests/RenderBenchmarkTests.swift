import Foundation
import Testing
import Dashboard

/// Rendering cost of a full 200×60 frame from a 1M-point state. Prints the figure; runs only with
/// GENWINDOW_BENCH=1 (measure in release: `GENWINDOW_BENCH=1 swift test -c release --filter RenderBenchmarkTests`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GENWINDOW_BENCH"] == "1"))
struct RenderBenchmarkTests {
    @Test func fullFrameFromAMillionPoints() {
        let state = RenderBenchmark.makeState(points: 1_000_000)
        var checksum = 0
        for _ in 0..<5 { checksum &+= DashboardView.render(state, width: 200, height: 60).cells.count }
        let frames = 100
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<frames { checksum &+= DashboardView.render(state, width: 200, height: 60).cells.count }
        }
        let ms = Double(elapsed.components.attoseconds) / 1e15 / Double(frames) + Double(elapsed.components.seconds) * 1000 / Double(frames)
        print("render 200x60 from 1M points: \(String(format: "%.3f", ms)) ms/frame over \(frames) frames")
        #expect(checksum == 105 * 200 * 60)
    }
}
