/// Where a density computed on a λ grid is supported, and how much mass each piece carries.
public struct DensitySupport: Sendable, Equatable {
    /// One interval where ρ exceeds the threshold: its λ range (interpolated edges) and its mass.
    public struct Piece: Sendable, Equatable {
        public var lo: Double
        public var hi: Double
        public var mass: Double
    }

    public let pieces: [Piece]

    /// Splits `rho` on the ascending, positive `grid` into runs where the density per unit of ln λ, λ·ρ(λ), exceeds
    /// `relativeThreshold` × its maximum (per ln λ, so a tall narrow spike does not hide a wide low bulk), with
    /// trapezoid masses.
    public init(grid: [Double], rho: [Double], relativeThreshold: Double = 1e-5) {
        let logDensity = zip(grid, rho).map { $0 * $1 }
        let peak = logDensity.filter(\.isFinite).max() ?? 0
        let threshold = relativeThreshold * peak
        var pieces: [Piece] = []
        var start: Int?
        func edge(_ i: Int, _ j: Int) -> Double {
            let (a, b) = (logDensity[i] - threshold, logDensity[j] - threshold)
            return a == b ? grid[i] : grid[i] + (grid[j] - grid[i]) * a / (a - b)
        }
        for i in 0...grid.count {
            let inside = i < grid.count && logDensity[i].isFinite && logDensity[i] > threshold
            if inside, start == nil { start = i }
            if !inside, let s = start {
                let lo = s > 0 ? edge(s - 1, s) : grid[s]
                let hi = i < grid.count ? edge(i - 1, i) : grid[i - 1]
                var mass = 0.0
                for k in max(s - 1, 0)..<min(i, grid.count - 1) {
                    mass += (grid[k + 1] - grid[k]) * (rho[k] + rho[k + 1]) / 2
                }
                pieces.append(Piece(lo: lo, hi: hi, mass: mass))
                start = nil
            }
        }
        self.pieces = pieces
    }
}

/// A log-spaced grid of `count` points from `lo` to `hi` (both > 0).
public func logGrid(from lo: Double, to hi: Double, count: Int) -> [Double] {
    let (a, b) = (rfLog(lo), rfLog(hi))
    return (0..<count).map { rfExp(a + (b - a) * Double($0) / Double(max(count - 1, 1))) }
}
