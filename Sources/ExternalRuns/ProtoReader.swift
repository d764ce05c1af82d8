/// One field of a protobuf message as the wire format carries it.
public struct ProtoField {
    public enum Payload {
        /// Wire type 0.
        case varint(UInt64)
        /// Wire type 1 (little-endian 8 bytes).
        case fixed64(UInt64)
        /// Wire type 2: the range of the bytes in the reader's buffer.
        case bytes(Range<Int>)
        /// Wire type 5 (little-endian 4 bytes).
        case fixed32(UInt32)
    }

    public let number: Int
    public let payload: Payload
}

/// Reads the fields of one protobuf message in order, without allocating: length-delimited payloads come back
/// as ranges of the same buffer, to be read with a nested reader. Every read is bounds-checked; malformed input
/// (a truncated varint, a length past the end, wire types 3, 4, 6, 7, field number 0) ends the message and sets
/// `malformed`.
public struct ProtoReader {
    public let buffer: UnsafeRawBufferPointer
    private var i: Int
    private let end: Int
    public private(set) var malformed = false

    /// A reader over `range` of `buffer` (the whole buffer by default).
    public init(_ buffer: UnsafeRawBufferPointer, range: Range<Int>? = nil) {
        self.buffer = buffer
        let r = range ?? 0..<buffer.count
        i = max(0, r.lowerBound)
        end = min(buffer.count, r.upperBound)
    }

    /// The next field, or nil at the end of the message (or at the first malformed byte).
    public mutating func next() -> ProtoField? {
        guard i < end, !malformed else { return nil }
        guard let key = varint(), key >> 3 != 0, key >> 3 <= UInt64(Int32.max) else { return fail() }
        let number = Int(key >> 3)
        switch key & 7 {
        case 0:
            guard let v = varint() else { return fail() }
            return ProtoField(number: number, payload: .varint(v))
        case 1:
            guard end - i >= 8 else { return fail() }
            let v = buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
            i += 8
            return ProtoField(number: number, payload: .fixed64(v))
        case 2:
            guard let n = varint(), n <= UInt64(end - i) else { return fail() }
            let r = i..<i + Int(n)
            i += Int(n)
            return ProtoField(number: number, payload: .bytes(r))
        case 5:
            guard end - i >= 4 else { return fail() }
            let v = buffer.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian
            i += 4
            return ProtoField(number: number, payload: .fixed32(v))
        default:
            return fail()
        }
    }

    private mutating func fail() -> ProtoField? {
        malformed = true
        return nil
    }

    /// A base-128 varint of at most 10 bytes, or nil when truncated or too long.
    @inline(__always)
    private mutating func varint() -> UInt64? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < end, shift < 64 {
            let b = buffer[i]
            i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return nil
    }

    /// The varints packed in `range` (a packed repeated field), each passed to `body`; false when malformed.
    public static func forEachPackedVarint(in buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ body: (UInt64) -> Void) -> Bool {
        var r = ProtoReader(buffer, range: range)
        while r.i < r.end {
            guard let v = r.varint() else { return false }
            body(v)
        }
        return true
    }

    /// The UTF-8 text in `range` (invalid sequences repaired).
    public static func string(in buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
}
