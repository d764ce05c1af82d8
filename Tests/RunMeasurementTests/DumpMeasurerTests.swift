import Datasets
@testable import ExternalRuns
import Foundation
import Metrics
import NumericCore
import PNGFile
import RunFormat
import RunMeasurement
import Testing
import Training

@Suite("DumpMeasurer")
struct DumpMeasurerTests {
    /// 20 training rows of 12 values in [0, 1]: images of 3 × 4.
    static let training = TrainingRows(rows: uniform(20, 12, in: 0...1, seed: 1), imageShape: [3, 4], scale: .unit,
                                       label: "train.npy")
    /// 10 samples: training rows 0–4 nudged by 0.01, then 5 fresh draws.
    static var samples: Matrix<Float> {
        var near = select(training.rows, [0, 1, 2, 3, 4])
        near.storage = near.storage.map { $0 + 0.01 }
        return Matrix(rows: 10, cols: 12, storage: near.storage + uniform(5, 12, in: 0...1, seed: 2).storage)
    }

    static func metrics(_ records: [RunRecord]) throws -> MetricsRecord {
        guard case .metrics(let m) = try #require(records.first) else { throw MeasurementTestError("no metrics record first") }
        return m
    }

    @Test("mem_frac and its interval are MemorizedFraction.measure's (genwindow metrics memorized) on the same two matrices")
    func sameAsMetrics() throws {
        let measurer = try DumpMeasurer(training: Self.training, reference: nil)
        let records = try measurer.measure(NpyArray(Self.samples), step: 100, name: "samples_step100.npy")
        let expected = MemorizedFraction.measure(samples: Self.samples, training: Self.training.rows, k: 1.0 / 3,
                                                 bootstrapResamples: 1000, seed: 0)
        let m = try Self.metrics(records)
        #expect(expected.memFrac == 0.5)
        #expect(m.step == 100 && m.timeSeconds == 0)
        #expect(m[MetricName.memFrac] == expected.memFrac)
        #expect(m[MetricName.memFracCILow] == expected.ciLow && m[MetricName.memFracCIHigh] == expected.ciHigh)
        #expect(m[MetricName.fid] == nil && m.extra["samples"] == 10 && m.extra["fid_features"] == nil)
        guard case .other(let type, let fields) = records[1] else { throw MeasurementTestError("no preview second") }
        #expect(type == "samples" && fields["shape"] == [3, 4] && fields["step"] == 100)
        #expect(fields["samples"]?.array?.count == 8 && fields["ratios"]?.array?.count == 8)
        let neighbour0 = Self.training.rows.storage[0..<12].map { JSONValue.number(Double(Int(($0 * 255).rounded()))) }
        #expect(fields["neighbours"]?.array?.first == .array(neighbour0))
        #expect(fields["ratios"]?.array?.first == .number((expected.ratio[0] * 1e4).rounded() / 1e4))
        #expect(records.count == 2)
    }

    @Test("a dump of exact copies of training rows is all memorized")
    func copies() throws {
        let measurer = try DumpMeasurer(training: Self.training, reference: nil)
        let m = try Self.metrics(measurer.measure(NpyArray(select(Self.training.rows, [3, 7, 7, 11])), step: 0))
        #expect(m[MetricName.memFrac] == 1 && m[MetricName.memFracCILow] == 1 && m[MetricName.memFracCIHigh] == 1)
    }

