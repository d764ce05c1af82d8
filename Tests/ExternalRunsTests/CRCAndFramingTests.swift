@testable import ExternalRuns
import Testing

@Suite("CRC-32C and TFRecord framing")
struct CRCAndFramingTests {
    /// Bit-by-bit CRC-32C, the reference for the sliced tables.
    func naive(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }

    @Test("the issue's test vectors")
    func vectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        let bytes: [UInt8] = [0x1A, 0x11] + Array("CRC test, one two".utf8)
        #expect(bytes.withUnsafeBytes { CRC32C.masked($0) } == 0x5794_D08A)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test("slicing-by-8 equals the bitwise CRC at every length and alignment, and continues across pieces")
    func slicing() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data: [UInt8] = (0..<200).map { _ in
            x = x &* 6_364_136_223_846_793_005 &+ 1
            return UInt8(truncatingIfNeeded: x >> 33)
        }
        for start in 0..<9 {
            for end in stride(from: start, through: data.count, by: 7) {
                let piece = Array(data[start..<end])
                #expect(CRC32C.checksum(piece) == naive(piece))
            }
        }
        let whole = CRC32C.checksum(data)
        let first = CRC32C.checksum(Array(data[0..<77]))
        #expect(Array(data[77...]).withUnsafeBytes { CRC32C.checksum($0, continuing: first) } == whole)
    }

    func frame(_ stream: [UInt8], chunk: Int) -> (records: [[UInt8]], offsets: [Int], framer: TFRecordFramer) {
        var framer = TFRecordFramer()
        var records: [[UInt8]] = []
        var offsets: [Int] = []
        var i = 0
        while i < stream.count {
            let j = min(stream.count, i + chunk)
            stream[i..<j].withUnsafeBytes { b in framer.feed(b) { r, o in records.append(Array(r)); offsets.append(o) } }
            i = j
        }
        return (records, offsets, framer)
    }

    @Test("whole records in order, whatever the chunk size; a record split across reads waits for the rest")
    func chunks() {
        let payloads: [[UInt8]] = [Array("brain.Event:2".utf8), [], Array(repeating: 7, count: 300), [1, 2, 3]]
        let stream = payloads.flatMap(tfrecord)
        for chunk in [1, 2, 5, 11, 12, 13, 16, 64, 1000] {
            let (records, offsets, framer) = frame(stream, chunk: chunk)
            #expect(records == payloads, "chunk \(chunk)")
            #expect(offsets == [0, 29, 45, 361])
            #expect(framer.pendingBytes == 0 && framer.problems.isEmpty)
        }
    }

    @Test("a truncated tail is held back, not reported, and completes when the rest arrives")
    func truncatedTail() {
        let stream = tfrecord([1, 2, 3]) + tfrecord(Array(repeating: 9, count: 40))
        for cut in [stream.count - 1, stream.count - 30, 19 + 5] {
            var (records, _, framer) = frame(Array(stream[0..<cut]), chunk: 8)
            #expect(records == [[1, 2, 3]])
            #expect(framer.pendingBytes == cut - 19 && framer.problems.isEmpty)
            stream[cut...].withUnsafeBytes { b in framer.feed(b) { r, _ in records.append(Array(r)) } }
            #expect(records.count == 2 && framer.pendingBytes == 0)
        }
    }

    @Test("a bad data CRC is reported once with its offset and skipped; the rest is read")
    func badDataCRC() {
        var bad = tfrecord([5, 5, 5, 5])
        bad[13] ^= 0xFF
        let stream = tfrecord([1]) + bad + tfrecord([2])
        for chunk in [1, 3, 100] {
            let (records, _, framer) = frame(stream, chunk: chunk)
            #expect(records == [[1], [2]])
            #expect(framer.problems == [FramingProblem(offset: 17, message: "bad data CRC; record of 4 bytes skipped")])
        }
    }

    @Test("a bad length CRC is reported once; reading resumes at the next record whose length checks out")
    func badLengthCRC() {
        var bad = tfrecord([5, 5, 5, 5])
        bad[9] ^= 0x01
        let stream = tfrecord([1]) + bad + tfrecord([2]) + tfrecord([3])
        for chunk in [1, 7, 100] {
            let (records, _, framer) = frame(stream, chunk: chunk)
            #expect(records == [[1], [2], [3]], "chunk \(chunk)")
            #expect(framer.problems.count == 1 && framer.problems.first?.offset == 17)
        }
    }

    @Test("garbage never crashes the framer or the event decoder")
    func garbage() {
        var x: UInt64 = 12345
        for n in [0, 1, 11, 12, 50, 500] {
            let bytes: [UInt8] = (0..<n).map { _ in
                x = x &* 6_364_136_223_846_793_005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: x >> 40)
            }
            _ = frame(bytes, chunk: 3)
            var decoder = EventDecoder()
            bytes.withUnsafeBytes { decoder.consume($0, file: "f", offset: 0) }
            // Every prefix of a valid event, too.
            let event = scalarEvent(step: 3, tag: "loss", value: 0.5)
            for k in 0...event.count { event[0..<k].withUnsafeBytes { decoder.consume($0, file: "f", offset: 0) } }
        }
    }
}
