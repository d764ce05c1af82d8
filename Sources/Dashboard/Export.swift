import Foundation
import RunFormat
import TerminalUI

/// What `genwindow export` writes, computed from a run's records: a CSV of every series (raw and smoothed)
/// with marks and events, the sample grid as RGB pixels, and a text snapshot of one dashboard frame.
public enum Export {
    // MARK: - CSV

    /// One row per step that has metrics, a mark or an event, ascending. Columns: `step`, every metric in first-
    /// seen order, `smoothed_<name>` for the loss series (TensorBoard's debiased EMA at `smoothing`; skipped when
    /// 0), `mark` (the label of the mark there; the suggested early stop as "early_stop (suggested)"), `events`
    /// (other event kinds there, `;`-separated). Unmeasured cells are empty; non-finite values are `nan`.
    /// Marks deleted later (`mark_deleted`) are left out. The `fid` column is named by its feature space
    /// (`FrechetLabel.column`: `fid` for Inception features only, else `fd_pixels`, `fd_data`, `fd_classifier`).
    public static func csv(_ records: [RunRecord], smoothing: Double = 0.6) -> String {
        var names: [String] = []
        var rows: [Int: [String: Double]] = [:]
        var marks: [Int: String] = [:]
        var events: [Int: [String]] = [:]
        for record in records {
            switch record {
            case .metrics(let m):
                for (name, value) in m.values {
                    if !names.contains(name) { names.append(name) }
                    rows[m.step, default: [:]][name] = value ?? .nan
                }
            case .mark(let m): marks[m.step] = Sanitize.text(m.label)
            case .event(let e):
                if e.kind == EventKind.markDeleted {
                    marks[e.step] = nil
                } else if e.kind == EventKind.earlyStop {
                    if marks[e.step] == nil { marks[e.step] = "early_stop (suggested)" }
                    events[e.step, default: []].append(e.kind)
                } else {
                    events[e.step, default: []].append(Sanitize.text(e.kind))
                }
            default: break
            }
        }
        let steps = Set(rows.keys).union(marks.keys).union(events.keys).sorted()
        let smoothedNames = smoothing > 0 ? names.filter { SeriesTable.smoothedNames.contains($0) } : []
        var smoothers = Dictionary(uniqueKeysWithValues: smoothedNames.map { ($0, DebiasedEMA(weight: smoothing)) })
        var features: String?, data = ""
        for case .header(let h) in records {
            features = h.config["fid_features"]?.string
            data = RunData.dataName(h.config)
        }
        for case .metrics(let m) in records {
            if let f = FrechetLabel.featureSpace(of: m) { features = f }
        }
        let fidColumn = FrechetLabel.column(features: features, data: data)
        var out = (["step"] + names.map { $0 == MetricName.fid ? fidColumn : $0 } + smoothedNames.map { "smoothed_" + $0 } + ["mark", "events"]).map(field).joined(separator: ",") + "\n"
        for step in steps {
            let values = rows[step] ?? [:]
            var cells = [String(step)]
            cells += names.map { values[$0].map(number) ?? "" }
            for name in smoothedNames {
                if let v = values[name] { cells.append(number(smoothers[name]!.next(v))) } else { cells.append("") }
            }
            cells.append(field(marks[step] ?? ""))
            cells.append(field((events[step] ?? []).joined(separator: ";")))
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Shortest round-tripping decimal; `nan` for non-finite values.
    static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "nan" }

    /// A CSV field, quoted when it holds a comma, quote or newline (RFC 4180).
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Sample grid

    /// An RGB raster: `width` × `height` pixels, 3 bytes each, row-major.
    public struct Raster: Equatable, Sendable {
        public var width: Int
        public var height: Int
        public var rgb: [UInt8]

        init(width: Int, height: Int, background: UInt8) {
            self.width = width
            self.height = height
            rgb = [UInt8](repeating: background, count: width * height * 3)
        }

        mutating func set(_ x: Int, _ y: Int, _ r: UInt8, _ g: UInt8, _ b: UInt8) {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            let i = 3 * (y * width + x)
            rgb[i] = r; rgb[i + 1] = g; rgb[i + 2] = b
        }

        /// Paints the rectangle of `width` × `height` pixels from (x, y) in one colour (clipped to the image).
        mutating func fill(x: Int, y: Int, width: Int, height: Int, _ c: (UInt8, UInt8, UInt8)) {
            for yy in y..<(y + height) { for xx in x..<(x + width) { set(xx, yy, c.0, c.1, c.2) } }
        }
    }

    /// Pixels between pairs and around the grid, and the frame width around a memorized pair.
    public static let gridGap = 2
    public static let frameWidth = 1

    /// Image samples: one row per sample, the sample then its nearest training image, each pixel a `scale` ×
    /// `scale` grey square, on a mid-grey background; memorized pairs (d1/d2 < `k`) framed in red.
    /// Vector samples: a 2-D scatter on the two principal axes (`scale` × 64 pixels square), nearest training
    /// points grey, samples blue, memorized samples red. Nil when the preview has no samples.
    public static func sampleGrid(_ preview: SamplePreview, k: Double, scale: Int = 4) -> Raster? {
        guard preview.count > 0 else { return nil }
        let memorized = preview.ratios.map { $0.isFinite && $0 < k }
        switch preview.content {
        case .images(let samples, let neighbours):
            let w = samples[0].width * scale, h = samples[0].height * scale
            let g = gridGap + 2 * frameWidth
            var raster = Raster(width: g + 2 * w + gridGap + g, height: g + samples.count * (h + g), background: 128)
            for i in samples.indices {
                let top = g + i * (h + g)
                if memorized[i] {
                    let x0 = g - frameWidth, y0 = top - frameWidth
                    let x1 = g + 2 * w + gridGap + frameWidth - 1, y1 = top + h + frameWidth - 1
                    for x in x0...x1 { raster.set(x, y0, 220, 30, 30); raster.set(x, y1, 220, 30, 30) }
                    for y in y0...y1 { raster.set(x0, y, 220, 30, 30); raster.set(x1, y, 220, 30, 30) }
                }
                for (j, image) in [samples[i], neighbours[i]].enumerated() {
                    let left = g + j * (w + gridGap)
                    for y in 0..<h {
                        for x in 0..<w {
                            let v = image[x / scale, y / scale]
                            raster.set(left + x, top + y, v, v, v)
                        }
                    }
                }
            }
            return raster
        case .vectors(let samples, let nearest):
            let side = 64 * scale
            var raster = Raster(width: side, height: side, background: 255)
            let points = (samples + nearest).filter { $0.0.isFinite && $0.1.isFinite }
            guard let x0 = points.map(\.0).min(), let x1 = points.map(\.0).max(),
                  let y0 = points.map(\.1).min(), let y1 = points.map(\.1).max() else { return raster }
            let margin = 4 * scale
            let span = Double(side - 1 - 2 * margin)
            let place = { (p: (Double, Double)) -> (Int, Int) in
                (margin + Int(x1 > x0 ? ((p.0 - x0) / (x1 - x0) * span).rounded() : span / 2),
                 margin + Int(y1 > y0 ? ((y1 - p.1) / (y1 - y0) * span).rounded() : span / 2))
            }
            let dot = { (p: (Double, Double), color: (UInt8, UInt8, UInt8), raster: inout Raster) in
                guard p.0.isFinite, p.1.isFinite else { return }
                let (cx, cy) = place(p)
                raster.fill(x: cx - scale, y: cy - scale, width: 2 * scale + 1, height: 2 * scale + 1, color)
            }
            for p in nearest { dot(p, (150, 150, 150), &raster) }
            for (i, p) in samples.enumerated() { dot(p, memorized[i] ? (220, 30, 30) : (30, 90, 220), &raster) }
            return raster
        }
    }

    // MARK: - Snapshot

    /// One frame of the replay dashboard at the end of the run (no colour, as plain text).
    public static func snapshot(_ records: [RunRecord], width: Int, height: Int, glyphs: GlyphSet = .unicode) -> String {
        var state = DashboardState(mode: .replay, width: width, height: height, glyphs: glyphs, theme: .monochrome)
        state.colorDepth = .none
        state.fold(records)
        return DashboardView.render(state, width: width, height: height).text
    }
}
