import ArgumentParser
import Dashboard
import Foundation
import PNGFile
import RunFiles
import ExternalRuns
import RunFormat
import TerminalUI

/// `genwindow export RUN`: the run's series and marks as CSV, its samples as a PNG grid, or one dashboard frame
/// as text.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a run: series and marks as CSV, samples as PNG, or one dashboard frame as text.",
        discussion: """
            --csv: one row per step; every metric, smoothed loss series, marks and events.
            --png: the samples of one evaluation (--step, default the last) beside their nearest training images, \
            memorized pairs framed in red; for vector data a scatter on the training set's principal axes.
            --snapshot: the replay dashboard at the end of the run as plain text on stdout (--width × --height).
            """
    )

    @Argument(help: "The run file (.jsonl), or a run genwindow did not train (TensorBoard event file or log directory, CSV, JSON lines: --csv names unmapped tags' columns by their tags).")
    var path: String

    @OptionGroup(title: "Runs genwindow did not train") var input: ExternalInputOptions

    @Option(name: .customLong("run"), help: "The run of a TensorBoard log directory to export (its path under the directory, as `watch` names it), when it holds several.")
    var runName: String?

    @Option(help: "Write the series, smoothed series and marks to this CSV file.")
    var csv: String?

    @Option(help: "Write the sample grid with nearest training neighbours to this PNG file.")
    var png: String?

    @Flag(help: "Print one frame of the dashboard as plain text to stdout.")
    var snapshot = false

    @Option(parsing: .unconditional, help: "Smoothing weight of the CSV's smoothed columns (0 leaves them out).")
    var smoothing = 0.6

    @Option(parsing: .unconditional, help: "PNG: the evaluation step to show (the last samples record at or before it; default the last).")
    var step: Int?

    @Option(parsing: .unconditional, help: "PNG: pixels per image pixel.")
    var scale = 4

    @Option(parsing: .unconditional, help: "Snapshot width in columns.")
    var width = 120

    @Option(parsing: .unconditional, help: "Snapshot height in rows.")
    var height = 36

    @Flag(help: "Snapshot in ASCII only.")
    var ascii = false

    func validate() throws {
        if csv == nil && png == nil && !snapshot { throw ValidationError("nothing to export: give --csv PATH, --png PATH or --snapshot") }
        if !(smoothing >= 0 && smoothing < 1) { throw ValidationError("--smoothing must be in [0, 1), got \(smoothing)") }
        if let step, step < 0 { throw ValidationError("--step must be at least 0, got \(step)") }
        if !(1...64).contains(scale) { throw ValidationError("--scale must be 1…64, got \(scale)") }
        let (minimumWidth, minimumHeight) = (DashboardView.minimumWidth, DashboardView.minimumHeight)
        if !(minimumWidth...1000).contains(width) {
            throw ValidationError("--width must be in \(minimumWidth)…1000 (the smallest dashboard is \(minimumWidth)×\(minimumHeight)), got \(width)")
        }
        if !(minimumHeight...1000).contains(height) {
            throw ValidationError("--height must be in \(minimumHeight)…1000 (the smallest dashboard is \(minimumWidth)×\(minimumHeight)), got \(height)")
        }
    }

    func run() throws {
        let records = try readRecords()
        // With --snapshot, stdout carries the frame alone and what was written is reported on stderr.
        let report: (String) -> Void = snapshot ? { writeStandardError($0 + "\n") } : { print($0) }
        if let csv {
            try OutputPath.createParents(of: csv)
            let text = Export.csv(records, smoothing: smoothing)
            do {
                try text.write(toFile: csv, atomically: true, encoding: .utf8)
            } catch {
                throw RuntimeError("\(csv): cannot write the CSV file")
            }
            let rows = text.split(separator: "\n", omittingEmptySubsequences: true).count - 1
            report("wrote \(csv) (\(rows) row\(rows == 1 ? "" : "s"))")
        }
        if let png {
            let (width, height) = try writePNG(records, to: png)
            report("wrote \(png) (\(width)×\(height) pixels)")
        }
        if snapshot {
            print(Export.snapshot(records, width: width, height: height, glyphs: ascii ? .ascii : .unicode))
        }
    }

    /// The run's records, header first: a genwindow run file as written, an external run as `replay` shows it
    /// (what genwindow measured on it is in its record file, RUN.genwindow.jsonl, itself a run to export).
    private func readRecords() throws -> [RunRecord] {
        guard let source = try input.source(path: path, live: false) else {
            if runName != nil { throw RuntimeError("--run chooses among the runs of a TensorBoard log directory; \(path) is a genwindow run") }
            do {
                let log = try RunReader.read(path: path, malformed: .skip)
                return [RunRecord.header(log.header)] + log.records
            } catch {
                throw RuntimeError("\(error)")
            }
        }
        var byRun: [RunKey: [RunRecord]] = [:]
        for update in source.poll() {
            switch update.change {
            case .header(let h): byRun[update.run] = [.header(h)]
            case .records(let rs): byRun[update.run, default: []] += rs
            case .restarted: byRun[update.run] = []
            case .problem(let p): writeStandardError("genwindow: warning: \(p)\n")
            default: break
            }
        }
        let runs = byRun.filter { $0.value.first.map { if case .header = $0 { true } else { false } } ?? false }
        let names = runs.keys.map(\.name).sorted()
        if let runName {
            guard let key = runs.keys.first(where: { $0.name == runName }) else {
                throw RuntimeError("--run: no run '\(runName)' with scalars in \(path); its runs: \(names.isEmpty ? "none" : names.joined(separator: ", "))")
            }
            return runs[key]!
        }
        guard runs.count == 1 else {
            throw RuntimeError(runs.isEmpty ? "\(path): no scalars to export"
                : "\(path) holds \(runs.count) runs; choose one with --run (\(names.joined(separator: ", ")))")
        }
        return runs.values.first!
    }

    /// Writes the sample grid and returns its size in pixels.
    private func writePNG(_ records: [RunRecord], to path: String) throws -> (width: Int, height: Int) {
        var state = DashboardState(mode: .replay)
        state.fold(records)
        let preview = step.map { state.preview(atOrBefore: $0) } ?? state.previews.last
        guard let preview else {
            throw RuntimeError("\(self.path): no samples records\(step.map { " at or before step \($0)" } ?? "") to draw")
        }
        guard let raster = Export.sampleGrid(preview, k: state.memorizationK, scale: scale) else {
            throw RuntimeError("\(self.path): the samples record at step \(preview.step) is empty")
        }
        try OutputPath.createParents(of: path)
        do {
            try PNGFile.write(RGBImage(width: raster.width, height: raster.height, pixels: raster.rgb), to: path)
        } catch {
            throw RuntimeError("\(error)")
        }
        return (raster.width, raster.height)
    }
}
