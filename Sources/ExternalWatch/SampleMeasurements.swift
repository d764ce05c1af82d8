import ExternalRuns
import Foundation
import NumericCore
import RunFormat

/// What genwindow measures on one run's samples: each dump or image grid gives records (the memorized fraction,
/// the Fréchet distance, a preview, the events they move). One per run, used from one thread at a time.
public protocol DumpMeasuring: AnyObject {
    /// The records of one `.npy` dump at `step`; `name` (the file's) starts an error's line.
    func measure(_ dump: NpyArray, step: Int, name: String?) throws -> [RunRecord]
    /// The records of one image summary (an `add_images` grid) at its step.
    func measure(image: ImageEntry) throws -> [RunRecord]
    /// Takes in the measurements an earlier session recorded, so the events are found over the whole run.
    func restore(_ records: [RunRecord])
    /// The final events (early stop), once the run has ended and every sample is measured.
    func finish() -> [RunRecord]
}

/// Measures the samples of external runs off the polling thread: dumps appearing in `--samples DIR` (for the run
/// holding that folder, else the first run) and image summaries tagged `--samples-tag` (each run its own). The
/// polling thread hands work in (`runStarted`, `observe`) and takes results out (`take`); a worker thread does
/// the reading and measuring. A half-written dump is retried later and never measured twice.
public final class SampleMeasurements: @unchecked Sendable {
    /// One result for one run.
    public enum Result: Equatable, Sendable {
        case records([RunRecord])
        case problem(String)
    }

    private let folder: SampleDumpFolder?
    private let imageTag: String?
    private let makeMeasurer: (RunKey) throws -> any DumpMeasuring
    private let condition = NSCondition()
    /// Held while a measurer works, so that `finish` never runs beside `measure`.
    private let measuring = NSLock()
    // Guarded by `condition`:
    private var measurers: [RunKey: any DumpMeasuring] = [:]
    /// Runs whose measurer is still to be made, with the records to restore into it.
    private var starting: [RunKey: [RunRecord]] = [:]
    private var skipped: [RunKey: Set<Int>] = [:]
    private var dumpRun: RunKey?
    private var images: [(RunKey, ImageEntry)] = []
    private var results: [(RunKey, Result)] = []
    private var busy = 0
    private var folderScanned = 0
    private var stopped = false
    // Polling thread only:
    private var imageCursor: [RunKey: Int] = [:]
    private var worker: Thread?

    /// `dumps`: the folder of `.npy` dumps, if any; `imageTag`: the image summaries to measure, if any;
    /// `makeMeasurer` builds a run's measurer (it runs on the worker thread; an error is reported on the run).
    public init(dumps: String?, imageTag: String?, makeMeasurer: @escaping (RunKey) throws -> any DumpMeasuring) {
        folder = dumps.map(SampleDumpFolder.init(path:))
        self.imageTag = imageTag
        self.makeMeasurer = makeMeasurer
    }

    deinit { stop() }

    /// A run's header arrived; `history` holds the records genwindow wrote for it before (its measurements, at
    /// steps not measured again, and their events).
    public func runStarted(_ run: RunKey, history: [RunRecord]) {
        condition.lock()
        if measurers[run] == nil && starting[run] == nil { starting[run] = history }
        skipped[run, default: []].formUnion(history.compactMap { if case .metrics(let m) = $0 { m.step } else { nil } })
        if let folder, dumpRun == nil || (Self.holds(run.path, folder.path) && !Self.holds(dumpRun!.path, folder.path)) {
            dumpRun = run
        }
        condition.signal()
        condition.unlock()
        startWorker()
    }

    /// Hands over the image summaries `source` read since the last call (TensorBoard's; other sources have none).
    public func observe(sourceOf source: any RecordSource) {
        guard let imageTag, let tb = source as? ImageSummaries else { return }
        var found: [(RunKey, ImageEntry)] = []
        for run in tb.runKeys {
            let all = tb.images(of: run)
            var from = imageCursor[run] ?? 0
            if from > all.count { from = 0 }  // purged or read again: start over (measured steps are skipped)
            found += all[from...].filter { $0.tag == imageTag }.map { (run, $0) }
            imageCursor[run] = all.count
        }
        guard !found.isEmpty else { return }
        condition.lock()
        images += found
        condition.signal()
        condition.unlock()
    }

