import Foundation
import NumericCore
import RunFiles
import RunFormat

/// Benchmarks of the foundation: the machine's sgemm ceiling and run-file loading.
public enum FoundationBenchmarks {
    /// sgemm of (m×k)·(k×n) — the ceiling every other figure is compared with.
    public static func sgemm(m: Int, n: Int, k: Int, quick: Bool = false, name: String? = nil) -> BenchmarkCase {
        gemm(Float.self, m: m, n: n, k: k, quick: quick, name: name)
    }

    /// C ← A·op(B) + βC with A m×k and op(B) k×n in `Scalar`'s precision (named `sgemm_…`/`dgemm_…`, `_nt` when B is
    /// stored n×k and transposed, as the nearest-neighbour scan does). β = 1 when `accumulate` (the RF gradient).
    public static func gemm<Scalar: BLASScalar>(
        _: Scalar.Type, m: Int, n: Int, k: Int, transB: Transpose = .none, accumulate: Bool = false,
        quick: Bool = false, name: String? = nil
    ) -> BenchmarkCase {
        let prefix = Scalar.self == Float.self ? "sgemm" : "dgemm"
        let flops = 2 * Double(m) * Double(n) * Double(k)
        return BenchmarkCase(name: name ?? gemmName(prefix, m: m, n: n, k: k, transB: transB), unit: "GFLOP/s",
                             workPerRepetition: flops / 1e9, flopsPerRepetition: flops, quick: quick) {
            var rng = Xoshiro256(seed: 1)
            let a = Matrix<Scalar>(rows: m, cols: k, storage: rng.normals(m * k))
            let b = transB == .none ? Matrix<Scalar>(rows: k, cols: n, storage: rng.normals(k * n))
                : Matrix<Scalar>(rows: n, cols: k, storage: rng.normals(n * k))
            let box = Box(Matrix<Scalar>(rows: m, cols: n))
            let beta: Scalar = accumulate ? 1 : 0
            return { box.value.gemm(a, .none, b, transB, alpha: 1, beta: beta) }
        }
    }

    /// The stable name of a GEMM case: `sgemm_MxNxK`, with `_nt` when B is transposed.
    public static func gemmName(_ prefix: String, m: Int, n: Int, k: Int, transB: Transpose = .none) -> String {
        "\(prefix)_\(m)x\(n)x\(k)" + (transB == .none ? "" : "_nt")
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

    /// The ceilings (sgemm and dgemm at 1024³) and the run-file load; the GEMMs at the models' own shapes are
    /// listed beside the cases that use them.
    public static var cases: [BenchmarkCase] {
        [
            sgemm(m: 1024, n: 1024, k: 1024, quick: true, name: "sgemm_1024"),
            gemm(Double.self, m: 1024, n: 1024, k: 1024, quick: true, name: "dgemm_1024"),
            runFileLoad(lines: 1_000_000, quick: true),
        ]
    }
}

/// A mutable value owned by one benchmark closure.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
