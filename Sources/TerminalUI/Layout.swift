/// How much of a split a part takes.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (less when the whole is too small).
    case length(Int)
    /// `p` percent of the whole.
    case percentage(Int)
    /// At least `n` cells, and a share of what is left like `fill(1)`.
    case min(Int)
    /// A share of what is left after the fixed parts, in proportion to the weight.
    case fill(Int)
}

/// Splits rectangles into rows or columns (no solver: fixed parts first, then the rest in proportion).
public enum Layout {
    public enum Axis: Sendable { case horizontal, vertical }

    /// Splits `rect` along `axis`; the parts tile `rect` in order and never exceed it.
    public static func split(_ rect: Rect, _ axis: Axis, _ constraints: [Constraint]) -> [Rect] {
        let total = axis == .horizontal ? rect.width : rect.height
        var sizes = [Int](repeating: 0, count: constraints.count)
        var remaining = total
        for (i, c) in constraints.enumerated() {
            let want: Int
            switch c {
            case .length(let n): want = n
            case .percentage(let p): want = total * p / 100
            case .min(let n): want = n
            case .fill: want = 0
            }
            sizes[i] = Swift.max(0, Swift.min(want, remaining))
            remaining -= sizes[i]
        }
        let weights = constraints.map { c -> Int in
            switch c {
            case .fill(let w): Swift.max(w, 0)
            case .min: 1
            default: 0
            }
        }
        let weightSum = weights.reduce(0, +)
        if weightSum > 0 && remaining > 0 {
            var given = 0
            var lastWeighted = 0
            for (i, w) in weights.enumerated() where w > 0 {
                let share = remaining * w / weightSum
                sizes[i] += share
                given += share
                lastWeighted = i
            }
            sizes[lastWeighted] += remaining - given
        }
        var rects: [Rect] = []
        var offset = 0
        for s in sizes {
            switch axis {
            case .horizontal: rects.append(Rect(x: rect.x + offset, y: rect.y, width: s, height: rect.height))
            case .vertical: rects.append(Rect(x: rect.x, y: rect.y + offset, width: rect.width, height: s))
            }
            offset += s
        }
        return rects
    }
}
