import Datasets
import ExternalRuns
import Metrics
import NumericCore

/// A set of rows that sample dumps are compared with: the training set (for the memorization test) or the
/// held-out reference (for the Fréchet distance), with the shape of its images and the value range it is
/// stored in.
public struct TrainingRows: Sendable {
    /// n × d, one row per image (in (H, W, C) order) or vector.
    public let rows: Matrix<Float>
    /// [H, W] or [H, W, C] (C > 1) for images, nil for flat vectors.
    public let imageShape: [Int]?
    /// The range the rows are stored in.
    public let scale: ValueScale
    /// What the rows are, for run headers: "digits n=64 seed=0", "train.npy", "png:faces".
    public let label: String

    /// `genwindow train`'s default `--n` for a DDPM, taken when a built-in dataset is named without `n`.
    public static let defaultCount = 128
    /// `genwindow train`'s default `--test-n`: the size of a built-in dataset's held-out reference.
    public static let defaultReferenceCount = 256

    public init(rows: Matrix<Float>, imageShape: [Int]?, scale: ValueScale, label: String) {
        self.rows = rows
        self.imageShape = imageShape
        self.scale = scale
        self.label = label
    }

    /// The values per row.
    public var dimension: Int { rows.cols }
    /// The channels of an image (1 for grey), nil for flat vectors.
    public var channels: Int? { imageShape.map { $0.count == 3 ? $0[2] : 1 } }

    /// Loads a training set named by `spec`:
    /// - a `.npy` file of shape (n, d), (n, H, W), (n, H, W, C) or (n, C, H, W) (float32, float64 or uint8; its
    ///   scale by the rule of `ValueScale`; a 4-D shape is channels-first when its second axis is 1 or 3 and its
    ///   last is neither);
    /// - `png:DIR`: every image of the folder (grey, as `genwindow train --data png:DIR` reads them), or with `n`
    ///   the n images `genwindow train --data png:DIR --n N --seed S` trains on; in [−1, 1];
    /// - `digits` or `fashion-mnist`: the rows `genwindow train --data NAME --n N --seed S` trains on
    ///   (n: `defaultCount` when nil), in genwindow's [−1, 1].
    ///
    /// Throws one line naming the file or dataset.
    public static func load(_ spec: String, n: Int?, seed: UInt64) throws -> TrainingRows {
        if let source = try builtIn(spec) {
            let count = n ?? defaultCount
            let data = try loadDataset(source, n: count, testCount: 0, seed: seed)
            return TrainingRows(rows: data.train, imageShape: data.shape, scale: .signed,
                                label: "\(source.name) n=\(count) seed=\(seed)")
        }
        if spec.hasPrefix("png:") {
            guard let n else { return try folder(spec) }
            let data = try loadDataset(try dataSource(spec), n: n, testCount: 0, seed: seed)
            return TrainingRows(rows: data.train, imageShape: data.shape, scale: .signed, label: "\(spec) n=\(n) seed=\(seed)")
        }
        return try npy(spec)
    }

    /// The held-out rows the Fréchet distance is measured against: `spec` (`--reference`: a `.npy` file or
    /// `png:DIR`, every row of it) when given; else, for a built-in training dataset, its held-out split as
    /// `genwindow train --data NAME --seed S --test-n COUNT` draws it (the rows its DDPM's data-space FID is
    /// measured against: `FrechetReference.chosenRows` of that split); else nil (no FID).
    public static func reference(_ spec: String?, training: String, n: Int?, seed: UInt64,
                                 count: Int = defaultReferenceCount) throws -> TrainingRows? {
        if let spec {
            if try builtIn(spec) != nil { return try heldOut(spec, n: n, seed: seed, count: count) }
            return spec.hasPrefix("png:") ? try folder(spec) : try npy(spec)
        }
        guard try builtIn(training) != nil else { return nil }
        return try heldOut(training, n: n, seed: seed, count: count)
    }

