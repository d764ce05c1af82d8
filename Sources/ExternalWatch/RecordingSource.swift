import Foundation
import RunFormat

/// An external source whose runs are recorded: each run's records go to its record file (`RecordFile`, or the
/// file `--record` names for a single run) as the dashboard receives them, together with what genwindow
/// measures on the run's samples (`SampleMeasurements`) and the marks the user sets there.
public final class RecordingSource: RecordSource {
    private let inner: any RecordSource
    private let recordPath: String?
    private let measurements: SampleMeasurements?
    private var runs: [RunKey: RecordedRun] = [:]
    private var order: [RunKey] = []
    private var innerFinished = Set<RunKey>()
    private var announced = Set<RunKey>()

    private let headerFields: JSONObject

    /// `record`: the record file of the source's first run (the others get theirs beside them); `headerFields`:
    /// how the samples are measured (the training set, the scale rule, k…), added to each run's header config.
    public init(_ inner: any RecordSource, record: String? = nil, measurements: SampleMeasurements? = nil,
                headerFields: JSONObject = JSONObject()) {
        self.inner = inner
        recordPath = record
        self.measurements = measurements
        self.headerFields = headerFields
    }

    public var path: String { inner.path }
    public var isLive: Bool { inner.isLive }
    /// As the source's; measurements finishing in the background are collected at least every half second.
    public var pollInterval: Double? {
        guard measurements != nil else { return inner.pollInterval }
        return min(inner.pollInterval ?? 0.5, 0.5)
    }

    public func markFile(for run: RunKey) -> String? { runs[run]?.markFile }

    /// The record file of each run seen so far.
    public var recordFiles: [RunKey: String] { runs.mapValues(\.file) }

    public func poll() -> [SourceUpdate] {
        var out: [SourceUpdate] = []
        for var update in inner.poll() {
            let run = recorded(update.run)
            if case .header(var h) = update.change {
                for (key, value) in headerFields where h.config[key] == nil { h.config[key] = value }
                update.change = .header(h)
            }
            if update.change == .finished {
                // The run ends once its samples are all measured.
                innerFinished.insert(update.run)
                continue
            }
            for change in run.record(update.change) { out.append(SourceUpdate(run: update.run, change: change)) }
            if case .header = update.change, let measurements {
                measurements.runStarted(update.run, history: run.own)
            }
        }
        if let measurements {
            measurements.observe(sourceOf: inner)
            for (key, result) in measurements.take() {
                let run = recorded(key)
                switch result {
                case .records(let records):
                    for change in run.add(records) { out.append(SourceUpdate(run: key, change: change)) }
                case .problem(let text):
                    out.append(SourceUpdate(run: key, change: .problem(text)))
                }
            }
        }
        for key in order where innerFinished.contains(key) && !announced.contains(key) {
            guard measurements?.isIdle(key) ?? true else { continue }
            if let measurements {
                for change in runs[key]!.add(measurements.finish(key)) { out.append(SourceUpdate(run: key, change: change)) }
            }
            announced.insert(key)
            for change in runs[key]!.record(.finished) { out.append(SourceUpdate(run: key, change: change)) }
        }
        for key in order { for change in runs[key]!.flush() { out.append(SourceUpdate(run: key, change: change)) } }
        return out
    }

    private func recorded(_ key: RunKey) -> RecordedRun {
        if let run = runs[key] { return run }
        let file = order.isEmpty ? (recordPath ?? RecordFile.path(for: key)) : RecordFile.path(for: key)
        let run = RecordedRun(file: file)
        runs[key] = run
        order.append(key)
        return run
    }
}
