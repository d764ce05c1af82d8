import Datasets
import Foundation
import Inception
import Metrics
import NumericCore
import RunFiles

/// Live FID in Inception-v3 features, computed on a thread of its own so that the training thread never waits
/// for the network: the training thread offers an evaluation's samples (`offer`, admitted by `InceptionCadence`)
/// and later collects the finished FIDs (`takeFinished`), which it records at the step of their samples.
///
/// The reference statistics are fitted before training (`prepare`, from the `StatisticsCache` or computed and
/// stored there). The thread takes one job at a time, oldest first. Images go through the network a few at a time
/// on one workspace (one core), so `stop()` takes effect within a few images; features are the same bits as the
/// whole set's at once (`InceptionNetwork` is batch-invariant).
final class InceptionFIDWorker: @unchecked Sendable {
    /// The images of one evaluation's samples.
    struct Job: Sendable {
        let step: Int
        let images: InceptionImages
    }

    /// A finished FID of the samples of `step` (NaN when the distance could not be computed).
    struct Result: Sendable, Equatable {
        let step: Int
        let fid: Double
        let samples: Int
        /// The worker's busy seconds so far (`InceptionCadence.busySeconds`), this FID included.
        let busySeconds: Double
        /// Whether the reference statistics came from the cache.
        let referenceCached: Bool
    }

    /// Images per call of the network between two checks for `stop()`.
    static let chunk = 8

    private let network: InceptionNetwork
    private let reference: GaussianStatistics
    /// Whether `reference` came from the cache.
    private let referenceCached: Bool
    /// The worker thread's own scratch memory.
    private let workspace = InceptionWorkspace()
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var waiting: [Job] = []
    private var running: Job?
    private var finished: [(job: Job, result: Result)] = []
    private var cadence: InceptionCadence
    private var started = false
    private var stopped = false

    init(network: InceptionNetwork, reference: GaussianStatistics, referenceCached: Bool, cadence: InceptionCadence) {
        self.network = network
        self.reference = reference
        self.referenceCached = referenceCached
        self.cadence = cadence
    }

    /// The worker for `reference` (the held-out images): their statistics from `cache`, or computed and stored
    /// there; the cadence starts with the seconds per image measured on them (on one image when they were
    /// cached), so that the first FID is admitted by the rule like every other. Runs before training.
    static func prepare(network: InceptionNetwork, reference: InceptionImages, cache: StatisticsCache,
                        share: Double) -> InceptionFIDWorker {
        let key = cacheKey(reference, network: network)
        let workspace = [InceptionWorkspace()]
        let start = RunWriter.monotonicSeconds()
        let statistics: GaussianStatistics, timed: Int
        if let cached = cache.load(key) {
            _ = network.features(of: reference.subset(0..<1), workspaces: workspace)
            (statistics, timed) = (cached, 1)
        } else {
            statistics = GaussianStatistics(features: network.features(of: reference, workspaces: workspace))
            timed = reference.count
            // A cache that cannot be written costs the next run this computation again, nothing else.
            try? cache.store(statistics, key: key)
        }
        let perImage = (RunWriter.monotonicSeconds() - start) / Double(timed)
        return InceptionFIDWorker(network: network, reference: statistics, referenceCached: timed == 1,
                                  cadence: InceptionCadence(share: share, secondsPerImage: perImage))
    }

    /// The images the network sees for rows `rows` of `points` (model space): each value mapped back to its
    /// pixel intensity, clamped to [0, 1] and scaled to [0, 255], grey (`dataset.shape` is [height, width]).
    static func images(_ points: Matrix<Float>, rows: [Int], dataset: Dataset) -> InceptionImages {
        precondition(dataset.isImage, "Inception features need image data")
        let d = points.cols
        var pixels = [Float](repeating: 0, count: rows.count * d)
        for (i, r) in rows.enumerated() {
            for j in 0..<d {
                pixels[i * d + j] = min(max(dataset.pixelIntensity(points[r, j], feature: j), 0), 1) * 255
            }
        }
        return InceptionImages(count: rows.count, height: dataset.shape[0], width: dataset.shape[1], channels: 1,
                               pixels: pixels)
    }

