import Foundation
import Metrics
import Phases
import RunFormat

/// One cell of the diagram.
public struct PhaseCell: Equatable, Sendable {
    public var summary: CellSummary
    public var region: PhaseRegion
    /// For a cell that has not reached tau_mem: tau_mem forecast by the ∝ n law from the cells of the same p that
    /// reached it (in their time unit); nil when it was reached or no such cell exists.
    public var tauMemForecast: TimescaleForecast?
}

/// tau_mem ≈ slope·n + intercept for one group of runs (same model and settings but n; `CellSummary.group`), by
/// least squares over the cells whose tau_mem was reached.
public struct TauMemFit: Equatable, Sendable {
    /// The group's model size (p, or width).
    public var p: Int
    public var group: String
    public var points: Int
    /// Nil with fewer than two distinct n.
    public var slope: Double?
    public var intercept: Double?
    /// Nil when undefined (fewer than three points make R² trivially 1, so it needs three).
    public var r2: Double?
    /// The slope's 95% confidence interval (Student t with points − 2 degrees of freedom); nil below three
    /// points.
    public var slopeCI95: ClosedRange<Double>?
    /// Fitted on each n's mean over its seeds, weighted by their spread (`PhaseDiagram.weightedFit`).
    public var weighted = false
}

/// The runs of one group at one (n, p) — seeds of one setting — with the mean and spread of their times.
public struct SeedCell: Equatable, Sendable {
    public var group: String
    public var n: Int
    public var p: Int
    public var runs: Int
    /// Over the runs that reached each time (in the runs' time unit).
    public var tauGen: (mean: Double, sd: Double?, count: Int)?
    public var tauMem: (mean: Double, sd: Double?, count: Int)?

    public static func == (a: SeedCell, b: SeedCell) -> Bool {
        a.group == b.group && a.n == b.n && a.p == b.p && a.runs == b.runs
            && a.tauGen.map { [$0.mean, $0.sd ?? -1, Double($0.count)] } == b.tauGen.map { [$0.mean, $0.sd ?? -1, Double($0.count)] }
            && a.tauMem.map { [$0.mean, $0.sd ?? -1, Double($0.count)] } == b.tauMem.map { [$0.mean, $0.sd ?? -1, Double($0.count)] }
    }

    /// Mean, sample standard deviation (nil for one value) and count; nil for none.
    static func spread(_ values: [Double]) -> (mean: Double, sd: Double?, count: Int)? {
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = values.count < 2 ? nil : (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        return (mean, sd, values.count)
    }
}

/// The phase diagram of a sweep: every cell's region and the per-group fits of tau_mem against n.
public struct PhaseDiagram: Equatable, Sendable {
    public var thresholds: PhaseThresholds
    public var cells: [PhaseCell]
    public var fits: [TauMemFit]
    /// The runs grouped by setting and (n, p): several seeds of one cell.
    public var seedCells: [SeedCell]

    public init(summaries: [CellSummary], thresholds: PhaseThresholds) {
        self.thresholds = thresholds
        var cells = summaries.sorted { ($0.p, $0.n, $0.name) < ($1.p, $1.n, $1.name) }
            .map { PhaseCell(summary: $0, region: PhaseClassifier.region(of: $0, thresholds: thresholds)) }
        // Groups in the order of their first cell (by p, then n).
        var groups: [String] = []
        for c in cells where !groups.contains(c.summary.group) { groups.append(c.summary.group) }
        let reached = Dictionary(uniqueKeysWithValues: groups.map { g in
            (g, cells.filter { $0.summary.group == g && $0.region != .unfinished && $0.region != .architectural && $0.summary.tauMemReached })
        })
        var seedCells: [SeedCell] = []
        for c in cells where !seedCells.contains(where: { $0.group == c.summary.group && $0.n == c.summary.n && $0.p == c.summary.p }) {
            let members = cells.filter { $0.summary.group == c.summary.group && $0.summary.n == c.summary.n && $0.summary.p == c.summary.p }
            seedCells.append(SeedCell(group: c.summary.group, n: c.summary.n, p: c.summary.p, runs: members.count,
                                      tauGen: SeedCell.spread(members.filter { $0.summary.tauGenReached }.map { $0.summary.tauGen!.tau }),
                                      tauMem: SeedCell.spread(members.filter { $0.summary.tauMemReached && $0.region != .unfinished
                                          && $0.region != .architectural }.map { $0.summary.tauMem!.tau })))
        }
        self.seedCells = seedCells
        fits = groups.map { g in
            let p = cells.first { $0.summary.group == g }!.summary.p
            let seeded = seedCells.filter { $0.group == g && ($0.tauMem?.count ?? 0) >= 2 }
            guard !seeded.isEmpty else {
                return Self.fit(p: p, group: g, points: reached[g]!.map { (Double($0.summary.n), $0.summary.tauMem!.tau) })
            }
            return Self.weightedFit(p: p, group: g, cells: seedCells.filter { $0.group == g })
        }
        for i in cells.indices where !cells[i].summary.tauMemReached {
            let basis = reached[cells[i].summary.group]!
            cells[i].tauMemForecast = MemorizationForecast.proportionalToTrainingSize(
                earlier: basis.map { (n: $0.summary.n, time: $0.summary.tauMem!.tau) }, n: cells[i].summary.n,
                unit: basis.first?.summary.timeUnit ?? "steps")
        }
        self.cells = cells
    }

