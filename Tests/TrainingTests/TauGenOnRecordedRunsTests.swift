import Foundation
import Metrics
import RunFiles
import RunFormat
import Testing
import Training

/// tau_gen on the 18 DDPM runs recorded in sample-runs/ddpm, by the rule each run's header records (the rule
/// before issue 21) and by today's default rule, beside the recorded tau_mem. Prints the table docs/timescales.md
/// shows.
@Suite struct TauGenOnRecordedRunsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-runs/ddpm")

    struct Run {
        var name: String
        var settings: DDPMSettings
        var fid: [SeriesPoint]
        /// The final events the run recorded.
        var tauGen: Int?
        var tauMem: Int?
    }

    static func runs() throws -> [Run] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        let runs = try names.map { name in
            let log = try RunReader.read(path: folder.appendingPathComponent(name).path)
            var fid: [SeriesPoint] = [], final: [String: Int] = [:]
            for record in log.records {
                switch record {
                case .metrics(let m): if let f = m[MetricName.fid], f.isFinite { fid.append(SeriesPoint(step: m.step, value: f)) }
                case .event(let e) where e.fields["provisional"] == false: final[e.kind] = e.step
                default: break
                }
            }
            return Run(name: name, settings: try DDPMSettings(header: log.header), fid: fid,
                       tauGen: final[EventKind.tauGen], tauMem: final[EventKind.tauMem])
        }
        return runs.sorted {
            ($0.settings.n, $0.settings.labels.rawValue, $0.settings.seed) < ($1.settings.n, $1.settings.labels.rawValue, $1.settings.seed)
        }
    }

    /// The steps of the tau_gen events the run would have announced live under `criterion`.
    static func announcements(_ fid: [SeriesPoint], _ criterion: GeneralizationCriterion) -> [Int] {
        var emitter = TimescaleEmitter(generalization: criterion, memorization: .standard)
        return fid.flatMap { p in
            emitter.addFID(step: p.step, value: p.value)
            return emitter.events(final: false).filter { $0.kind == EventKind.tauGen }.map(\.step)
        }
    }

    /// The spread of log FID between neighbouring evaluations on the plateau (from `from` on): each value against
    /// the mean of its neighbours' logs, d = ln v − (ln v₋ + ln v₊)/2, whose variance is 1.5 σ² for independent
    /// noise of sd σ on ln v (a slow trend cancels). Returns σ.
    static func plateauNoise(_ fid: [SeriesPoint], from: Int) -> Double {
        let logs = fid.filter { $0.step >= from }.map { log($0.value) }
        var sum = 0.0, count = 0.0
        for i in 1..<max(1, logs.count - 1) {
            let d: Double = logs[i] - (logs[i - 1] + logs[i + 1]) / 2
            sum += d * d
            count += 1
        }
        return (sum / count / 1.5).squareRoot()
    }

    @Test func tauGenOnRecordedDDPMRuns() throws {
        let runs = try Self.runs()
        #expect(runs.count == 18)
        let now = DDPMSettings().generalization
        var rows = ["| n | labels | seed | tau_gen before | tau_gen now | first live announcement before / now | tau_mem | FD noise σ |",
                    "|---|---|---|---|---|---|---|---|"]
        for run in runs {
            // The header's keys give back the rule the run applied: it reproduces the recorded tau_gen.
            let recorded = run.settings.generalization
            #expect(recorded.smoothing == 1 && recorded.fall == 0 && recorded.persistence == 1)
            #expect(TimescaleDetector.generalizationTime(run.fid, criterion: recorded, state: .finished).step == run.tauGen,
                    "\(run.name)")
            let gen = TimescaleDetector.generalizationTime(run.fid, criterion: now, state: .finished).step
            let before = Self.announcements(run.fid, recorded), live = Self.announcements(run.fid, now)
            // Live, today's rule announces nothing while the FID is more than 10 times its final reference minimum.
            let floor = try #require(now.referenceMinimum(run.fid.map(\.value)))
            for step in live {
                let value = try #require(run.fid.first { $0.step == step }).value
                #expect(value <= 10 * floor, "\(run.name): announced at step \(step), FID \(value)")
            }
            let g = try #require(gen, "\(run.name)")
            let noise = Self.plateauNoise(run.fid, from: g)
            func text(_ s: Int?) -> String { s.map(String.init) ?? "–" }
            rows.append("| \(run.settings.n) | \(run.settings.labels.rawValue) | \(run.settings.seed) | \(text(run.tauGen)) | "
                        + "\(g) | \(text(before.first)) / \(text(live.first)) | \(text(run.tauMem)) | "
                        + String(format: "%.1f%%", 100 * noise) + " |")
        }
        print(rows.joined(separator: "\n"))
    }
}