    /// The statistics cache key of a set of images: the same as `metrics fd --features inception` uses.
    static func cacheKey(_ images: InceptionImages, network: InceptionNetwork) -> String {
        StatisticsCache.inceptionKey(weights: network.weightsFingerprint,
                                     shape: [images.count, images.height, images.width, images.channels], pixels: images.pixels)
    }

    /// Starts the thread (once).
    func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread { [self] in work() }
        thread.name = "genwindow-inception"
        thread.start()
    }

    /// Queues `job` when no FID is running or waiting and the cadence admits it `elapsed` seconds into the run;
    /// returns whether it was queued. Never blocks on the network.
    func offer(_ job: Job, elapsed: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, running == nil, waiting.isEmpty,
              cadence.admits(images: job.images.count, elapsed: elapsed) else { return false }
        waiting.append(job)
        condition.broadcast()
        return true
    }

    /// Jobs admitted before a resume, queued again without the cadence (before `start`), and the busy seconds
    /// the run had spent (the seconds per image stay this machine's, measured in `prepare`).
    func requeue(_ jobs: [Job], busySeconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        waiting = jobs.sorted { $0.step < $1.step }
        cadence = InceptionCadence(share: cadence.share, busySeconds: busySeconds, secondsPerImage: cadence.secondsPerImage)
    }

    /// The FIDs finished since the last call, oldest step first; does not wait.
    func takeFinished() -> [Result] {
        condition.lock()
        defer { condition.unlock() }
        return drain()
    }

    /// Waits until every queued job has finished (or `stop()`), then returns what `takeFinished` would.
    func waitForAll() -> [Result] {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && (running != nil || !waiting.isEmpty) { condition.wait() }
        return drain()
    }

    /// Every job whose FID has not been taken yet (finished, running or waiting), by step, and the busy seconds:
    /// what a saved state needs so that a resumed run reports them and keeps to its share.
    func unreported() -> (jobs: [Job], busySeconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        let jobs = finished.map(\.job) + (running.map { [$0] } ?? []) + waiting
        return (jobs.sorted { $0.step < $1.step }, cadence.busySeconds)
    }

    /// Drops the queue and ends the thread after its current few images.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        waiting.removeAll()
        condition.broadcast()
    }

    private func drain() -> [Result] {
        let results = finished.map(\.result).sorted { $0.step < $1.step }
        finished.removeAll()
        return results
    }

    private var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    // MARK: - The worker thread

    private func work() {
        while let job = next() {
            let t0 = RunWriter.monotonicSeconds()
            let fid = features(of: job.images).map {
                (try? FrechetDistance.between(GaussianStatistics(features: $0), reference)) ?? .nan
            }
            condition.lock()
            running = nil
            if let fid {
                cadence.record(seconds: RunWriter.monotonicSeconds() - t0, images: job.images.count)
                finished.append((job, Result(step: job.step, fid: fid, samples: job.images.count,
                                             busySeconds: cadence.busySeconds, referenceCached: referenceCached)))
            }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next job (now running), or nil once stopped.
    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !stopped { condition.wait() }
        if stopped { return nil }
        running = waiting.removeFirst()
        return running
    }

    /// pool3 features of `images`, `chunk` images per call; nil when stopped meanwhile.
    private func features(of images: InceptionImages) -> Matrix<Float>? {
        let width = InceptionNetwork.featureCount
        var out = Matrix<Float>(rows: images.count, cols: width)
        for lo in stride(from: 0, to: images.count, by: Self.chunk) {
            if isStopped { return nil }
            let hi = min(lo + Self.chunk, images.count)
            let part = network.features(of: images.subset(lo..<hi), workspaces: [workspace])
            out.storage.replaceSubrange(lo * width..<hi * width, with: part.storage)
        }
        return out
    }
}
