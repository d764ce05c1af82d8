/// A record of a TFRecord stream that failed its checks, reported once.
public struct FramingProblem: Equatable, Sendable, CustomStringConvertible {
    /// Byte offset of the record's first byte in its file.
    public let offset: Int
    public let message: String

    public var description: String { "byte \(offset): \(message)" }
}

/// Splits a TFRecord byte stream (`u64 length`, `u32 masked CRC-32C of the length`, `data`, `u32 masked CRC-32C
/// of the data`, little-endian) into whole records as its bytes arrive.
///
/// A partial trailing record waits for the rest. A record whose data CRC fails is reported and skipped (its
/// length is trusted, being checked); a length whose CRC fails cannot be trusted, so the framer reports it once
/// and moves forward a byte at a time until a length with a valid CRC appears, then reads on from there.
public struct TFRecordFramer {
    /// Records larger than this are treated as corrupt lengths (TensorBoard's own writers stay far below).
    public static let maxRecordBytes = 1 << 30

    private var pending: [UInt8] = []
    /// Stream offset of `pending[0]` (or of the next byte fed, when nothing is pending).
    private var pendingOffset = 0
    /// Set while scanning for a valid length after a bad one, so the scan is reported once.
    private var resyncing = false
    public private(set) var problems: [FramingProblem] = []

    public init() {}

    /// Bytes received that do not yet form a whole record (a record being written, or a truncated tail).
    public var pendingBytes: Int { pending.count }

    /// Feeds the next bytes of the stream; `body` gets each whole record's data and its record's offset.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) -> Void) {
        if pending.isEmpty {
            let used = frame(bytes, base: pendingOffset, body)
            pendingOffset += used
            if used < bytes.count { pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[used...])) }
        } else {
            pending.append(contentsOf: bytes)
            let used = pending.withUnsafeBytes { frame($0, base: pendingOffset, body) }
            pending.removeFirst(used)
            pendingOffset += used
        }
    }

    /// Forgets everything (the file was replaced).
    public mutating func reset() {
        pending.removeAll()
        pendingOffset = 0
        resyncing = false
        problems.removeAll()
    }

    /// Frames whole records from `b`, returning how many bytes were consumed.
    private mutating func frame(_ b: UnsafeRawBufferPointer, base: Int, _ body: (UnsafeRawBufferPointer, Int) -> Void) -> Int {
        var i = 0
        while b.count - i >= 12 {
            let length = b.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
            let lengthCRC = b.loadUnaligned(fromByteOffset: i + 8, as: UInt32.self).littleEndian
            guard CRC32C.masked(UnsafeRawBufferPointer(rebasing: b[i..<i + 8])) == lengthCRC,
                  length <= UInt64(Self.maxRecordBytes)
            else {
                if !resyncing {
                    problems.append(FramingProblem(offset: base + i, message: "bad length CRC; skipping to the next valid record"))
                    resyncing = true
                }
                i += 1
                continue
            }
            resyncing = false
            let n = Int(length)
            guard b.count - i >= 16 + n else { break }
            let data = UnsafeRawBufferPointer(rebasing: b[i + 12..<i + 12 + n])
            let dataCRC = b.loadUnaligned(fromByteOffset: i + 12 + n, as: UInt32.self).littleEndian
            if CRC32C.masked(data) == dataCRC {
                body(data, base + i)
            } else {
                problems.append(FramingProblem(offset: base + i, message: "bad data CRC; record of \(n) bytes skipped"))
            }
            i += 16 + n
        }
        return i
    }
}