    static func fit(p: Int, group: String, points: [(x: Double, y: Double)]) -> TauMemFit {
        let m = Double(points.count)
        guard Set(points.map(\.x)).count >= 2 else {
            return TauMemFit(p: p, group: group, points: points.count, slope: nil, intercept: nil, r2: nil, slopeCI95: nil)
        }
        let mx = points.reduce(0) { $0 + $1.x } / m, my = points.reduce(0) { $0 + $1.y } / m
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (x, y) in points {
            sxx += (x - mx) * (x - mx)
            sxy += (x - mx) * (y - my)
            syy += (y - my) * (y - my)
        }
        let slope = sxy / sxx, intercept = my - slope * mx
        var r2: Double?
        var interval: ClosedRange<Double>?
        if points.count >= 3 {
            let residual = points.reduce(0.0) { $0 + ($1.y - slope * $1.x - intercept) * ($1.y - slope * $1.x - intercept) }
            if syy > 0 { r2 = 1 - residual / syy }
            let standardError = (residual / (m - 2) / sxx).squareRoot()
            let half = studentT975(degreesOfFreedom: points.count - 2) * standardError
            interval = (slope - half)...(slope + half)
        }
        return TauMemFit(p: p, group: group, points: points.count, slope: slope, intercept: intercept, r2: r2, slopeCI95: interval)
    }

    /// tau_mem against n over the mean tau_mem of each n's seeds, each weighted by the inverse variance of its
    /// mean (k / s²). An n with one seed, or seeds that agree exactly, takes the group's pooled relative spread
    /// (s = cv·mean). The slope's interval: Student t with (distinct n − 2) degrees of freedom on the weighted
    /// residuals.
    static func weightedFit(p: Int, group: String, cells: [SeedCell]) -> TauMemFit {
        let means = cells.compactMap { c in c.tauMem.map { (n: Double(c.n), mean: $0.mean, sd: $0.sd, k: Double($0.count)) } }
        let cvs = means.compactMap { m in m.sd.flatMap { $0 > 0 && m.mean > 0 ? $0 / m.mean : nil } }
        let cv = cvs.isEmpty ? 1 : (cvs.reduce(0) { $0 + $1 * $1 } / Double(cvs.count)).squareRoot()
        let points = means.map { m -> (x: Double, y: Double, w: Double) in
            let s = m.sd.flatMap { $0 > 0 ? $0 : nil } ?? cv * max(m.mean, .leastNormalMagnitude)
            return (m.n, m.mean, m.k / (s * s))
        }
        let runs = Int(means.reduce(0) { $0 + $1.k })
        guard Set(points.map(\.x)).count >= 2 else {
            return TauMemFit(p: p, group: group, points: runs, slope: nil, intercept: nil, r2: nil, slopeCI95: nil, weighted: true)
        }
        let sw = points.reduce(0) { $0 + $1.w }
        let mx = points.reduce(0) { $0 + $1.w * $1.x } / sw, my = points.reduce(0) { $0 + $1.w * $1.y } / sw
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for q in points {
            sxx += q.w * (q.x - mx) * (q.x - mx)
            sxy += q.w * (q.x - mx) * (q.y - my)
            syy += q.w * (q.y - my) * (q.y - my)
        }
        let slope = sxy / sxx, intercept = my - slope * mx
        var r2: Double?, interval: ClosedRange<Double>?
        if points.count >= 3 {
            let residual = points.reduce(0.0) { $0 + $1.w * ($1.y - slope * $1.x - intercept) * ($1.y - slope * $1.x - intercept) }
            if syy > 0 { r2 = 1 - residual / syy }
            let half = studentT975(degreesOfFreedom: points.count - 2) * (residual / Double(points.count - 2) / sxx).squareRoot()
            interval = (slope - half)...(slope + half)
        }
        return TauMemFit(p: p, group: group, points: runs, slope: slope, intercept: intercept, r2: r2, slopeCI95: interval, weighted: true)
    }

