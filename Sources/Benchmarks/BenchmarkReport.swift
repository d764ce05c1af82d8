import Foundation
import RunFormat

/// Renders results as an aligned table or as the documented JSON object.
public enum BenchmarkReport {
    public static func table(_ results: [BenchmarkResult], machine: MachineDescription) -> String {
        var lines = ["machine: \(machine.cpu), \(machine.cores) cores, OpenBLAS core \(machine.blasCore), \(machine.blasThreads) BLAS thread(s)"]
        let header = ["case", "median", "min", "max", "unit", "GFLOP/s", "÷ sgemm", "÷ own GEMM"]
        let rows = results.map { r in
            [r.name, format(r.median), format(r.min), format(r.max), r.unit,
             r.gflops.map { String(format: "%.1f", $0) } ?? "", r.ratioToSgemm.map { String(format: "%.2f", $0) } ?? "",
             r.ratioToReference.map { String(format: "%.2f", $0) } ?? ""]
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.enumerated().map { c, cell in
                c == 0 || c == 4 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ results: [BenchmarkResult], machine: MachineDescription) -> String {
        let cases: [JSONValue] = results.map { r in
            .object(JSONObject([
                ("name", .string(r.name)), ("median", .number(r.median)), ("min", .number(r.min)), ("max", .number(r.max)),
                ("unit", .string(r.unit)), ("gflops", r.gflops.map(JSONValue.number) ?? .null),
                ("ratio_to_sgemm", r.ratioToSgemm.map(JSONValue.number) ?? .null),
                ("reference", r.reference.map(JSONValue.string) ?? .null),
                ("ratio_to_reference", r.ratioToReference.map(JSONValue.number) ?? .null), ("repetitions", .number(Double(r.repetitions))),
            ]))
        }
        let root: JSONValue = .object(JSONObject([
            ("machine", .object(JSONObject([
                ("cpu", .string(machine.cpu)), ("cores", .number(Double(machine.cores))),
                ("blas_core", .string(machine.blasCore)), ("blas_threads", .number(Double(machine.blasThreads))),
                ("blas_thread_timeout", machine.blasThreadTimeout.map(JSONValue.string) ?? .null),
            ]))),
            ("cases", .array(cases)),
        ]))
        return JSONWriter.string(root)
    }

    /// Three significant digits with an SI suffix: 950, 12.3k, 4.56M, 7.38G.
    static func format(_ x: Double) -> String {
        for (scale, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where x >= scale {
            return String(format: "%.3g", x / scale) + suffix
        }
        return String(format: "%.3g", x)
    }
}
