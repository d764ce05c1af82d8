import Foundation
import RunFormat
import Metrics
import Phases
import NumericCore
import Testing

@Suite struct TimescaleDetectionTests {
    static func series(_ values: [Double], every: Int = 100) -> [SeriesPoint] {
        values.enumerated().map { SeriesPoint(step: $0.offset * every, value: $0.element) }
    }

    @Test func generalizationTimeIsTheStartOfAPersistentPlateau() {
        // min 10.0, threshold 10.5: evaluations 4, 5, 6 are the first three in a row below it.
        let fid = Self.series([100, 50, 20, 12, 10.4, 10.2, 10.0, 10.3, 10.1, 11, 12])
        #expect(TimescaleDetector.generalizationTime(fid, state: .finished) == .detected(step: 400, provisional: false))
        #expect(TimescaleDetector.generalizationTime(fid, state: .live) == .detected(step: 400, provisional: true))
        // A lone dip to the plateau is noise; the persistent run from evaluation 5 counts.
        let noisy = Self.series([100, 50, 10.4, 30, 20, 10.2, 10.0, 10.3])
        #expect(TimescaleDetector.generalizationTime(noisy, state: .finished).step == 500)
        // Still falling: a trailing run shorter than the persistence is provisional live, not reached at the end.
        let falling = Self.series([100, 50, 20, 12, 10.4])
        #expect(TimescaleDetector.generalizationTime(falling, state: .live) == .detected(step: 400, provisional: true))
        #expect(TimescaleDetector.generalizationTime(falling, state: .finished) == .notReached)
        #expect(TimescaleDetector.generalizationTime([], state: .live) == .notYet)
        #expect(TimescaleDetector.generalizationTime([], state: .finished) == .notReached)
    }

    @Test func memorizationTimeNeedsAPersistentSignal() {
        let points: [MemorizationPoint] = [
            .init(step: 0, memFrac: 0, ciLow: 0), .init(step: 100, memFrac: 0.02, ciLow: 0),
            .init(step: 200, memFrac: 0, ciLow: 0), .init(step: 300, memFrac: 0.005, ciLow: 0),
            .init(step: 400, memFrac: 0.02, ciLow: 0.005), .init(step: 500, memFrac: 0.03, ciLow: 0.01),
        ]
        #expect(TimescaleDetector.memorizationTime(points, state: .live) == .detected(step: 400, provisional: false))
        #expect(TimescaleDetector.memorizationTime(points, state: .finished) == .detected(step: 400, provisional: false))
        let prefix = Array(points[0..<5])
        #expect(TimescaleDetector.memorizationTime(prefix, state: .live) == .detected(step: 400, provisional: true))
        #expect(TimescaleDetector.memorizationTime(prefix, state: .finished) == .notReached)
        #expect(TimescaleDetector.memorizationTime(Array(points[0..<4]), state: .live) == .notYet)
        let onlyInterval = MemorizationCriterion(lowerBoundAbove: 0, fractionFloor: nil, persistence: 1)
        #expect(TimescaleDetector.memorizationTime(points, criterion: onlyInterval, state: .finished).step == 400)
        let floor = MemorizationCriterion(lowerBoundAbove: nil, fractionFloor: 0.01, persistence: 1)
        #expect(TimescaleDetector.memorizationTime(points, criterion: floor, state: .finished).step == 100)
    }

    @Test func windowAndEarlyStoppingStep() {
        let fid = Self.series([100, 40, 12, 10.3, 10.0, 10.2, 9.8, 10.4, 12, 15])
        let mem: [MemorizationPoint] = (0..<10).map {
            $0 < 7 ? .init(step: $0 * 100, memFrac: 0, ciLow: 0) : .init(step: $0 * 100, memFrac: 0.1, ciLow: 0.05)
        }
        let w = TimescaleDetector.window(fid: fid, memorization: mem, state: .finished)
        // min 9.8: threshold 10.29, so 10.3 at step 300 is outside and the plateau starts at 400.
        #expect(w.tauGen == .detected(step: 400, provisional: false))
        #expect(w.tauMem == .detected(step: 700, provisional: false))
        #expect(w.earlyStop == 600)
        #expect(!w.isEmpty)
        // Memorization before the FID plateau: no window.
        let early = mem.map { MemorizationPoint(step: $0.step, memFrac: 0.2, ciLow: 0.1) }
        let e = TimescaleDetector.window(fid: fid, memorization: early, state: .finished)
        #expect(e.isEmpty && e.earlyStop == nil)
        // Live, before tau_mem (min so far 10.0, plateau from 300): the best FID so far after tau_gen.
        let live = TimescaleDetector.window(fid: Array(fid[0..<6]), memorization: Array(mem[0..<6]), state: .live)
        #expect(live.tauGen == .detected(step: 300, provisional: true))
        #expect(live.tauMem == .notYet)
        #expect(live.earlyStop == 400)
    }

