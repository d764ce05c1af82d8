import ExternalRuns
import Foundation
import RunFormat

/// A fresh temporary folder per test.
func temporaryFolder(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-ext-\(safe)-\(UUID().uuidString.prefix(8))").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The committed fixtures (written by scripts/make-source-fixtures.py).
let fixtures = Bundle.module.path(forResource: "Fixtures", ofType: nil)!

/// expected.json: what tensorboard's EventAccumulator and Python's csv/json modules read from the fixtures.
let expected: JSONObject = {
    let text = try! String(contentsOfFile: fixtures + "/expected.json", encoding: .utf8)
    return try! JSONParser.parse(text).object!
}()

/// A JSON object of series, `{tag: [[step, value], …]}`, as (step, value) pairs per tag.
func series(_ o: JSONObject) -> [String: [(step: Int, value: Double)]] {
    var out: [String: [(step: Int, value: Double)]] = [:]
    for (tag, v) in o { out[tag] = v.array!.map { ($0.array![0].int!, $0.array![1].double!) } }
    return out
}

/// Whether two series hold the same steps and values in the same order (values compared exactly).
func same(_ a: [(step: Int, value: Double)], _ b: [(step: Int, value: Double)]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.step == $1.step && $0.value == $1.value }
}

/// One TFRecord record around `data`, framed as TensorBoard writes it.
func tfrecord(_ data: [UInt8]) -> [UInt8] {
    var length = UInt64(data.count).littleEndian
    let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
    var out = lengthBytes
    out += le32(lengthBytes.withUnsafeBytes { CRC32C.masked($0) })
    out += data
    out += le32(data.withUnsafeBytes { CRC32C.masked($0) })
    return out
}

func le32(_ x: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: x >> (8 * $0)) } }

/// A protobuf encoder just big enough to write test events.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func key(_ field: Int, _ wire: Int) { varint(UInt64(field << 3 | wire)) }
    mutating func varintField(_ field: Int, _ v: UInt64) { key(field, 0); varint(v) }
    mutating func double(_ field: Int, _ x: Double) {
        key(field, 1)
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: x.bitPattern >> (8 * $0)) }
    }
    mutating func float(_ field: Int, _ x: Float) { key(field, 5); bytes += le32(x.bitPattern) }
    mutating func bytesField(_ field: Int, _ b: [UInt8]) { key(field, 2); varint(UInt64(b.count)); bytes += b }
    mutating func string(_ field: Int, _ s: String) { bytesField(field, Array(s.utf8)) }
}

/// An Event with one simple_value scalar.
func scalarEvent(step: Int, tag: String, value: Float, wall: Double = 1_700_000_000) -> [UInt8] {
    var v = ProtoWriter()
    v.string(1, tag)
    v.float(2, value)
    var summary = ProtoWriter()
    summary.bytesField(1, v.bytes)
    var e = ProtoWriter()
    e.double(1, wall + Double(step))
    e.varintField(2, UInt64(step))
    e.bytesField(5, summary.bytes)
    return e.bytes
}

/// An Event with a SessionLog START at `step` (what torch's purge_step writes).
func startEvent(step: Int) -> [UInt8] {
    var log = ProtoWriter()
    log.varintField(1, 1)
    var e = ProtoWriter()
    e.double(1, 1_700_000_000)
    e.varintField(2, UInt64(step))
    e.bytesField(7, log.bytes)
    return e.bytes
}

/// Appends bytes to a file (creating it).
func append(_ bytes: [UInt8], to path: String) {
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    let h = FileHandle(forWritingAtPath: path)!
    h.seekToEndOfFile()
    h.write(Data(bytes))
    h.closeFile()
}

func fileBytes(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path)!) }

/// The metrics records among updates, in order.
func metrics(_ updates: [SourceUpdate]) -> [MetricsRecord] {
    updates.flatMap { u -> [MetricsRecord] in
        guard case .records(let rs) = u.change else { return [] }
        return rs.compactMap { if case .metrics(let m) = $0 { m } else { nil } }
    }
}

/// The (step, value) pairs of `name` among metrics records.
func values(_ records: [MetricsRecord], _ name: String) -> [(step: Int, value: Double)] {
    records.compactMap { m in m.values.first { $0.name == name }.map { (m.step, $0.value ?? .nan) } }
}

/// The updates after the last `restarted` (all of them when there is none).
func afterLastRestart(_ updates: [SourceUpdate]) -> [SourceUpdate] {
    guard let k = updates.lastIndex(where: { $0.change == .restarted }) else { return updates }
    return Array(updates[(k + 1)...])
}
