/// Element types genwindow reads and writes in `.npy` files.
public enum NpyDType: String, Sendable, CaseIterable {
    case float32 = "f4"
    case float64 = "f8"
    case int32 = "i4"
    case int64 = "i8"
    /// Unsigned bytes (images as NumPy's uint8).
    case uint8 = "u1"

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .uint8: 1
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }
}

/// Values of a `.npy` array, in C (row-major) order.
public enum NpyValues: Equatable, Sendable {
    case float32([Float])
    case float64([Double])
    case int32([Int32])
    case int64([Int64])
    case uint8([UInt8])

    public var count: Int {
        switch self {
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .uint8(let v): v.count
        }
    }

    public var dtype: NpyDType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int32: .int32
        case .int64: .int64
        case .uint8: .uint8
        }
    }
}

/// A malformed or unsupported `.npy` input; prints as one line naming the problem.
public struct NpyError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An n-dimensional array in NumPy's `.npy` format (versions 1.0, 2.0 and 3.0; little- or big-endian
/// float32/float64/int32/int64/uint8; C order), for exchanging data, samples and features with Python tools.
public struct NpyArray: Equatable, Sendable {
    public var shape: [Int]
    public var values: NpyValues

    public init(shape: [Int], values: NpyValues) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// A 2-D float32 array holding `matrix`.
    public init(_ matrix: Matrix<Float>) {
        self.init(shape: [matrix.rows, matrix.cols], values: .float32(matrix.storage))
    }

    /// A 2-D float64 array holding `matrix`.
    public init(_ matrix: Matrix<Double>) {
        self.init(shape: [matrix.rows, matrix.cols], values: .float64(matrix.storage))
    }

    /// The array as rows × (product of the remaining dimensions) in Float32, converting integer and float64
    /// elements; a 1-D array becomes one column.
    public func floatMatrix() throws -> Matrix<Float> {
        guard !shape.isEmpty else { throw NpyError("expected an array of at least one dimension, found a scalar") }
        let rows = shape[0]
        let cols = shape.count == 1 ? 1 : shape.dropFirst().reduce(1, *)
        let storage: [Float]
        switch values {
        case .float32(let v): storage = v
        case .float64(let v): storage = v.map { Float($0) }
        case .int32(let v): storage = v.map { Float($0) }
        case .int64(let v): storage = v.map { Float($0) }
        case .uint8(let v): storage = v.map { Float($0) }
        }
        return Matrix(rows: rows, cols: cols, storage: storage)
    }

    // MARK: - Decoding

    /// The largest header genwindow accepts; real headers are a few hundred bytes.
    static let maxHeaderLength = 1 << 20

    /// Parses a whole `.npy` file image.
    public static func decode(_ bytes: [UInt8]) throws -> NpyArray {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw NpyError("not a .npy file (missing the \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw NpyError("truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw NpyError("unsupported .npy format version \(major).\(bytes[7])")
        }
        guard headerLength <= maxHeaderLength, headerStart + headerLength <= bytes.count else {
            throw NpyError("truncated or oversized .npy header (\(headerLength) bytes)")
        }
        guard let header = String(validating: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self) else {
            throw NpyError(".npy header is not valid text")
        }
        let fields = try NpyHeader.parse(header)
        let dataStart = headerStart + headerLength
        let count = try elementCount(fields.shape)
        let needed = count.multipliedReportingOverflow(by: fields.dtype.byteWidth)
        guard !needed.overflow else { throw NpyError(".npy shape \(fields.shape) is too large") }
        let available = bytes.count - dataStart
        guard available >= needed.partialValue else {
            throw NpyError(".npy data is truncated: shape \(fields.shape) needs \(needed.partialValue) bytes, file has \(available)")
        }
        let values = bytes.withUnsafeBufferPointer { buf in
            decodeValues(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[dataStart...]),
                         dtype: fields.dtype, count: count, bigEndian: fields.bigEndian)
        }
        return NpyArray(shape: fields.shape, values: values)
    }

    private static func elementCount(_ shape: [Int]) throws -> Int {
        var count = 1
        for dim in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw NpyError(".npy shape \(shape) is too large") }
            count = p
        }
        return count
    }

    private static func decodeValues(_ raw: UnsafeRawBufferPointer, dtype: NpyDType, count: Int, bigEndian: Bool) -> NpyValues {
        func load<I: FixedWidthInteger>(_: I.Type) -> [I] {
            var out = [I](repeating: 0, count: count)
            out.withUnsafeMutableBytes { dst in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * MemoryLayout<I>.size)]))
            }
            let swap = bigEndian != (1.bigEndian == 1)
            if swap { for i in 0..<count { out[i] = out[i].byteSwapped } }
            return out
        }
        switch dtype {
        case .float32: return .float32(load(UInt32.self).map { Float(bitPattern: $0) })
        case .float64: return .float64(load(UInt64.self).map { Double(bitPattern: $0) })
        case .int32: return .int32(load(Int32.self))
        case .int64: return .int64(load(Int64.self))
        case .uint8: return .uint8(load(UInt8.self))
        }
    }

    // MARK: - Encoding

    /// The array as a little-endian `.npy` file image (version 1.0, or 2.0 when the header needs it).
    public func encode() -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        let order = values.dtype == .uint8 ? "|" : "<"
        var header = "{'descr': '\(order)\(values.dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let version: UInt8 = header.utf8.count + 11 <= 65535 ? 1 : 2
        let prefix = version == 1 ? 10 : 12
        let unpadded = prefix + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        let len = header.utf8.count
        if version == 1 {
            out += [UInt8(len & 0xFF), UInt8(len >> 8)]
        } else {
            out += [UInt8(len & 0xFF), UInt8((len >> 8) & 0xFF), UInt8((len >> 16) & 0xFF), UInt8(len >> 24)]
        }
        out += Array(header.utf8)
        func append<I: FixedWidthInteger>(_ v: [I]) {
            out.reserveCapacity(out.count + v.count * MemoryLayout<I>.size)
            for x in v { withUnsafeBytes(of: x.littleEndian) { out += $0 } }
        }
        switch values {
        case .float32(let v): append(v.map(\.bitPattern))
        case .float64(let v): append(v.map(\.bitPattern))
        case .int32(let v): append(v)
        case .int64(let v): append(v)
        case .uint8(let v): out += v
        }
        return out
    }
}