    /// The results finished since the last call, in the order they were made.
    public func take() -> [(RunKey, Result)] {
        condition.lock()
        defer { condition.unlock() }
        let out = results
        results = []
        return out
    }

    /// Whether nothing is queued or being measured for `run`, and, when the dump folder is the run's, the worker
    /// has read it twice (a half-written dump is given up on at its second read at the same size).
    public func isIdle(_ run: RunKey) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let idle = busy == 0 && starting[run] == nil && !images.contains { $0.0 == run } && (folder == nil || dumpRun != run || folderScanned >= 2)
        if !idle { condition.signal() }
        return idle && results.allSatisfy { $0.0 != run }
    }

    /// The run's final events.
    public func finish(_ run: RunKey) -> [RunRecord] {
        condition.lock()
        let measurer = measurers[run]
        condition.unlock()
        measuring.lock()
        defer { measuring.unlock() }
        return measurer?.finish() ?? []
    }

    /// Ends the worker thread once its current round is over.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func startWorker() {
        guard worker == nil else { return }
        let thread = Thread { [weak self] in
            while let self, self.work() {}
        }
        thread.name = "genwindow-measure"
        worker = thread
        thread.start()
    }

    /// One round of the worker: read the dump folder, measure what is new; false once stopped.
    private func work() -> Bool {
        condition.lock()
        if stopped {
            condition.unlock()
            return false
        }
        let target = dumpRun
        let starts = starting
        starting = [:]
        busy += 1
        condition.unlock()
        for (run, history) in starts.sorted(by: { $0.key < $1.key }) {
            let result: Result?
            do {
                let m = try makeMeasurer(run)
                m.restore(history)
                condition.lock()
                measurers[run] = m
                condition.unlock()
                result = nil
            } catch {
                result = .problem("\(error)")
            }
            if let result {
                condition.lock()
                results.append((run, result))
                condition.unlock()
            }
        }
        var jobs: [(RunKey, Job)] = []
        var problems: [(RunKey, Result)] = []
        if let folder, let target {
            let polled = folder.poll()
            jobs += polled.dumps.map { (target, .dump($0)) }
            problems += polled.problems.map { (target, .problem($0)) }
        }
        condition.lock()
        if folder != nil && target != nil { folderScanned += 1 }
        jobs += images.map { ($0.0, .image($0.1)) }
        images = []
        results += problems
        condition.unlock()
        for (run, job) in jobs {
            condition.lock()
            let measurer = measurers[run]
            let skip = skipped[run]?.contains(job.step) ?? false
            condition.unlock()
            guard let measurer, !skip else { continue }
            let result: Result
            measuring.lock()
            defer { measuring.unlock() }
            do {
                switch job {
                case .dump(let d): result = .records(try measurer.measure(d.array, step: d.step, name: job.name))
                case .image(let i): result = .records(try measurer.measure(image: i))
                }
            } catch {
                result = .problem("\(error)")
            }
            condition.lock()
            skipped[run, default: []].insert(job.step)
            results.append((run, result))
            condition.unlock()
        }
        condition.lock()
        busy -= 1
        if !stopped && images.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.5)) }
        condition.unlock()
        return true
    }

    private enum Job {
        case dump(SampleDumpFolder.Dump)
        case image(ImageEntry)

        var step: Int {
            switch self {
            case .dump(let d): d.step
            case .image(let i): i.step
            }
        }

        var name: String {
            switch self {
            case .dump(let d): (d.path as NSString).lastPathComponent
            case .image(let i): "image '\(i.tag)' at step \(i.step)"
            }
        }
    }

    /// Whether `folder` is `directory` or inside it.
    private static func holds(_ directory: String, _ folder: String) -> Bool {
        let d = URL(fileURLWithPath: directory).standardizedFileURL.path
        let f = URL(fileURLWithPath: folder).standardizedFileURL.path
        return f == d || f.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }
}
