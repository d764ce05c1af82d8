import Dispatch
import NumericCore

/// Splits an element-wise pass over `count` floats into contiguous slices run at once, one per BLAS thread: the
/// parameter update is memory-bound, and one core alone cannot draw the machine's memory bandwidth. The split
/// depends only on `count` and the thread count, so results are reproducible run to run.
struct ParallelSlices {
    /// Fewest floats worth a slice of their own: below this, waking a thread costs more than it saves.
    static let minimumSlice = 65_536
    /// Most slices (also the capacity of per-slice result buffers).
    static let maximumParts = 16

    let count: Int
    let parts: Int

    init(count: Int, threads: Int = BLASRuntime.threads) {
        self.count = count
        parts = max(1, min(threads, count / Self.minimumSlice, Self.maximumParts))
    }

    /// Slice `i`: equal lengths rounded to 16 floats (the kernels' vector width), the last one taking the rest.
    func range(_ i: Int) -> Range<Int> {
        let length = (count / parts) / 16 * 16
        return i * length..<(i == parts - 1 ? count : (i + 1) * length)
    }

    /// Runs `body` for every slice index; the calling thread takes one of them.
    func forEach(_ body: @Sendable (Int) -> Void) {
        if parts == 1 {
            body(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: body)
        }
    }
}
