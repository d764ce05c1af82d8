import Metrics
import NumericCore
import RandomFeatures
import RunFormat

/// Settings of an RF run's generative mode: one RF score per diffusion time, all at the run's τ, sampled and
/// measured like a DDPM (memorized fraction, FID).
public struct RFGenerativePlan: Sendable {
    /// K: diffusion times, log-spaced in [tMin, tMax]; also the sampler's steps.
    public var times = 20
    public var tMin = 0.01
    public var tMax = 3.0
    public var sharing: RFFeatureSharing = .shared
    public var sampler: ReverseDiffusionSampler.Kind = .ode
    /// Samples per evaluation (FID and f_mem are measured on these; FID is only comparable at equal counts).
    public var samples = 500
    /// Held-out points FID is measured against (fixed for the run).
    public var referenceSize = 2000
    /// Generative evaluations per decade of τ (each also at τ = 0 and at the run's last evaluation).
    public var perDecade = 5.0
    /// Memorization threshold k on ‖x − a1‖/‖x − a2‖ (docs/science.md §1).
    public var memorizationK = 1.0 / 3.0
    public var bootstrapResamples = 1000
    /// Samples (with their nearest training points) written into each `samples` record.
    public var shown = 8

    public init() {}
}

/// The generative side of an RF run: builds the score family once, and at chosen τ samples, measures f_mem
/// (with its bootstrap interval) and FID (feature space "data", against a fixed held-out reference), and detects
/// tau_gen / tau_mem on those series with Metrics' `TimescaleDetector` (events marked `"basis": "samples"`).
final class RFGenerativeEvaluator {
    let plan: RFGenerativePlan
    private var scores: RFScoreBatch
    private var sampler: ReverseDiffusionSampler
    /// n×d: the training data, for the memorization test.
    private let training: Matrix<Float>
    private let reference: FrechetReference
    private let space = DataFeatureSpace()
    private let seed: UInt64
    /// 2×d: the two leading principal axes of the training data (the samples record's projection).
    private let projection: Matrix<Double>
    var schedule: LogEvaluationSchedule
    var fid: [SeriesPoint] = []
    var memorization: [MemorizationPoint] = []
    var tauOfStep: [Int: Double] = [:]
    /// The last event written for each kind.
    var announced: [String: EventRecord] = [:]
    /// Seconds spent building the family, and sampling plus measuring.
    let setupSeconds: Double
    var evaluationSeconds = 0.0
    var evaluations = 0

    /// `x`: training data (n×d); `heldOut`: rows the FID reference is drawn from (`referenceSize` of them).
    init(setting: RFSetting, x: Matrix<Double>, heldOut: Matrix<Double>, plan: RFGenerativePlan,
         clock: () -> Double) throws {
        let start = clock()
        self.plan = plan
        let grid = RFDiffusionGrid(count: plan.times, tMin: plan.tMin, tMax: plan.tMax)
        let family = try RFScoreFamily(base: setting, x: x, grid: grid, sharing: plan.sharing)
        scores = RFScoreBatch(family: family, batch: plan.samples)
        sampler = ReverseDiffusionSampler(kind: plan.sampler, count: plan.samples, dimension: setting.d,
                                          seed: setting.seed, stream: RFInstance.Stream.sampler.rawValue)
        training = x.converted()
        reference = try FrechetReference(testSplit: heldOut.converted(), size: plan.referenceSize, seed: setting.seed,
                                         space: space)
        projection = try Self.principalAxes(x, count: 2)
        seed = setting.seed
        schedule = LogEvaluationSchedule(perDecade: plan.perDecade)
        setupSeconds = clock() - start
    }

    /// Whether τ is on the generative schedule (the caller also evaluates at the run's last step).
    func isDue(tau: Double) -> Bool { schedule.isDue(tau: tau) }

