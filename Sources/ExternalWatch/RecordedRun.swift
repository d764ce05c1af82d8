import Foundation
import RunFiles
import RunFormat

/// One external run's record file: the run's records as genwindow shows them (its scalars, what genwindow
/// measured, events and marks), appended as they arrive. A second session on the same run continues the file:
/// what it holds is shown first, and only what is newer is written.
final class RecordedRun {
    let file: String
    /// Set while records can be written (the file has a header); nil before the header and after a failure.
    private var writer: RunWriter?
    private(set) var header: RunHeader?
    /// Source metrics at or before this step are already in the file (a continued session).
    private var copiedThrough = -1
    /// genwindow's own records in the file (measurements, their previews and events, marks): what a rewrite keeps.
    private(set) var own: [RunRecord] = []
    /// (step, seconds) of the source's metrics records, in step order: measured records take the time of the
    /// source's last record at or before their step.
    private var sourceTimes: [(step: Int, time: Double)] = []
    /// Measured records that arrived before the header.
    private var waiting: [RunRecord] = []
    private var failed = false
    private var restarting = false

    init(file: String) {
        self.file = file
    }

    /// The key that marks a metrics record as measured by genwindow (its value says on what).
    static let measuredKey = "measured"

    /// Whether a record is one genwindow added rather than a copy of the source's scalars.
    static func isOwn(_ record: RunRecord) -> Bool {
        switch record {
        case .header: false
        case .metrics(let m): m.extra[measuredKey] != nil
        default: true
        }
    }

    /// The file marks go to: nil until it has a header, and when it cannot be written.
    var markFile: String? { writer == nil ? nil : file }

    /// The changes to pass on for one change of the source, writing what is new to the record file.
    func record(_ change: RunChange) -> [RunChange] {
        switch change {
        case .header(let h):
            return open(h)
        case .records(let records):
            for case .metrics(let m) in records where !Self.isOwn(.metrics(m)) { noteTime(m) }
            let fresh = records.filter { r in
                guard case .metrics(let m) = r else { return true }
                return m.step > copiedThrough
            }
            return fresh.isEmpty ? [] : write(fresh)
        case .restarted:
            restarting = true
            return [.restarted]
        case .finished:
            return flush() + [.finished]
        default:
            return [change]
        }
    }

    /// Records genwindow computed for this run (kept until the header has come).
    func add(_ measured: [RunRecord]) -> [RunChange] {
        let records = measured.map { r -> RunRecord in
            guard case .metrics(var m) = r else { return r }
            m.extra[Self.measuredKey] = "samples"
            if m.timeSeconds == 0 { m.timeSeconds = time(at: m.step) }
            return .metrics(m)
        }
        guard header != nil else {
            waiting += records
            return []
        }
        own += records
        return write(records)
    }

    /// Writes buffered records out (whole lines), so that marks appended by the dashboard interleave cleanly.
    func flush() -> [RunChange] {
        guard let w = writer else { return [] }
        do {
            try w.flush()
            return []
        } catch {
            return fail("\(error)")
        }
    }

    /// The header arrived: continue the file when it records this same source, else start it (or, after a
    /// restart or with another tag map, rewrite it keeping genwindow's own records).
    private func open(_ h: RunHeader) -> [RunChange] {
        header = h
        var out: [RunChange] = []
        if !restarting && writer == nil && !failed, let existing = try? RunReader.read(path: file, malformed: .skip) {
            guard existing.header.model == h.model, existing.header.config["source"] == h.config["source"] else {
                failed = true
                return [.header(h), .problem("\(file) exists and records another run; marks and measurements are not saved")]
            }
            own = existing.records.filter(Self.isOwn)
            for case .metrics(let m) in existing.records where !Self.isOwn(.metrics(m)) { noteTime(m) }
            if existing.header.config["map"] == h.config["map"] && existing.header.config["format"] == h.config["format"] {
                copiedThrough = existing.records.filter { !Self.isOwn($0) }.compactMap(\.step).max() ?? -1
                do {
                    writer = try RunWriter(appendingTo: file)
                } catch {
                    return [.header(existing.header), .records(existing.records)] + fail("\(error)")
                }
                out = [.header(existing.header)]
                if !existing.records.isEmpty { out.append(.records(existing.records)) }
                return out + drainWaiting()
            }
        }
        if restarting, let current = try? RunReader.read(path: file, malformed: .skip) {
            own = current.records.filter(Self.isOwn)  // marks the dashboard appended since the file was opened
        }
        restarting = false
        copiedThrough = -1
        guard !failed else { return [.header(h)] }
        do {
            writer = try RunWriter(replacing: file, header: h)
            for r in own { try writer!.append(r) }
            try writer!.flush()
        } catch {
            return [.header(h)] + fail("\(error)")
        }
        out = [.header(h)]
        if !own.isEmpty { out.append(.records(own)) }
        return out + drainWaiting()
    }

    private func noteTime(_ m: MetricsRecord) {
        if let last = sourceTimes.last, last.step > m.step {
            let at = sourceTimes.firstIndex { $0.step > m.step } ?? sourceTimes.count
            sourceTimes.insert((m.step, m.timeSeconds), at: at)
        } else {
            sourceTimes.append((m.step, m.timeSeconds))
        }
    }

    /// The time of the source's last record at or before `step` (0 before the first).
    private func time(at step: Int) -> Double {
        var lo = 0, hi = sourceTimes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sourceTimes[mid].step <= step { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : sourceTimes[lo - 1].time
    }

    private func drainWaiting() -> [RunChange] {
        let pending = waiting
        waiting = []
        return pending.isEmpty ? [] : add(pending)
    }

    /// Appends `records` to the file (when it can be written) and passes them on.
    private func write(_ records: [RunRecord]) -> [RunChange] {
        guard let w = writer else { return [.records(records)] }
        do {
            for r in records { try w.append(r) }
        } catch {
            return [.records(records)] + fail("\(error)")
        }
        return [.records(records)]
    }

    private func fail(_ message: String) -> [RunChange] {
        writer = nil
        failed = true
        return [.problem("cannot write \(file) (\(message)); marks and measurements are not saved")]
    }
}
