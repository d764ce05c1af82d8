import Dispatch

/// 0..<count cut into contiguous parts that run at once, for element-wise passes one core cannot finish alone
/// (memory-bound updates, distance scans). The cut depends only on its arguments, so anything summed part by part
/// is reproducible run to run.
public struct ParallelParts: Sendable {
    public let count: Int
    public let parts: Int
    private let alignment: Int

    /// At most `maximum` parts of at least `minimumLength` elements each (a single part when `count` is shorter);
    /// every part but the last is a multiple of `alignment` long.
    public init(count: Int, maximum: Int, minimumLength: Int, alignment: Int = 1) {
        precondition(count >= 0 && maximum >= 1 && minimumLength >= 1 && alignment >= 1, "invalid parallel split")
        self.count = count
        self.alignment = alignment
        parts = max(1, min(maximum, count / minimumLength))
    }

    /// Part `i`: equal lengths rounded down to the alignment, the last part taking the rest.
    public func range(_ i: Int) -> Range<Int> {
        let length = (count / parts) / alignment * alignment
        return i * length..<(i == parts - 1 ? count : (i + 1) * length)
    }

    /// Runs `body(part, range)` for every part (empty ones too), spread over the threads Dispatch has free; the
    /// calling thread takes a share, and a single part runs inline. `body` must touch only its own part's data.
    public func forEach(_ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        if parts == 1 {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: parts) { part in body(part, range(part)) }
        }
    }
}
