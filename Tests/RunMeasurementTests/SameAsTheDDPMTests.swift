import ExternalRuns
import Foundation
import NumericCore
import RunFiles
import RunFormat
import RunMeasurement
import Testing
import TestSupport

/// The dumps genwindow's own DDPM exports (`--export-samples`), measured as an external run's against the same
/// training set, give exactly the numbers the DDPM recorded for itself: the same kernels, the same scale.
@Suite("Dumps of genwindow's DDPM measure as the DDPM measured itself")
struct SameAsTheDDPMTests {
    func measuredAgain(_ arguments: [String], name: String) throws -> (own: [MetricsRecord], again: [Int: MetricsRecord]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-same-\(name)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runGenwindow(["train"] + arguments + ["--export-samples", dir + "/dumps", "--headless", "--out", dir + "/run.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        let own = try RunReader.read(path: dir + "/run.jsonl").records.compactMap { r -> MetricsRecord? in
            if case .metrics(let m) = r, m["mem_frac"] != nil { m } else { nil }
        }
        let n = arguments.firstIndex(of: "--n").map { Int(arguments[$0 + 1])! }
        let measurer = try DumpMeasurer(training: TrainingRows.load("digits", n: n, seed: 0),
                                        reference: TrainingRows.reference(nil, training: "digits", n: n, seed: 0))
        var again: [Int: MetricsRecord] = [:]
        for m in own {
            let dump = try NpyArray.read(path: dir + "/dumps/samples_step\(m.step).npy")
            for case .metrics(let x) in try measurer.measure(dump, step: m.step, name: nil) { again[m.step] = x }
        }
        return (own, again)
    }

    @Test("an untrained-to-early DDPM: every f_mem, interval and Fréchet distance equal, samples far outside [-1, 1] included")
    func earlyDDPM() throws {
        let (own, again) = try measuredAgain(["--model", "ddpm", "--data", "digits", "--n", "20", "--width", "16", "--depth", "1",
                                              "--steps", "30", "--eval-samples", "64", "--sample-steps", "5"], name: "ddpm")
        #expect(own.count >= 8)
        for m in own {
            for key in ["mem_frac", "mem_frac_ci_low", "mem_frac_ci_high", "fid"] {
                #expect(again[m.step]?[key] == m[key], "\(key) at step \(m.step): \(String(describing: again[m.step]?[key])) vs \(String(describing: m[key]))")
            }
        }
    }

    @Test("the empirical-optimal denoiser's samples: memorized, and equal")
    func optimal() throws {
        let (own, again) = try measuredAgain(["--model", "optimal", "--data", "digits", "--n", "32", "--eval-samples", "100",
                                              "--sample-steps", "20"], name: "optimal")
        #expect(own.count == 1 && (own.first?["mem_frac"] ?? 0) >= 0.99)
        for m in own {
            for key in ["mem_frac", "mem_frac_ci_low", "mem_frac_ci_high", "fid"] { #expect(again[m.step]?[key] == m[key], "\(key)") }
        }
    }
}