    @Test func proportionalForecastFromEarlierRuns() throws {
        let f = try #require(MemorizationForecast.proportionalToTrainingSize(earlier: [(100, 30_000), (200, 60_000)], n: 400))
        #expect(abs(f.step - 120_000) < 1e-6)
        #expect(abs(f.low! - 120_000) < 1e-6 && abs(f.high! - 120_000) < 1e-6)
        #expect(f.basis.hasPrefix("forecast: tau_mem ∝ n fitted on 2 earlier runs"))
        let one = try #require(MemorizationForecast.proportionalToTrainingSize(earlier: [(100, 25_000)], n: 300))
        #expect(abs(one.step - 75_000) < 1e-6 && one.low == nil)
        #expect(MemorizationForecast.proportionalToTrainingSize(earlier: [], n: 300) == nil)
    }

    /// A synthetic sweep in the shape of Paper B (tau_mem = 300·n with 15% log-normal scatter; f_mem rising from 0
    /// after tau_mem, measured on 200 samples with a bootstrap interval, evaluated 10 times per decade): each run's
    /// tau_mem is detected, then forecast from the runs before it. Measures the forecast's error.
    @Test func forecastErrorOnASyntheticSweep() throws {
        var rng = Xoshiro256(seed: 40)
        let sizes = [64, 128, 256, 512, 1024, 2048]
        var detected: [(n: Int, tauMem: Int)] = []
        var errors: [Double] = []
        var covered = 0
        for n in sizes {
            let truth = 300 * Double(n) * exp(0.15 * rng.nextNormal())
            var points: [MemorizationPoint] = []
            var i = 0
            while true {
                let step = 100 * pow(10, Double(i) / 10)
                if step > 4 * truth { break }
                let f = step <= truth ? 0 : 1 - exp(-(step - truth) / truth)
                let flags = (0..<200).map { _ in rng.nextUniform() < f }
                let hits = flags.filter { $0 }.count
                let ci = MemorizedFraction.bootstrapInterval(flags, resamples: 100, seed: UInt64(i)) ?? (0, 0)
                points.append(MemorizationPoint(step: Int(step.rounded()), memFrac: Double(hits) / 200, ciLow: ci.0))
                i += 1
            }
            let tau = try #require(TimescaleDetector.memorizationTime(points, state: .finished).step)
            #expect(Double(tau) >= truth && Double(tau) < 1.6 * truth, "detected \(tau) for true \(truth)")
            if let forecast = MemorizationForecast.proportionalToTrainingSize(earlier: detected, n: n) {
                errors.append(abs(forecast.step / Double(tau) - 1))
                if let low = forecast.low, let high = forecast.high, Double(tau) >= low && Double(tau) <= high {
                    covered += 1
                }
            }
            detected.append((n, tau))
        }
        let sorted = errors.sorted()
        let median = sorted[sorted.count / 2]
        print("tau_mem forecast relative errors on the synthetic sweep: \(errors.map { ($0 * 1000).rounded() / 1000 }) (median \(median)); within ±1σ band: \(covered) of \(errors.count - 1)")
        #expect(median < 0.3)
        #expect(sorted.last! < 0.6)
    }
}

@Suite struct TimescaleEventTests {
    @Test func windowBecomesEventRecords() {
        let window = GeneralizationWindow(tauGen: .detected(step: 300, provisional: false),
                                          tauMem: .detected(step: 700, provisional: false), earlyStop: 600, isEmpty: false)
        let events = window.eventRecords(generalization: .fid, memorization: .standard)
        #expect(events.map(\.kind) == ["tau_gen", "tau_mem", "early_stop"])
        #expect(events.map(\.step) == [300, 700, 600])
        #expect(events[0].fields["rule"]?.string == GeneralizationCriterion.fid.description)
        #expect(events[1].fields["rule"]?.string == "tau_mem: CI lower end > 0.0 or f_mem ≥ 0.01 for 2 consecutive evaluations")
        #expect(events.allSatisfy { $0.fields["provisional"]?.bool == false })
        let live = GeneralizationWindow(tauGen: .detected(step: 300, provisional: true), tauMem: .notYet,
                                        earlyStop: 400, isEmpty: false)
        let liveEvents = live.eventRecords(generalization: .fid, memorization: .standard)
        #expect(liveEvents.map(\.kind) == ["tau_gen", "early_stop"])
        #expect(liveEvents.allSatisfy { $0.fields["provisional"]?.bool == true })
    }
}
