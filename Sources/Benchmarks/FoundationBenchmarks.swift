import Foundation
import NumericCore
import RunFiles
import RunFormat

/// Benchmarks of the foundation: the machine's sgemm ceiling and run-file loading.
public enum FoundationBenchmarks {
    /// sgemm of (m×k)·(k×n) — the ceiling every other figure is compared with.
    public static func sgemm(m: Int, n: Int, k: Int, quick: Bool = false, name: String? = nil) -> BenchmarkCase {
        BenchmarkCase(name: name ?? "sgemm_\(m)x\(n)x\(k)", unit: "GFLOP/s", workPerRepetition: 2 * Double(m * n * k) / 1e9,
                      flopsPerRepetition: 2 * Double(m * n * k), quick: quick) {
            var rng = Xoshiro256(seed: 1)
            let a = Matrix<Float>(rows: m, cols: k, storage: rng.normals(m * k))
            let b = Matrix<Float>(rows: k, cols: n, storage: rng.normals(k * n))
            let box = MatrixBox(Matrix<Float>(rows: m, cols: n))
            return { box.value.gemm(a, b) }
        }
    }

    /// Reads a run file of `lines` metrics records, written once to a temporary file. Unit: lines/s.
    public static func runFileLoad(lines: Int, quick: Bool = false) -> BenchmarkCase {
        let name = lines >= 1_000_000 ? "runfile_load_\(lines / 1_000_000)M" : "runfile_load_\(lines / 1000)k"
        return BenchmarkCase(name: name, unit: "lines/s", workPerRepetition: Double(lines), quick: quick) {
            let path = NSTemporaryDirectory() + "genwindow-bench-\(getpid())-\(lines).jsonl"
            let writer = try RunWriter(creating: path, header: RunHeader(created: "", model: "bench", config: [:]), overwrite: true)
            var rng = Xoshiro256(seed: 2)
            for step in 0..<lines {
                let record = MetricsRecord(step: step, timeSeconds: Double(step) * 1e-3, values: [
                    ("tau", Double(step) * 0.01), ("train_loss", rng.nextUniform()), ("test_loss", rng.nextUniform()),
                    ("gen_loss", rng.nextUniform()),
                ])
                try writer.append(.metrics(record))
            }
            try writer.close()
            return {
                let log = try RunReader.read(path: path)
                precondition(log.records.count == lines, "read \(log.records.count) of \(lines) lines")
            }
        }
    }

    /// The cases above at their standard sizes.
    public static var cases: [BenchmarkCase] {
        [
            sgemm(m: 1024, n: 1024, k: 1024, quick: true, name: "sgemm_1024"),
            sgemm(m: 128, n: 512, k: 512),
            sgemm(m: 128, n: 1024, k: 1024),
            sgemm(m: 25, n: 1600, k: 1600),
            sgemm(m: 1000, n: 1000, k: 784),
            runFileLoad(lines: 1_000_000, quick: true),
        ]
    }
}

/// A mutable matrix owned by one benchmark closure.
final class MatrixBox: @unchecked Sendable {
    var value: Matrix<Float>
    init(_ value: Matrix<Float>) { self.value = value }
}
