import Phases
import TerminalUI

/// The n-versus-p phase diagram: sweep runs coloured by region with the current run highlighted, or the
/// current run alone with a hint to run a sweep.
enum PhasePane {
    static func draw(_ state: DashboardState, _ rect: Rect, _ buffer: inout CellBuffer) {
        // The run keeps its own classification (the rule `genwindow phase` applies), drawn over a sweep's cell
        // of the same n and p.
        let own = state.ownPhaseCell
        let current = own?.cell
        var cells = state.sweep
        if let current { cells.append(current) }
        guard !cells.isEmpty else {
            buffer.write("no n and p in the run header", x: rect.x, y: rect.y, style: state.theme.dim, clip: rect)
            return
        }
        let ns = Set(cells.map(\.n)).sorted(), ps = Set(cells.map(\.p)).sorted()
        var grid = [HeatCell?](repeating: nil, count: ns.count * ps.count)
        for c in cells {
            let i = ps.firstIndex(of: c.p)! * ns.count + ns.firstIndex(of: c.n)!
            grid[i] = HeatCell(glyph: state.theme.glyph(for: c.region, glyphs: state.glyphs), style: state.theme.style(for: c.region))
        }
        let highlight = current.map { (column: ns.firstIndex(of: $0.n)!, row: ps.firstIndex(of: $0.p)!) }
        let legendRows = rect.height >= 4 ? 1 : 0
        let hintRows = state.sweep.isEmpty && rect.height >= 5 ? 1 : 0
        let currentRows = current != nil && rect.height >= 3 ? 1 : 0
        let mapRect = rect.inset(bottom: legendRows + hintRows + currentRows)
        let pName = state.size?.name ?? "p"
        Heatmap(columns: ns.count, rows: ps.count, cells: grid, highlight: highlight,
                xLabels: ns.map { NumberFormat.compact(Double($0)) }, yLabels: ps.map { NumberFormat.compact(Double($0)) },
                glyphs: state.glyphs, labelStyle: state.theme.dim)
            .render(in: mapRect, into: &buffer)
        var y = mapRect.maxY
        if let current, currentRows > 0 {
            let text = "this run\(own?.soFar == true ? " so far" : ""): n=\(NumberFormat.compact(Double(current.n))) "
                + "\(pName)=\(NumberFormat.compact(Double(current.p))), "
                + (current.region.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") } ?? "no timescale yet")
            buffer.write(text, x: rect.x, y: y, style: state.theme.text, clip: rect)
            y += 1
        }
        if hintRows > 0 {
            buffer.write("one run only: `genwindow sweep` fills the diagram", x: rect.x, y: y, style: state.theme.dim, clip: rect)
            y += 1
        }
        if legendRows > 0 {
            var x = rect.x
            for region in [PhaseRegion.memorization, .generalization, .architectural] {
                x += buffer.write(String(Character(state.theme.glyph(for: region, glyphs: state.glyphs))), x: x, y: y,
                                  style: state.theme.style(for: region), clip: rect)
                let name = region == .architectural ? "arch. reg." : region.rawValue
                x += buffer.write(" \(name)  ", x: x, y: y, style: state.theme.dim, clip: rect)
            }
        }
    }
}