    /// A built-in dataset's held-out split, as the DDPM's FID reference takes it.
    private static func heldOut(_ name: String, n: Int?, seed: UInt64, count: Int) throws -> TrainingRows {
        guard count >= 2 else { throw DatasetError("\(name): a reference needs at least 2 held-out rows, not \(count)") }
        let source = try dataSource(name)
        let data = try loadDataset(source, n: n ?? defaultCount, testCount: count, seed: seed)
        let chosen = FrechetReference.chosenRows(available: data.test.rows, size: count, seed: seed)
        var rows = Matrix<Float>(rows: chosen.count, cols: data.test.cols)
        for (i, r) in chosen.enumerated() {
            for j in 0..<data.test.cols { rows[i, j] = data.test[r, j] }
        }
        return TrainingRows(rows: rows, imageShape: data.shape, scale: .signed,
                            label: "\(source.name) held-out \(chosen.count) seed=\(seed)")
    }

    /// The built-in image dataset `spec` names, or nil for a file or folder; throws for the synthetic sources,
    /// which have no fixed rows to compare with.
    private static func builtIn(_ spec: String) throws -> DataSource? {
        switch spec {
        case "digits", "fashion-mnist": return try dataSource(spec)
        case "gaussian", "gmm": throw DatasetError("\(spec): synthetic data has no fixed training rows; save them with np.save and pass the .npy")
        default: return nil
        }
    }

    private static func dataSource(_ spec: String) throws -> DataSource {
        try DataSource.parse(spec, dimension: 0, components: 0, resize: nil)
    }

    private static func loadDataset(_ source: DataSource, n: Int, testCount: Int, seed: UInt64) throws -> Dataset {
        guard n >= 2 else { throw DatasetError("\(source.name): --n must be at least 2 to compare samples with, got \(n)") }
        return try DatasetLoader.load(source, n: n, testCount: testCount, seed: seed, scaling: .unitRange)
    }

    /// Every image of a `png:DIR` folder, mapped to [−1, 1] as genwindow trains on them.
    private static func folder(_ spec: String) throws -> TrainingRows {
        let (rows, shape) = try DatasetLoader.folderImages(path: String(spec.dropFirst(4)))
        return TrainingRows(rows: ValueScale.unit.map(rows, to: .signed), imageShape: shape, scale: .signed, label: spec)
    }

    /// The channel count that makes `SampleDump.rows` read an (n, C, H, W) training array channels-first when its
    /// second axis is 1 or 3 and its last is neither (a width of 4 is likelier than RGBA): a training set has no
    /// other images to tell the layout by.
    private static func channelsFirstHint(_ shape: [Int]) -> Int? {
        shape.count == 4 && [1, 3].contains(shape[1]) && ![1, 3].contains(shape[3]) ? shape[1] : nil
    }

    /// A `.npy` file of rows or images.
    private static func npy(_ path: String) throws -> TrainingRows {
        let array = try NpyArray.read(path: path)
        let read: (rows: Matrix<Float>, imageShape: [Int])
        do {
            read = try SampleDump.rows(array, channels: channelsFirstHint(array.shape))
        } catch {
            throw ExternalRunError("\(path): \(error.message)")
        }
        guard read.rows.rows >= 2 else { throw ExternalRunError("\(path): needs at least 2 rows to compare with, has \(read.rows.rows)") }
        guard read.rows.storage.allSatisfy(\.isFinite) else { throw ExternalRunError("\(path): holds values that are not finite") }
        let shape = read.imageShape
        let imageShape: [Int]? = switch shape.count {
        case 3 where shape[2] == 1: Array(shape.prefix(2))
        case 2, 3: shape
        default: nil
        }
        let scale = ValueScale.detect(read.rows.storage, isUInt8: array.values.dtype == .uint8)
        return TrainingRows(rows: read.rows, imageShape: imageShape, scale: scale, label: path)
    }
}
