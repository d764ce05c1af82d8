import Glibc

/// Splits a growing byte stream into whole lines (a trailing "\r" dropped); the bytes after the last newline
/// wait for the rest.
struct LineBuffer {
    private var pending: [UInt8] = []
    /// Lines passed on so far, so each knows its 1-based number.
    private(set) var lineCount = 0

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) -> Void) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            guard let found = memchr(base + start, 0x0A, chunk.count - start) else {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
                return
            }
            let nl = base.distance(to: UnsafeRawPointer(found))
            lineCount += 1
            if pending.isEmpty {
                body(trimmed(UnsafeRawBufferPointer(rebasing: chunk[start..<nl])), lineCount)
            } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<nl]))
                pending.withUnsafeBytes { body(trimmed($0), lineCount) }
                pending.removeAll(keepingCapacity: true)
            }
            start = nl + 1
        }
    }

    private func trimmed(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        line.last == 0x0D ? UnsafeRawBufferPointer(rebasing: line[0..<line.count - 1]) : line
    }
}
