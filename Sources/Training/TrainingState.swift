#if canImport(Glibc)
import Glibc
#endif
import NumericCore
import RunFormat

/// Everything a job needs to continue a run where it stopped: scalar settings and counters as JSON, and its
/// arrays (parameters, optimizer moments, logged series) as `.npy` images.
///
/// File layout: one JSON line `{"format":"genwindow-state","version":1,"meta":{…},"arrays":[{"name":…,
/// "bytes":…},…]}`, then the arrays' `.npy` images back to back in that order. Written atomically
/// (`AtomicFile`), so a crash leaves the previous state intact.
public struct TrainingState: Equatable, Sendable {
    public static let format = "genwindow-state"
    public static let version = 1
    /// The longest JSON line accepted when reading.
    static let maxMetaBytes = 64 << 20

    public var meta: JSONObject
    public var arrays: [(name: String, array: NpyArray)]

    public init(meta: JSONObject, arrays: [(name: String, array: NpyArray)]) {
        self.meta = meta
        self.arrays = arrays
    }

    /// The array called `name`, or an error naming the missing field.
    public func array(_ name: String) throws -> NpyArray {
        guard let a = arrays.first(where: { $0.name == name }) else { throw TrainingStateError("no array '\(name)'") }
        return a.array
    }

    /// The number `meta[name]`, or an error.
    public func number(_ name: String) throws -> Double {
        guard let x = meta[name]?.double, x.isFinite else { throw TrainingStateError("no number '\(name)'") }
        return x
    }

    public func encode() -> [UInt8] {
        var images: [[UInt8]] = []
        var table: [JSONValue] = []
        for (name, array) in arrays {
            let image = array.encode()
            images.append(image)
            table.append(.object(["name": .string(name), "bytes": .number(Double(image.count))]))
        }
        let head: JSONValue = .object(["format": .string(Self.format), "version": .number(Double(Self.version)),
                                       "meta": .object(meta), "arrays": .array(table)])
        var out = Array(JSONWriter.string(head).utf8)
        out.append(0x0A)
        for image in images { out += image }
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws -> TrainingState {
        guard let newline = bytes.prefix(maxMetaBytes).firstIndex(of: 0x0A) else {
            throw TrainingStateError("not a genwindow state file (no header line)")
        }
        let head: JSONValue
        do {
            head = try bytes.withUnsafeBufferPointer { try JSONParser.parse(UnsafeBufferPointer(rebasing: $0[0..<newline])) }
        } catch {
            throw TrainingStateError("not a genwindow state file (\(error))")
        }
        guard let o = head.object, o["format"]?.string == format else {
            throw TrainingStateError("not a genwindow state file")
        }
        guard o["version"]?.int == version else {
            throw TrainingStateError("unsupported state version \(o["version"].map { JSONWriter.string($0) } ?? "none")")
        }
        guard let meta = o["meta"]?.object, let table = o["arrays"]?.array else {
            throw TrainingStateError("state header lacks meta or arrays")
        }
        var offset = newline + 1
        var arrays: [(name: String, array: NpyArray)] = []
        for entry in table {
            guard let name = entry.object?["name"]?.string, let length = entry.object?["bytes"]?.int, length >= 0,
                  length <= bytes.count - offset else {
                throw TrainingStateError("array table does not match the file (truncated?)")
            }
            do {
                arrays.append((name, try NpyArray.decode(Array(bytes[offset..<offset + length]))))
            } catch {
                throw TrainingStateError("array '\(name)': \(error)")
            }
            offset += length
        }
        guard offset == bytes.count else { throw TrainingStateError("\(bytes.count - offset) stray bytes at the end") }
        return TrainingState(meta: meta, arrays: arrays)
    }

    /// Writes the state atomically.
    public func save(to path: String) throws {
        try AtomicFile.write(encode(), to: path)
    }

    /// Reads a state file; errors name the file.
    public static func load(path: String) throws -> TrainingState {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw TrainingStateError("\(path): cannot open (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TrainingStateError("\(path): read failed (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        do {
            return try decode(bytes)
        } catch let e as TrainingStateError {
            throw TrainingStateError("\(path): \(e.message)")
        }
    }

    public static func == (a: TrainingState, b: TrainingState) -> Bool {
        a.meta == b.meta && a.arrays.map(\.name) == b.arrays.map(\.name) && a.arrays.map(\.array) == b.arrays.map(\.array)
    }
}

/// A state file that is missing, malformed or does not fit the run.
public struct TrainingStateError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension TrainingState {
    /// The float32 array `name` with `count` values (any shape), or an error saying what was expected.
    func floats(_ name: String, count: Int) throws -> [Float] {
        guard case .float32(let v) = try array(name).values, v.count == count else {
            throw TrainingStateError("\(name) must be \(count) float32 values")
        }
        return v
    }

    /// The float64 array `name` (`count` values when given).
    func doubles(_ name: String, count: Int? = nil) throws -> [Double] {
        guard case .float64(let v) = try array(name).values, count.map({ $0 == v.count }) ?? true else {
            throw TrainingStateError("\(name) must be \(count.map(String.init) ?? "a list of") float64 values")
        }
        return v
    }

    /// The int64 array `name` (`count` values when given).
    func integers(_ name: String, count: Int? = nil) throws -> [Int64] {
        guard case .int64(let v) = try array(name).values, count.map({ $0 == v.count }) ?? true else {
            throw TrainingStateError("\(name) must be \(count.map(String.init) ?? "a list of") int64 values")
        }
        return v
    }

    /// The integer `meta[name]`, at least `minimum`.
    func integer(_ name: String, minimum: Int = 0) throws -> Int {
        guard let x = meta[name]?.int, x >= minimum else { throw TrainingStateError("no integer '\(name)' ≥ \(minimum)") }
        return x
    }

    /// A flat float64 array as an `.npy` entry.
    static func entry(_ name: String, _ values: [Double]) -> (name: String, array: NpyArray) {
        (name, NpyArray(shape: [values.count], values: .float64(values)))
    }

    /// A flat int64 array as an `.npy` entry.
    static func entry(_ name: String, _ values: [Int]) -> (name: String, array: NpyArray) {
        (name, NpyArray(shape: [values.count], values: .int64(values.map { Int64($0) })))
    }

    /// A flat float32 array as an `.npy` entry.
    static func entry(_ name: String, _ values: [Float]) -> (name: String, array: NpyArray) {
        (name, NpyArray(shape: [values.count], values: .float32(values)))
    }
}
