import NumericCore
import Testing

/// The split of a range into parts run at once: the parts tile the range in order, respect the minimum length and
/// the alignment, and every index is visited exactly once, by the part that owns it.
@Suite("Parallel parts")
struct ParallelPartsTests {
    @Test(arguments: [0, 1, 31, 32, 64, 65, 1000, 100_003])
    func partsTileTheRangeAndVisitEachIndexOnce(count: Int) {
        for (maximum, minimumLength, alignment) in [(1, 1, 1), (2, 32, 1), (3, 32, 1), (8, 32, 1), (4, 1000, 16)] {
            let split = ParallelParts(count: count, maximum: maximum, minimumLength: minimumLength, alignment: alignment)
            #expect(split.parts >= 1 && split.parts <= maximum)
            #expect(split.parts == 1 || count / split.parts >= minimumLength)
            var next = 0
            for i in 0..<split.parts {
                let r = split.range(i)
                #expect(r.lowerBound == next && (i == split.parts - 1 || r.count % alignment == 0))
                next = r.upperBound
            }
            #expect(next == count)
            var owner = [Int](repeating: -1, count: count), calls = [Int](repeating: 0, count: split.parts)
            owner.withUnsafeMutableBufferPointer { o in
                calls.withUnsafeMutableBufferPointer { c in
                    let (o, c) = (o.baseAddress, c.baseAddress!)
                    split.forEach { part, range in
                        c[part] += 1
                        for i in range { o![i] = o![i] == -1 ? part : -2 }
                    }
                }
            }
            #expect(calls.allSatisfy { $0 == 1 }, "count \(count), maximum \(maximum)")
            #expect((0..<count).allSatisfy { split.range(owner[$0]).contains($0) },
                    "count \(count), maximum \(maximum), alignment \(alignment)")
        }
    }
}
