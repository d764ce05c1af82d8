import Foundation
import RunFormat

/// A realistic run made up for tests: log-spaced evaluation steps from 10 to 100k, a train loss that keeps
/// falling, a test loss with a minimum near step 1k, a memorized fraction rising after ~5k, FID with a
/// minimum, and τ_gen and τ_mem at the first steps ≥ 1k and ≥ 20k.
enum SampleRun {
    static let header = RunHeader(created: "2026-11-23T21:40:00Z", model: "rf",
                                  config: ["n": 1000, "p": 4000, "data": "gmm\u{1B}[31m", "steps": 100_000, "seed": 1])

    static var steps: [Int] { Array(Set((0...60).map { Int((pow(10, 1 + 4 * Double($0) / 60)).rounded()) })).sorted() }

    static var records: [RunRecord] {
        var out: [RunRecord] = []
        var sawGen = false, sawMem = false
        for (k, step) in steps.enumerated() {
            let t = log10(Double(step))
            var values: [(String, Double?)] = [
                ("train_loss", 0.5 * exp(-t / 1.5)),
                ("test_loss", 0.3 + 0.05 * (t - 3) * (t - 3)),
            ]
            var extra = JSONObject()
            if k % 4 == 0 {
                let f = 1 / (1 + exp(-(t - 3.8) * 4))
                values += [("mem_frac", f), ("mem_frac_ci_low", max(f - 0.05, 0)), ("mem_frac_ci_high", min(f + 0.05, 1)),
                           ("fid", 20 * exp(-t) + (t - 3) * (t - 3))]
                extra["features"] = "data"
            }
            out.append(.metrics(MetricsRecord(step: step, timeSeconds: Double(step) / 800, values: values, extra: extra)))
            if step >= 1000 && !sawGen {
                sawGen = true
                out.append(.event(EventRecord(kind: "tau_gen", step: step, fields: ["tau": 0.3, "provisional": false])))
            }
            if step >= 20_000 && !sawMem {
                sawMem = true
                out.append(.event(EventRecord(kind: "tau_mem", step: step, fields: ["tau": 2.1, "provisional": false])))
            }
        }
        out.append(.end(EndRecord(step: 100_000, reason: .completed)))
        return out
    }
}