    /// Samples with every A_t(τ), measures them and returns the metrics values, the record's extra fields and the
    /// `samples` record.
    func evaluate(step: Int, tau: Double, clock: () -> Double) throws -> (values: [(String, Double?)], extra: JSONObject,
                                                                          samples: JSONObject?) {
        let start = clock()
        scores.setTrainingTime(tau)
        sampler.run(&scores)
        let samples = sampler.samples
        let finite = samples.storage.withUnsafeBufferPointer { Elementwise.allFinite($0) }
        var values: [(String, Double?)] = []
        var record: JSONObject?
        if finite {
            let mem = MemorizedFraction.measure(samples: samples, training: training, k: plan.memorizationK,
                                                bootstrapResamples: plan.bootstrapResamples, seed: seed &+ UInt64(step))
            let distance = try? reference.distance(to: samples, in: space)
            values = [(MetricName.memFrac, mem.memFrac), (MetricName.memFracCILow, mem.ciLow),
                      (MetricName.memFracCIHigh, mem.ciHigh), (MetricName.fid, distance),
                      (MetricName.fidSamples, Double(samples.rows))]
            memorization.append(MemorizationPoint(step: step, memFrac: mem.memFrac, ciLow: mem.ciLow))
            if let distance { fid.append(SeriesPoint(step: step, value: distance)) }
            record = samplesRecord(step: step, tau: tau, samples: samples, memorization: mem)
        } else {
            values = [(MetricName.memFrac, nil), (MetricName.fid, nil), (MetricName.fidSamples, Double(samples.rows))]
        }
        tauOfStep[step] = tau
        evaluations += 1
        evaluationSeconds += clock() - start
        return (values, ["fid_features": .string(space.name)], record)
    }

    /// tau_gen, tau_mem and early_stop from the FID and f_mem series (Metrics' default criteria), as events with
    /// `"basis": "samples"` and their τ; only those that are new or changed since the last call. While the run
    /// is live only confirmed (non-provisional) detections are written — a live FID plateau is always provisional
    /// and would move with every evaluation — and when it has finished, every detection as Metrics leaves it.
    func events(state: SeriesState) -> [EventRecord] {
        let window = TimescaleDetector.window(fid: fid, memorization: memorization, state: state)
        var out: [EventRecord] = []
        for var event in window.eventRecords(generalization: .fid, memorization: .standard) {
            if state == .live && event.fields["provisional"]?.bool != false { continue }
            event.fields["basis"] = "samples"
            if let tau = tauOfStep[event.step] { event.fields["tau"] = .number(tau) }
            if announced[event.kind] != event {
                announced[event.kind] = event
                out.append(event)
            }
        }
        return out
    }

    /// What the header records of the generative mode beyond its plan: the diffusion times, the FID reference
    /// size and feature space.
    func resolve(into resolved: inout RFSettings.Resolved) {
        resolved.generativeTimes = scores.times
        resolved.fidReference = reference.rows.count
        resolved.fidFeatures = space.name
    }

    /// The first `shown` samples, their nearest training points and the projection axes, rounded to 4 decimals.
    private func samplesRecord(step: Int, tau: Double, samples: Matrix<Float>, memorization mem: MemorizationResult)
        -> JSONObject
    {
        let shown = min(plan.shown, samples.rows), d = samples.cols
        func row(_ m: Matrix<Float>, _ i: Int) -> JSONValue {
            .array((0..<d).map { .number(Self.rounded(Double(m.storage[i * d + $0]))) })
        }
        var o = JSONObject()
        o["step"] = .number(Double(step))
        o["tau"] = .number(tau)
        o["projection"] = .array((0..<projection.rows).map { r in
            .array((0..<d).map { .number(Self.rounded(projection[r, $0])) })
        })
        o["samples"] = .array((0..<shown).map { row(samples, $0) })
        o["nearest"] = .array((0..<shown).map { row(training, mem.nn1[$0]) })
        o["nearest_index"] = .array((0..<shown).map { .number(Double(mem.nn1[$0])) })
        o["ratio"] = .array((0..<shown).map { .number(Self.rounded(mem.ratio[$0])) })
        return o
    }

    static func rounded(_ x: Double) -> Double { x.isFinite ? (x * 1e4).rounded() / 1e4 : 0 }

    /// The `count` leading eigenvectors of the data's covariance, as rows (count×d).
    static func principalAxes(_ x: Matrix<Double>, count: Int) throws -> Matrix<Double> {
        let n = x.rows, d = x.cols
        var centred = x
        for k in 0..<d {
            var mean = 0.0
            for i in 0..<n { mean += x[i, k] }
            mean /= Double(n)
            for i in 0..<n { centred[i, k] -= mean }
        }
        var covariance = Matrix<Double>(rows: d, cols: d)
        covariance.syrk(centred, .transposed)
        let axes = min(count, d)
        var out = Matrix<Double>(rows: axes, cols: d)
        let eigen = try SymmetricEigen(covariance)
        for r in 0..<axes { for k in 0..<d { out[r, k] = eigen.vectors[k, d - 1 - r] } }
        return out
    }
}
