/// A problem with the sweep's options or folder, printed as one line the user can act on.
public struct SweepError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The values one axis of a sweep takes, parsed from the command line.
///
/// Accepted forms: a comma list `25,50,100`, a geometric range `50..1600x2` (start, then ×factor while ≤ end),
/// or a mix `10,50..400x2`. Values are positive integers; the result is sorted and free of duplicates.
public enum SweepAxis {
    public static func parse(_ text: String, option: String) throws(SweepError) -> [Int] {
        var values: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = item.trimmingSpaces()
            if part.isEmpty { throw SweepError("--\(option): empty item in '\(text)'") }
            if let range = part.firstRange(of: "..") {
                let start = String(part[..<range.lowerBound])
                let rest = part[range.upperBound...]
                guard let x = rest.firstIndex(of: "x") else {
                    throw SweepError("--\(option): a range needs a factor, e.g. 50..1600x2 (got '\(part)')")
                }
                let end = String(rest[..<x]), factorText = String(rest[rest.index(after: x)...])
                let lo = try positive(start, option: option, in: part), hi = try positive(end, option: option, in: part)
                guard let factor = Double(factorText), factor > 1, factor.isFinite else {
                    throw SweepError("--\(option): the factor in '\(part)' must be a number above 1")
                }
                guard lo <= hi else { throw SweepError("--\(option): range '\(part)' starts above its end") }
                var v = Double(lo)
                while v.rounded() <= Double(hi) {
                    values.append(Int(v.rounded()))
                    v *= factor
                    if values.count > 10_000 { throw SweepError("--\(option): range '\(part)' has too many values") }
                }
            } else {
                values.append(try positive(part, option: option, in: part))
            }
        }
        return Array(Set(values)).sorted()
    }

    private static func positive(_ s: String, option: String, in part: String) throws(SweepError) -> Int {
        guard let v = Int(s), v > 0 else {
            throw SweepError("--\(option): '\(s)' in '\(part)' is not a positive integer")
        }
        return v
    }
}

/// One training run of a sweep: a training-set size `n` and a model size `p` (random features for RF, hidden
/// width for DDPM).
public struct SweepCell: Equatable, Hashable, Sendable {
    public var n: Int
    public var p: Int
    public var seed: UInt64

    public init(n: Int, p: Int, seed: UInt64) {
        self.n = n
        self.p = p
        self.seed = seed
    }

    /// File-name stem of the cell's run: `n100-p1600` → `DIR/n100-p1600.jsonl`.
    public var name: String { "n\(n)-p\(p)" }
    public var runFileName: String { name + ".jsonl" }
    public var logFileName: String { name + ".log" }
}

/// The full n × p grid, cells ordered by p then n (so a partially finished sweep fills whole columns of the
/// phase diagram first). Every cell uses the same seed, so cells differ only in n and p.
public struct SweepGrid: Equatable, Sendable {
    public var n: [Int]
    public var p: [Int]
    public var seed: UInt64

    public init(n: [Int], p: [Int], seed: UInt64) {
        self.n = n
        self.p = p
        self.seed = seed
    }

    public var cells: [SweepCell] {
        p.flatMap { p in n.map { SweepCell(n: $0, p: p, seed: seed) } }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