    @Test("scale rule: a uint8 dump against a [-1, 1] training set measures as the same images as floats in [-1, 1]")
    func scaleRule() throws {
        let bytes = uniform(30, 12, in: 0...255, seed: 3).storage.map { UInt8($0.rounded(.down)) }
        let signedTraining = TrainingRows(rows: Matrix(rows: 20, cols: 12, storage: bytes[0..<240].map { Float($0) / 127.5 - 1 }),
                                          imageShape: [3, 4], scale: .signed, label: "signed")
        let reference = TrainingRows(rows: uniform(16, 12, in: -1...1, seed: 4), imageShape: [3, 4], scale: .signed, label: "ref")
        // Samples: training rows 0–4 moved by one level, then 5 fresh images.
        let sampleBytes = bytes[0..<60].map { $0 == 255 ? 254 : $0 + 1 } + bytes[240..<300]
        let asBytes = try DumpMeasurer(training: signedTraining, reference: reference)
            .measure(NpyArray(shape: [10, 3, 4], values: .uint8(Array(sampleBytes))), step: 1)
        let asSigned = try DumpMeasurer(training: signedTraining, reference: reference)
            .measure(NpyArray(shape: [10, 3, 4], values: .float32(sampleBytes.map { Float($0) / 127.5 - 1 })), step: 1)
        let (a, b) = (try Self.metrics(asBytes), try Self.metrics(asSigned))
        #expect(a[MetricName.memFrac] == 0.5 && a[MetricName.memFrac] == b[MetricName.memFrac])
        #expect(a[MetricName.memFracCILow] == b[MetricName.memFracCILow] && a[MetricName.memFracCIHigh] == b[MetricName.memFracCIHigh])
        let (fa, fb) = (try #require(a[MetricName.fid]), try #require(b[MetricName.fid]))
        #expect(abs(fa - fb) <= 1e-5 * fb)
        #expect(a.extra["samples_scale"] == "[0, 255]" && b.extra["samples_scale"] == "[-1, 1]" && a.extra["fid_features"] == "data")
        #expect(asBytes[1] == asSigned[1], "the previews show the same pixels")
        #expect(ValueScale.detect([0, 0.5, 1], isUInt8: false) == .unit)
        #expect(ValueScale.detect([-0.5, 0.5], isUInt8: false) == .signed)
        #expect(ValueScale.detect([0, 200], isUInt8: false) == .bytes && ValueScale.detect([0, 1], isUInt8: true) == .bytes)
        #expect(ValueScale.detect([-0.005, 1, .nan], isUInt8: false) == .unit)
        #expect(ValueScale.detect((0..<1000).map { Float($0 % 256) }, isUInt8: false) == .bytes)
        // Samples are read against the training rows' range: a diffusion model's samples overshoot it.
        let late = (0..<1000).map { Float($0 % 2 == 0 ? -2.3 : 2.1) * Float($0) / 1000 } + [7, 6.5, -6.9]
        #expect(ValueScale.detect(late, isUInt8: false, training: .signed) == .signed, "genwindow's DDPM late in training")
        let untrained = (0..<1000).map { Float($0 % 2 == 0 ? -1 : 1) * Float($0) * 10 }
        #expect(ValueScale.detect(untrained, isUInt8: false, training: .signed) == .signed, "an untrained model: huge, both signs")
        let unclipped = (0..<1000).map { Float($0) / 1000 * 2.15 - 0.65 }
        #expect(ValueScale.detect(unclipped, isUInt8: false, training: .unit) == .unit, "a [0, 1] model without clipping")
        #expect(ValueScale.detect([0, 1], isUInt8: true, training: .signed) == .bytes)
        let floatBytes = (0..<1000).map { Float($0 % 256) } + (0..<5).map { _ in -5 }
        #expect(ValueScale.detect(floatBytes, isUInt8: false, training: .unit) == .bytes, "8-bit values stored as floats")
        #expect(ValueScale.detect(unclipped, isUInt8: false, training: .bytes) == .unit)
        #expect(ValueScale.detect((0..<100).map { Float($0) / 100 }, isUInt8: false, training: .signed) == .unit,
                "clipped [0, 1] samples for [-1, 1] training rows")
        #expect(ValueScale.detect((0..<100).map { Float($0) / 100 }, isUInt8: false, training: .bytes) == .unit)
        #expect(ValueScale.unit.map(Matrix(rows: 1, cols: 2, storage: [0, 1]), to: .signed).storage == [-1, 1])
        #expect(ValueScale.signed.intensity(0) == 0.5 && ValueScale.bytes.intensity(300) == 1)
    }

    @Test("a channels-first dump measures as its channels-last twin")
    func channels() throws {
        let (m, h, w, c) = (6, 5, 6, 3)
        let train = TrainingRows(rows: uniform(12, h * w * c, in: 0...1, seed: 5), imageShape: [h, w, c], scale: .unit, label: "rgb")
        let hwc = select(train.rows, [0, 1, 2]).storage + uniform(3, h * w * c, in: 0...1, seed: 6).storage
        var chw = [Float](repeating: 0, count: hwc.count)
        for i in 0..<m { for y in 0..<h { for x in 0..<w { for ch in 0..<c {
            chw[i * h * w * c + (ch * h + y) * w + x] = hwc[i * h * w * c + (y * w + x) * c + ch]
        } } } }
        let last = try DumpMeasurer(training: train, reference: nil).measure(NpyArray(shape: [m, h, w, c], values: .float32(hwc)), step: 5)
        let first = try DumpMeasurer(training: train, reference: nil).measure(NpyArray(shape: [m, c, h, w], values: .float32(chw)), step: 5)
        #expect(last == first)
        #expect(try Self.metrics(last)[MetricName.memFrac] == 0.5)
    }