    /// The 97.5% quantile of Student's t distribution (the half-width factor of a two-sided 95% interval): a
    /// table to 4 digits up to 30 degrees of freedom, then the Cornish–Fisher expansion about the normal.
    package static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                     2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
                     2.045, 2.042]
        if df <= table.count { return table[max(df, 1) - 1] }
        let z = 1.959964, v = Double(df)
        return z + (z * z * z + z) / (4 * v) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v)
    }

    // MARK: Output

    /// `--json`: cells[{n,p,tau_gen,tau_mem,window,region,final_mem_frac,final_fid}] and
    /// fits[{p,slope,intercept,r2,points,group,slope_ci95}],
    /// null for unavailable values. A time scale that was not reached within the budget is null with
    /// `tau_gen_reached`/`tau_mem_reached` false; the thresholds and a few more facts per cell come along.
    public var json: JSONObject {
        func number(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        var o = JSONObject()
        o["thresholds"] = ["mem_frac": .number(thresholds.memFrac), "test_loss_rise": .number(thresholds.testLossRise),
                           "convergence": .number(thresholds.convergence)]
        o["cells"] = .array(cells.map { cell in
            let s = cell.summary
            var c = JSONObject()
            c["n"] = .number(Double(s.n))
            c["p"] = .number(Double(s.p))
            c["tau_gen"] = s.tauGenReached ? number(s.tauGen?.tau) : .null
            c["tau_mem"] = s.tauMemReached ? number(s.tauMem?.tau) : .null
            c["region"] = .string(cell.region.rawValue)
            c["final_mem_frac"] = number(s.finalMemFrac)
            c["final_fid"] = number(s.finalFID)
            c["tau_gen_reached"] = .bool(s.tauGenReached)
            c["tau_mem_reached"] = .bool(s.tauMemReached)
            c["window"] = s.window.map { .string($0.rawValue) } ?? .null
            c["end_step"] = .number(Double(s.endStep))
            c["run"] = .string(s.name)
            c["tau_mem_forecast"] = number(cell.tauMemForecast?.step)
            c["tau_mem_forecast_low"] = number(cell.tauMemForecast?.low)
            c["tau_mem_forecast_high"] = number(cell.tauMemForecast?.high)
            if let f = cell.tauMemForecast { c["tau_mem_forecast_basis"] = .string(f.basis) }
            return .object(c)
        })
        o["fits"] = .array(fits.map { f in
            ["p": .number(Double(f.p)), "slope": number(f.slope), "intercept": number(f.intercept), "r2": number(f.r2),
             "points": .number(Double(f.points)), "group": .string(f.group),
             "slope_ci95": f.slopeCI95.map { .array([.number($0.lowerBound), .number($0.upperBound)]) } ?? .null,
             "weighted": .bool(f.weighted)]
        })
        o["seed_cells"] = .array(seedCells.map { c in
            ["n": .number(Double(c.n)), "p": .number(Double(c.p)), "group": .string(c.group), "runs": .number(Double(c.runs)),
             "tau_gen_mean": number(c.tauGen?.mean), "tau_gen_sd": number(c.tauGen?.sd), "tau_gen_runs": .number(Double(c.tauGen?.count ?? 0)),
             "tau_mem_mean": number(c.tauMem?.mean), "tau_mem_sd": number(c.tauMem?.sd), "tau_mem_runs": .number(Double(c.tauMem?.count ?? 0))]
        })
        return o
    }

    /// The text table, thresholds first, fits last.
    public var text: String {
        var out = "thresholds: memorization when the last mem_frac > \(Self.format(thresholds.memFrac)) "
            + "(runs without mem_frac: tau_mem reached and the test loss rose); the test loss rises when it goes "
            + "more than \(Self.format(thresholds.testLossRise * 100))% above its minimum; architectural regularization "
            + "needs training converged (train loss moved < \(Self.format(thresholds.convergence * 100))% over the "
            + "second half of the run)\n"
        let label = groupLabels()
        let header = ["n", "p"] + (label.isEmpty ? [] : ["group"])
            + ["tau_gen", "tau_mem", "window", "region", "final_mem_frac", "final_fid", "tau_mem_forecast"]
        var rows = [header]
        for cell in cells {
            let s = cell.summary
            let groupColumn: [String] = label.isEmpty ? [] : [label[s.group] ?? "-"]
            rows.append([String(s.n), String(s.p)] + groupColumn + [
                         s.tauGenReached ? Self.format(s.tauGen!.tau) : "not reached",
                         s.tauMemReached ? Self.format(s.tauMem!.tau) : "not reached",
                         s.window.map { $0 == .absent ? "none (tau_mem ≤ tau_gen)" : $0.rawValue } ?? "-",
                         cell.region.rawValue,
                         s.finalMemFrac.map(Self.format) ?? "-", s.finalFID.map(Self.format) ?? "-",
                         cell.tauMemForecast.map(Self.format) ?? "-"])
        }
        out += Self.table(rows)
        if cells.contains(where: { $0.summary.window == .absent }) {
            out += "window none: memorization starts before the samples are good (tau_mem ≤ tau_gen), so there is no "
                + "generalization window to stop in\n"
        }
        if cells.contains(where: { $0.tauMemForecast != nil }) {
            out += "tau_mem_forecast: a forecast, not a measurement, for cells that did not reach tau_mem: c·n with c the "
                + "geometric mean of tau_mem/n over the cells of the same p that reached it [±1 geometric σ]\n"
        }
        if seedCells.contains(where: { $0.runs > 1 }) {
            out += "seeds (runs of one group at one n and p): tau mean ± sd over the runs that reached it\n"
            var seedRows = [["n", "p"] + (label.isEmpty ? [] : ["group"]) + ["runs", "tau_gen", "tau_mem"]]
            func spread(_ s: (mean: Double, sd: Double?, count: Int)?) -> String {
                guard let s else { return "not reached" }
                return Self.format(s.mean) + (s.sd.map { " ± " + Self.format($0) } ?? "") + " (\(s.count))"
            }
            for c in seedCells {
                seedRows.append([String(c.n), String(c.p)] + (label.isEmpty ? [] : [label[c.group] ?? "-"])
                                + [String(c.runs), spread(c.tauGen), spread(c.tauMem)])
            }
            out += Self.table(seedRows)
        }
        out += "tau_mem ≈ slope·n + intercept per group of runs that differ only in n (cells with tau_mem reached; "
            + "with seeds, on each n's mean weighted by its spread):\n"
        var fitRows = [["p"] + (label.isEmpty ? [] : ["group"]) + ["points", "slope", "slope 95% CI", "intercept", "r2"]]
        for f in fits {
            let groupColumn: [String] = label.isEmpty ? [] : [label[f.group] ?? "-"]
            let interval: String = f.slopeCI95.map { "[\(Self.format($0.lowerBound)), \(Self.format($0.upperBound))]" } ?? "-"
            let values: [String] = [String(f.points), f.slope.map(Self.format) ?? "-", interval,
                                    f.intercept.map(Self.format) ?? "-", f.r2.map(Self.format) ?? "-"]
            fitRows.append([String(f.p)] + groupColumn + values)
        }
        return out + Self.table(fitRows)
    }

    /// For each group, the settings in which it differs from the others besides p (e.g. "labels=random");
    /// empty when the groups differ in p alone, so the tables need no group column.
    func groupLabels() -> [String: String] {
        let groups = Set(cells.map(\.summary.group))
        let parts = Dictionary(uniqueKeysWithValues: groups.map { g in
            (g, g.split(separator: " ").map(String.init).filter { !$0.hasPrefix("p=") && !$0.hasPrefix("width=") })
        })
        let shared = Set(parts.values.flatMap { $0 }).filter { part in parts.values.allSatisfy { $0.contains(part) } }
        guard parts.values.contains(where: { !Set($0).subtracting(shared).isEmpty }) else { return [:] }
        return parts.mapValues { own in
            let distinct = own.filter { !shared.contains($0) }
            return distinct.isEmpty ? "-" : distinct.joined(separator: " ")
        }
    }

    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in
                String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// "≈c" with its ±1σ band when it has one.
    static func format(_ f: TimescaleForecast) -> String {
        guard let low = f.low, let high = f.high else { return "≈" + format(f.step) }
        return "≈\(format(f.step)) [\(format(low))–\(format(high))]"
    }

    /// Four significant digits.
    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}
