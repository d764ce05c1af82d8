#if canImport(Glibc)
import Glibc
#endif

/// Splits a growing byte stream into lines without holding more than one chunk and one line in memory.
///
/// Only complete (newline-terminated) lines are returned; the bytes after the last newline wait for more
/// data, which is what lets a follower read a file another process is still writing. Lines longer than
/// `maxLineBytes` are skipped whole and reported, so a 100 MB line cannot exhaust memory.
struct RunLineReader {
    static let defaultMaxLineBytes = 8 << 20

    let maxLineBytes: Int
    private var pending: [UInt8] = []
    private var skippingLongLine = false
    /// Lines completed so far (including skipped ones), so each line knows its 1-based number.
    private(set) var linesSeen = 0

    init(maxLineBytes: Int = RunLineReader.defaultMaxLineBytes) { self.maxLineBytes = maxLineBytes }

    enum Line {
        case text(number: Int, bytes: UnsafeBufferPointer<UInt8>)
        case tooLong(number: Int)
    }

    /// Feeds `chunk`, calling `body` for each complete line in order.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (Line) throws -> Void) throws {
        var start = 0
        while start < chunk.count {
            guard let found = memchr(chunk.baseAddress! + start, 0x0A, chunk.count - start) else {
                let rest = chunk.count - start
                if skippingLongLine { return }
                if pending.count + rest > maxLineBytes {
                    pending.removeAll()
                    skippingLongLine = true
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start...]))
                }
                return
            }
            let nl = chunk.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            linesSeen += 1
            if skippingLongLine {
                skippingLongLine = false
                try body(.tooLong(number: linesSeen))
            } else if pending.isEmpty {
                if nl - start > maxLineBytes {
                    try body(.tooLong(number: linesSeen))
                } else {
                    try body(.text(number: linesSeen, bytes: UnsafeBufferPointer(rebasing: chunk[start..<nl])))
                }
            } else {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start..<nl]))
                if pending.count > maxLineBytes {
                    try body(.tooLong(number: linesSeen))
                } else {
                    try pending.withUnsafeBufferPointer { try body(.text(number: linesSeen, bytes: $0)) }
                }
                pending.removeAll(keepingCapacity: pending.count < 1 << 16)
            }
            start = nl + 1
        }
    }

    /// Bytes waiting after the last newline (a line still being written, or a truncated last line).
    var hasPartialLine: Bool { !pending.isEmpty || skippingLongLine }

    /// Forgets everything (the file was truncated or replaced).
    mutating func reset() {
        pending.removeAll()
        skippingLongLine = false
        linesSeen = 0
    }
}
