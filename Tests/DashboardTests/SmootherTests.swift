import Dashboard
import Foundation
import RunFormat
import Testing

/// The three smoothings of the loss curves (`S`).
@Suite struct SmootherTests {
    @Test func emaIsTensorBoardsDebiasedEMA() {
        var s = Smoother(kind: .ema, weight: 0.9)
        let ys = (0..<50).map { sin(Double($0)) + Double($0) / 10 }
        let ours = ys.enumerated().map { s.next(step: Double($0.offset), value: $0.element) }
        #expect(ours == DebiasedEMA.smooth(ys, weight: 0.9))
    }

    @Test func timeWeightedSmoothsRunsLoggedAtDifferentRatesAlike() {
        // The same curve logged every step and every 100 steps: at their common steps the time-weighted averages
        // agree closely; the plain EMA does not (in the sparse run its 10-point memory spans 1,000 steps).
        func curve(_ step: Int) -> Double { exp(-Double(step) / 3000) }
        var denseTW = Smoother(kind: .timeWeightedEMA, weight: 0.9, unit: 10), sparseTW = denseTW
        var denseEMA = Smoother(kind: .ema, weight: 0.9), sparseEMA = denseEMA
        var twGap = 0.0, emaGap = 0.0
        for step in 0...10_000 {
            let d = denseTW.next(step: Double(step), value: curve(step))
            let e = denseEMA.next(step: Double(step), value: curve(step))
            if step % 100 == 0 {
                let s = sparseTW.next(step: Double(step), value: curve(step))
                let f = sparseEMA.next(step: Double(step), value: curve(step))
                if step >= 2000 {
                    twGap = max(twGap, abs(d - s))
                    emaGap = max(emaGap, abs(e - f))
                }
            }
        }
        #expect(twGap < 0.01 && emaGap > 5 * twGap, "time-weighted \(twGap), plain \(emaGap)")
    }

    @Test func runningMeanOfTheLastPoints() {
        var s = Smoother(kind: .runningAverage, weight: 0.9)
        let out = (1...12).map { s.next(step: Double($0), value: Double($0)) }
        #expect(out[0] == 1 && out[1] == 1.5 && out[9] == 5.5 && out[11] == 7.5, "a window of 10")
        var none = Smoother(kind: .runningAverage, weight: 0)
        #expect(none.next(step: 0, value: 3) == 3)
        #expect(s.next(step: 13, value: .nan).isNaN)
    }

    @Test func shiftSCyclesTheKindInTheLegend() {
        var state = DashboardState(mode: .replay, width: 120, height: 36)
        state.fold([.header(SampleRun.header)] + SampleRun.records)
        #expect(DashboardView.render(state, width: 120, height: 36).line(2).contains("lines EMA 0.6"))
        let before = state.smoothed["test_loss"]?.values
        _ = DashboardUpdate.update(&state, .key(.character("S")))
        #expect(DashboardView.render(state, width: 120, height: 36).line(2).contains("lines time-weighted EMA 0.6"))
        #expect(state.smoothed["test_loss"]?.values != before)
        _ = DashboardUpdate.update(&state, .key(.character("S")))
        #expect(DashboardView.render(state, width: 120, height: 36).line(2).contains("lines running mean of 3"))
        _ = DashboardUpdate.update(&state, .key(.character("S")))
        #expect(state.smoothed["test_loss"]?.values == before)
    }
}