/// The dictionary literal of a `.npy` header: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
enum NpyHeader {
    struct Fields {
        var dtype: NpyDType
        var bigEndian: Bool
        var shape: [Int]
    }

    static func parse(_ text: String) throws -> Fields {
        var scanner = Scanner(Array(text.utf8))
        var descr: String?
        var fortran: Bool?
        var shape: [Int]?
        try scanner.expect(UInt8(ascii: "{"))
        while true {
            scanner.skipSpace()
            if scanner.consume(UInt8(ascii: "}")) { break }
            let key = try scanner.quoted()
            scanner.skipSpace()
            try scanner.expect(UInt8(ascii: ":"))
            scanner.skipSpace()
            switch key {
            case "descr": descr = try scanner.quoted()
            case "fortran_order": fortran = try scanner.bool()
            case "shape": shape = try scanner.tuple()
            default: throw NpyError(".npy header has an unknown key '\(key)'")
            }
            scanner.skipSpace()
            if scanner.consume(UInt8(ascii: ",")) { continue }
            scanner.skipSpace()
            try scanner.expect(UInt8(ascii: "}"))
            break
        }
        guard let descr, let fortran, let shape else {
            throw NpyError(".npy header lacks one of 'descr', 'fortran_order', 'shape'")
        }
        guard !fortran else { throw NpyError(".npy array is in Fortran order; save it with C order (np.ascontiguousarray)") }
        let order = descr.first
        let code = String(descr.dropFirst())
        guard let dtype = NpyDType(rawValue: code), order == "<" || order == ">" || order == "=" || order == "|" else {
            throw NpyError(".npy dtype '\(descr)' is not supported (use float32, float64, int32, int64 or uint8)")
        }
        return Fields(dtype: dtype, bigEndian: order == ">", shape: shape)
    }

    struct Scanner {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 { i += 1 }
        }
        mutating func consume(_ c: UInt8) -> Bool {
            if i < bytes.count, bytes[i] == c { i += 1; return true }
            return false
        }
        mutating func expect(_ c: UInt8) throws {
            skipSpace()
            guard consume(c) else { throw NpyError("malformed .npy header: expected '\(Character(Unicode.Scalar(c)))' at offset \(i)") }
        }
        mutating func quoted() throws -> String {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "'") || bytes[i] == UInt8(ascii: "\"") else {
                throw NpyError("malformed .npy header: expected a quoted string at offset \(i)")
            }
            let quote = bytes[i]
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != quote { i += 1 }
            guard i < bytes.count else { throw NpyError("malformed .npy header: unterminated string") }
            defer { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        mutating func bool() throws -> Bool {
            if matches("True") { return true }
            if matches("False") { return false }
            throw NpyError("malformed .npy header: expected True or False at offset \(i)")
        }
        mutating func matches(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return false }
            i += w.count
            return true
        }
        mutating func tuple() throws -> [Int] {
            try expect(UInt8(ascii: "("))
            var dims: [Int] = []
            while true {
                skipSpace()
                if consume(UInt8(ascii: ")")) { return dims }
                let start = i
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: "L") { i += 1 }  // Python 2 long suffix
                let digits = bytes[start..<i].filter { $0 != UInt8(ascii: "L") }
                guard !digits.isEmpty, digits.count <= 18, let dim = Int(String(decoding: digits, as: UTF8.self)) else {
                    throw NpyError("malformed .npy header: bad shape entry at offset \(start)")
                }
                dims.append(dim)
                guard dims.count <= 32 else { throw NpyError("malformed .npy header: more than 32 dimensions") }
                skipSpace()
                if consume(UInt8(ascii: ",")) { continue }
                try expect(UInt8(ascii: ")"))
                return dims
            }
        }
    }
}
