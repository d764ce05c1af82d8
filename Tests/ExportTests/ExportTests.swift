import CPNG
import Dashboard
import Foundation
import PNGFile
import RunFormat
import Testing

/// A small run with two metrics records at one step, a NaN, a mark with a comma, a deleted mark and events.
private let records: [RunRecord] = [
    .header(RunHeader(created: "2026-11-23T00:00:00Z", model: "ddpm", config: ["n": 4, "mem_k": 0.5])),
    .metrics(MetricsRecord(step: 0, timeSeconds: 0, values: [("train_loss", 1.0), ("test_loss", 2.0)])),
    .metrics(MetricsRecord(step: 10, timeSeconds: 1, values: [("train_loss", 0.5), ("test_loss", nil)])),
    .metrics(MetricsRecord(step: 10, timeSeconds: 1, values: [("mem_frac", 0.25)])),
    .mark(MarkRecord(step: 10, label: "best, \"really\"")),
    .mark(MarkRecord(step: 15, label: "gone")),
    .event(EventRecord(kind: "mark_deleted", step: 15)),
    .event(EventRecord(kind: "tau_gen", step: 10)),
    .event(EventRecord(kind: "early_stop", step: 20)),
    .metrics(MetricsRecord(step: 20, timeSeconds: 2, values: [("train_loss", 0.25), ("test_loss", 1.0)])),
]

/// RFC 4180 fields of one CSV line.
private func fields(_ line: Substring) -> [String] {
    var out: [String] = [], cur = "", quoted = false, chars = Array(line), i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" && i + 1 < chars.count && chars[i + 1] == "\"" { cur.append("\""); i += 1 }
            else if c == "\"" { quoted = false } else { cur.append(c) }
        } else if c == "\"" { quoted = true } else if c == "," { out.append(cur); cur = "" } else { cur.append(c) }
        i += 1
    }
    out.append(cur)
    return out
}

@Suite struct ExportTests {
    @Test func csvReadsBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-export-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("run.csv").path
        try Export.csv(records, smoothing: 0.5).write(toFile: path, atomically: true, encoding: .utf8)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let table = lines.map(fields)
        #expect(table[0] == ["step", "train_loss", "test_loss", "mem_frac", "smoothed_train_loss", "smoothed_test_loss", "mark", "events"])
        #expect(table.count == 4 && table.allSatisfy { $0.count == 8 })
        #expect(table.map { $0[0] } == ["step", "0", "10", "20"])
        #expect(table[2][1] == "0.5" && table[2][2] == "nan" && table[2][3] == "0.25" && table[1][3] == "")
        #expect(table[2][6] == "best, \"really\"" && table[2][7] == "tau_gen")
        #expect(table[3][6] == "early_stop (suggested)" && table[3][7] == "early_stop")
        #expect(!lines.contains { $0.contains("gone") })
        // Debiased EMA at 0.5 on 1, 0.5, 0.25: 1, (0.25+0.25)/0.75, (0.25·0.5+0.125+... )
        let s = table[1...3].map { Double($0[4])! }
        let expected = DebiasedEMA.smooth([1, 0.5, 0.25], weight: 0.5)
        #expect(s == expected && abs(s[1] - 2.0 / 3.0) < 1e-12)
        #expect(table[2][5] == "nan" && Double(table[3][5])! == DebiasedEMA.smooth([2, .nan, 1], weight: 0.5)[2])
    }

    @Test func pngDecodesBackPixelForPixel() throws {
        let samples = [[UInt8]](repeating: [], count: 2).enumerated().map { k, _ in (0..<6).map { UInt8(40 * $0 + k) } }
        let record = RunRecord.other(type: "samples", fields: [
            "step": 20, "shape": [2, 3],
            "samples": .array(samples.map { .array($0.map { .number(Double($0)) }) }),
            "neighbours": .array(samples.map { .array($0.reversed().map { .number(Double($0)) }) }),
            "ratios": [0.1, 0.9],
        ])
        var state = DashboardState(mode: .replay)
        state.fold(records + [record])
        #expect(state.memorizationK == 0.5)
        let raster = try #require(Export.sampleGrid(state.previews[0], k: state.memorizationK, scale: 3))
        let g = Export.gridGap + 2 * Export.frameWidth
        #expect(raster.width == g + 2 * 9 + Export.gridGap + g && raster.height == g + 2 * (6 + g))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-grid-\(getpid()).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PNGFile.write(RGBImage(width: raster.width, height: raster.height, pixels: raster.rgb), to: path)

        // Decode with libpng directly, not through PNGFile.
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        #expect(png_image_begin_read_from_file(&png, path) != 0)
        png.format = UInt32(PNG_FORMAT_RGB)
        var decoded = [UInt8](repeating: 0, count: Int(png.width * png.height) * 3)
        let ok = decoded.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }
        png_image_free(&png)
        #expect(ok != 0 && Int(png.width) == raster.width && Int(png.height) == raster.height)
        #expect(decoded == raster.rgb)
        let pixel = { (x: Int, y: Int) in Array(decoded[(3 * (y * raster.width + x))..<(3 * (y * raster.width + x) + 3)]) }
        // sample 1 (not memorized), pixel (2, 1) = 40·5 + 1, drawn as a 3×3 square; its neighbour reversed.
        let top1 = g + (6 + g)
        #expect(pixel(g + 2 * 3 + 2, top1 + 1 * 3 + 1) == [201, 201, 201])
        #expect(pixel(g + 9 + Export.gridGap + 2 * 3, top1 + 3) == [1, 1, 1])
        // sample 0 is memorized (0.1 < 0.5): red frame; sample 1 is not.
        #expect(pixel(g - 1, g - 1) == [220, 30, 30] && pixel(g - 1, top1 - 1) == [128, 128, 128])
        #expect(try PNGFile.read(path) == RGBImage(width: raster.width, height: raster.height, pixels: raster.rgb))
    }

    @Test func vectorSamplesBecomeAScatter() throws {
        let record = RunRecord.other(type: "samples", fields: [
            "step": 5, "projection": [[1, 0], [0, 1]],
            "samples": [[0, 0], [10, 10]], "nearest": [[0, 10], [10, 0]], "ratio": [0.9, 0.1],
        ])
        var state = DashboardState(mode: .replay)
        state.fold(record)
        let raster = try #require(Export.sampleGrid(state.previews[0], k: 1.0 / 3.0, scale: 2))
        #expect(raster.width == 128 && raster.height == 128)
        let margin = 8, far = 128 - 1 - margin
        let at = { (x: Int, y: Int) in Array(raster.rgb[(3 * (y * 128 + x))..<(3 * (y * 128 + x) + 3)]) }
        #expect(at(margin, far) == [30, 90, 220])     // sample (0, 0): bottom left, not memorized
        #expect(at(far, margin) == [220, 30, 30])     // sample (10, 10): top right, memorized
        #expect(at(margin, margin) == [150, 150, 150] && at(far, far) == [150, 150, 150])   // nearest training points
        #expect(at(64, 64) == [255, 255, 255])
    }

    @Test func unreadablePNGIsAnError() {
        #expect(throws: PNGError.self) { try PNGFile.read("/nonexistent/x.png") }
    }
}
