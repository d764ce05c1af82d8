import Glibc

/// Tag names interned to small integers, looked up from raw bytes without building a string for tags already
/// seen (a run has few tags and each event repeats one).
public struct TagTable: Sendable {
    public private(set) var names: [String] = []
    private var bytes: [[UInt8]] = []
    private var index: [String: Int32] = [:]
    private var last: Int32 = -1

    public init() {}

    public var count: Int { names.count }

    /// The id of the tag spelled by `b[range]`, added if new.
    public mutating func id(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int32 {
        let tag = UnsafeRawBufferPointer(rebasing: b[range])
        if last >= 0 && equal(bytes[Int(last)], tag) { return last }
        if names.count <= 64 {
            for k in names.indices where equal(bytes[k], tag) {
                last = Int32(k)
                return last
            }
            return add(String(decoding: tag, as: UTF8.self), Array(tag))
        }
        let name = String(decoding: tag, as: UTF8.self)
        if let k = index[name] { last = k; return k }
        return add(name, Array(tag))
    }

    /// The id of `name`, added if new.
    public mutating func id(_ name: String) -> Int32 {
        if let k = index[name] { return k }
        return add(name, Array(name.utf8))
    }

    private mutating func add(_ name: String, _ raw: [UInt8]) -> Int32 {
        if let k = index[name] { last = k; return k }  // the same text from other bytes (repaired UTF-8)
        let k = Int32(names.count)
        names.append(name)
        bytes.append(raw)
        index[name] = k
        last = k
        return k
    }

    private func equal(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && a.withUnsafeBytes { a in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
    }
}

/// An image summary kept for the samples work: the encoded PNG as the writer stored it.
public struct ImageEntry: Equatable, Sendable {
    public var tag: String
    public var step: Int
    public var wallTime: Double
    public var height: Int
    public var width: Int
    public var colorspace: Int
    public var png: [UInt8]
}

/// Every scalar of one run in arrival order, column by column: row k is (steps[k], wallTimes[k], tags[k],
/// values[k]). Full resolution, no sampling. The tag table survives `removeAll`, so a re-read file keeps its ids.
public struct ScalarLog: Sendable {
    public var tags = TagTable()
    public private(set) var steps: [Int] = []
    /// Seconds since the epoch when the source records it, else 0.
    public private(set) var wallTimes: [Double] = []
    public private(set) var tagIDs: [Int32] = []
    public private(set) var values: [Double] = []
    public private(set) var images: [ImageEntry] = []

    public init() {}

    public var count: Int { steps.count }

    @inline(__always)
    public mutating func append(step: Int, wallTime: Double, tag: Int32, value: Double) {
        steps.append(step)
        wallTimes.append(wallTime)
        tagIDs.append(tag)
        values.append(value)
    }

    public mutating func appendImage(_ image: ImageEntry) { images.append(image) }

    /// Drops every scalar and image at a step ≥ `step` (TensorBoard's purge on a `SessionLog START`).
    public mutating func purge(from step: Int) {
        var kept = 0
        for k in 0..<count where steps[k] < step {
            steps[kept] = steps[k]
            wallTimes[kept] = wallTimes[k]
            tagIDs[kept] = tagIDs[k]
            values[kept] = values[k]
            kept += 1
        }
        steps.removeLast(count - kept)
        wallTimes.removeLast(wallTimes.count - kept)
        tagIDs.removeLast(tagIDs.count - kept)
        values.removeLast(values.count - kept)
        images.removeAll { $0.step >= step }
    }

    /// Forgets the rows and images, keeping the tag ids.
    public mutating func removeAll() {
        steps.removeAll(keepingCapacity: true)
        wallTimes.removeAll(keepingCapacity: true)
        tagIDs.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        images.removeAll()
    }

    /// Whether row `k` of both logs holds the same step, tag and value (NaNs equal).
    public func rowEqual(_ k: Int, _ other: ScalarLog, _ j: Int) -> Bool {
        steps[k] == other.steps[j] && tags.names[Int(tagIDs[k])] == other.tags.names[Int(other.tagIDs[j])]
            && (values[k] == other.values[j] || (values[k].isNaN && other.values[j].isNaN))
    }

    /// The values of `tag` in arrival order as (step, value) pairs.
    public func series(_ tag: String) -> [(step: Int, value: Double)] {
        var out: [(step: Int, value: Double)] = []
        for k in 0..<count where tags.names[Int(tagIDs[k])] == tag { out.append((steps[k], values[k])) }
        return out
    }
}