    @Test("a dump of another shape is one line naming both shapes")
    func shapeMismatch() throws {
        let digits = TrainingRows(rows: uniform(4, 64, in: -1...1, seed: 7), imageShape: [8, 8], scale: .signed, label: "digits")
        let measurer = try DumpMeasurer(training: digits, reference: nil)
        #expect(throws: ExternalRunError("samples_step100.npy: samples of shape (16, 28, 28) do not match the training images (8, 8)")) {
            try measurer.measure(NpyArray(shape: [16, 28, 28], values: .float32(.init(repeating: 0, count: 16 * 784))), step: 100,
                                 name: "samples_step100.npy")
        }
        #expect(throws: ExternalRunError("the samples at step 3: samples of shape (2, 4, 16) do not match the training images (8, 8)")) {
            try measurer.measure(NpyArray(shape: [2, 4, 16], values: .float32(.init(repeating: 0, count: 128))), step: 3)
        }
        #expect(throws: ExternalRunError("the samples at step 3: samples hold values that are not finite")) {
            try measurer.measure(NpyArray(shape: [1, 64], values: .float32([.nan] + .init(repeating: 0, count: 63))), step: 3)
        }
        // Flat rows of the right size are images of the training shape.
        #expect(try Self.metrics(measurer.measure(NpyArray(select(digits.rows, [1, 2])), step: 0))[MetricName.memFrac] == 1)
    }

    @Test("an add_images grid PNG (8 per row, no padding) measures as the same images in a .npy dump")
    func gridPNG() throws {
        let images = uniform(10, 12, in: 0...255, seed: 8).storage.map { UInt8($0.rounded(.down) / 2 + 64) }
        var grid = RGBImage(width: 8 * 4, height: 2 * 3, fill: (0, 0, 0))
        for k in 0..<10 {
            for y in 0..<3 { for x in 0..<4 {
                let v = images[k * 12 + y * 4 + x]
                grid.set((k % 8) * 4 + x, (k / 8) * 3 + y, (v, v, v))
            } }
        }
        let path = temporaryFolder() + "/grid.png"
        try PNGFile.write(grid, to: path)
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let train = TrainingRows(rows: Matrix(rows: 10, cols: 12, storage: images.map { Float($0) / 255 }),
                                 imageShape: [3, 4], scale: .unit, label: "t")
        let entry = ImageEntry(tag: "samples", step: 40, wallTime: 0, height: 6, width: 32, colorspace: 3, png: png)
        let fromGrid = try DumpMeasurer(training: train, reference: nil).measure(image: entry)
        let fromNpy = try DumpMeasurer(training: train, reference: nil).measure(NpyArray(shape: [10, 3, 4], values: .uint8(images)), step: 40)
        #expect(fromGrid == fromNpy)
        #expect(try Self.metrics(fromGrid).extra["samples"] == 10 && Self.metrics(fromGrid)[MetricName.memFrac] == 1)
        #expect(throws: PNGError.self) { try PNGFile.decode([1, 2, 3], name: "x") }
        let small = TrainingRows(rows: uniform(3, 25, in: 0...1, seed: 12), imageShape: [5, 5], scale: .unit, label: "s")
        #expect(throws: ExternalRunError("image 'samples' at step 40: image grid: 32×6 is not a whole number of 5×5 images (the training images are 5×5)")) {
            try DumpMeasurer(training: small, reference: nil).measure(image: entry)
        }
        let bad = ImageEntry(tag: "samples", step: 1, wallTime: 0, height: 1, width: 1, colorspace: 3, png: [])
        #expect(throws: PNGError.self) { try DumpMeasurer(training: train, reference: nil).measure(image: bad) }
    }

    @Test("the grids torch's add_images wrote in the ExternalRuns fixture measure as the batch they show")
    func torchGrid() throws {
        let source = try TensorBoardSource(path: externalFixtures + "/images", live: false)
        _ = source.poll()
        let image = try #require(source.logs.values.first?.images.first)
        let batch = try NpyArray.read(path: externalFixtures + "/images_batch.npy")
        let train = try TrainingRows.load(externalFixtures + "/images_batch.npy", n: nil, seed: 0)
        #expect(train.imageShape == [3, 4] && train.scale == .bytes && train.rows.rows == 10)
        let fromGrid = try DumpMeasurer(training: train, reference: nil).measure(image: image)
        let fromNpy = try DumpMeasurer(training: train, reference: nil).measure(batch, step: image.step)
        #expect(fromGrid == fromNpy)
        #expect(try Self.metrics(fromGrid)[MetricName.memFrac] == 1 && Self.metrics(fromGrid).extra["samples"] == 10)
    }

    @Test("copies of training rows from step 50 on give tau_mem; a falling then rising FID gives tau_gen and, at the end, early_stop")
    func events() throws {
        let train = TrainingRows(rows: uniform(40, 12, in: -1...1, seed: 9), imageShape: [3, 4], scale: .signed, label: "t")
        let reference = TrainingRows(rows: uniform(64, 12, in: -1...1, seed: 10), imageShape: [3, 4], scale: .signed, label: "r")
        // Seven FIDs: tau_gen by the rule before issue 21 (one evaluation near the minimum, no smoothing, no fall
        // condition); the default rule's parts are tested in MetricsTests' FIDPlateauRuleTests.
        let settings = DumpMeasurer.Settings(persistence: 1, fidSmoothing: 1, fidFall: 0)
        let measurer = try DumpMeasurer(training: train, reference: reference, settings: settings)
        var events: [EventRecord] = []
        for (i, spread) in [Float(1), 0.6, 0.3, 0.98, 1, 1, 1].enumerated() {
            let step = i * 10
            let samples = step >= 50 ? select(train.rows, Array(0..<32))
                : Matrix(rows: 32, cols: 12, storage: uniform(32, 12, in: -1...1, seed: 20 + UInt64(i)).storage.map { $0 * spread })
            for record in try measurer.measure(NpyArray(samples), step: step) {
                if case .event(let e) = record { events.append(e) }
            }
        }
        #expect(events.contains { $0.kind == EventKind.tauMem && $0.step == 50 && $0.fields["provisional"] == false })
        let final = measurer.finish().compactMap { r -> EventRecord? in if case .event(let e) = r { e } else { nil } }
        #expect(final.contains { $0.kind == EventKind.earlyStop })
        #expect(final.allSatisfy { $0.fields["provisional"] == false })
        #expect(measurer.finish().isEmpty)
    }

    @Test("the settings default to the DDPM's, and the header records the measurement")
    func settingsAndHeader() throws {
        let ddpm = DDPMSettings(), s = DumpMeasurer.Settings()
        #expect(s.k == ddpm.memK && s.bootstrapResamples == ddpm.bootstrapResamples && s.seed == ddpm.seed)
        #expect(s.fidPlateau == ddpm.fidPlateau && s.persistence == ddpm.persistence && s.memFloor == ddpm.memFloor)
        #expect(s.generalization == ddpm.generalization)
        let reference = TrainingRows(rows: uniform(5, 12, in: 0...1, seed: 11), imageShape: [3, 4], scale: .unit, label: "ref.npy")
        let header = try DumpMeasurer(training: Self.training, reference: reference).headerFields
        #expect(header["train"] == "train.npy" && header["n"] == 20 && header["d"] == 12 && header["shape"] == [3, 4])
        #expect(header["reference"] == "ref.npy" && header["reference_count"] == 5 && header["fid_features"] == "data")
        #expect(header["mem_k"] == .number(1.0 / 3) && header["train_scale"] == "[0, 1]" && header["scale_rule"] == .string(ValueScale.rule))
        #expect(header["tau_mem_rule"] == .string(s.memorization.description))
        #expect(header["tau_gen_rule"] == .string(s.generalization.description))
        #expect(header["fid_plateau"] == 0.25 && header["persistence"] == 3 && header["fid_smoothing"] == 3 && header["fid_fall"] == 0.9)
        let wrong = TrainingRows(rows: uniform(5, 10, in: 0...1, seed: 11), imageShape: nil, scale: .unit, label: "ref.npy")
        #expect(throws: ExternalRunError("ref.npy: reference rows of rows of 10 values do not match the training images (3, 4)")) {
            try DumpMeasurer(training: Self.training, reference: wrong)
        }
    }
}

struct MeasurementTestError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
