import ExternalRuns
import Foundation
import NumericCore

/// Benchmarks of reading runs genwindow did not write.
public enum ExternalRunsBenchmarks {
    /// Writes `events` TensorBoard events of one `simple_value` scalar each (as torch's `add_scalar` writes them:
    /// four tags in turn, one step per four events) to `path`.
    public static func writeEventFile(_ path: String, events: Int) throws {
        var out: [UInt8] = []
        out.reserveCapacity(events * 60)
        let tags = ["train/loss", "val/loss", "lr", "grad_norm"]
        var rng = Xoshiro256(seed: 3)
        for k in 0..<events {
            out += scalarRecord(step: k / tags.count, wallTime: 1.7e9 + Double(k) * 0.01, tag: tags[k % tags.count],
                                value: Float(rng.nextUniform()))
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(out)) else {
            throw ExternalRunError("\(path): cannot write the benchmark's event file")
        }
    }

    /// One TFRecord-framed event holding one `simple_value` scalar, as torch's `add_scalar` writes it.
    public static func scalarRecord(step: Int, wallTime: Double, tag: String, value: Float) -> [UInt8] {
        let tag = Array(tag.utf8)
        var summaryValue: [UInt8] = [0x0A, UInt8(tag.count)] + tag + [0x15]
        summaryValue += withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
        var summary: [UInt8] = [0x0A]
        varint(UInt64(summaryValue.count), &summary)
        summary += summaryValue
        var event: [UInt8] = [0x09]
        event += withUnsafeBytes(of: wallTime.bitPattern.littleEndian, Array.init)
        event.append(0x10)
        varint(UInt64(step), &event)
        event.append(0x2A)
        varint(UInt64(summary.count), &event)
        event += summary
        let length = withUnsafeBytes(of: UInt64(event.count).littleEndian, Array.init)
        var out = length
        out += withUnsafeBytes(of: length.withUnsafeBytes { CRC32C.masked($0) }.littleEndian, Array.init)
        out += event
        out += withUnsafeBytes(of: event.withUnsafeBytes { CRC32C.masked($0) }.littleEndian, Array.init)
        return out
    }

    private static func varint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Loads an event file of `scalars` scalars as `replay` does: framing, CRCs, decoding, and the genwindow
    /// records of every step. Unit: scalars/s.
    public static func tfeventsLoad(scalars: Int) -> BenchmarkCase {
        BenchmarkCase(name: "tfevents_load_\(scalars / 1_000_000)M", unit: "scalars/s", workPerRepetition: Double(scalars)) {
            let dir = NSTemporaryDirectory() + "genwindow-bench-\(getpid())-event-file"
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = dir + "/events.out.tfevents.1700000000.bench.1.0"
            try writeEventFile(path, events: scalars)
            return {
                let source = try TensorBoardSource(path: path, live: false)
                _ = source.poll()
                let n = source.logs.values.first?.count ?? 0
                precondition(n == scalars, "read \(n) of \(scalars) scalars")
            }
        }
    }

    public static var cases: [BenchmarkCase] { [tfeventsLoad(scalars: 1_000_000), FollowLatency.followLatency()] }
}
