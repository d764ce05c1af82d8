import Foundation
import NumericCore
import Testing

@Suite(".npy format")
struct NpyTests {
    /// A file exactly as NumPy 1.x/2.x writes `np.save(f, np.array([[1, 2, 3], [4, 5, 6]], dtype='<f4'))`:
    /// magic, version 1.0, little-endian header length 118, the dict padded with spaces to 128 bytes, newline.
    static func numpyFixture(descr: String, shape: String, payload: [UInt8], major: UInt8 = 1) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let prefix = major == 1 ? 10 : 12
        header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
        let n = header.utf8.count
        bytes += major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8), 0, 0]
        return bytes + Array(header.utf8) + payload
    }

    static func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    }

    @Test("reads a NumPy-written float32 file")
    func readFloat32() throws {
        let payload = Self.le([Float](arrayLiteral: 1, 2, 3, 4, 5, 6).map(\.bitPattern))
        let bytes = Self.numpyFixture(descr: "<f4", shape: "(2, 3)", payload: payload)
        #expect(bytes.count == 128 + 24)
        let a = try NpyArray.decode(bytes)
        #expect(a.shape == [2, 3])
        #expect(a.values == .float32([1, 2, 3, 4, 5, 6]))
        let m = try a.floatMatrix()
        #expect(m.rows == 2 && m.cols == 3 && m[1, 2] == 6)
    }

    @Test("reads float64, int32, int64, uint8, big-endian and version 2.0 files")
    func readOtherTypes() throws {
        let f8 = try NpyArray.decode(Self.numpyFixture(descr: "<f8", shape: "(2,)", payload: Self.le([0.5, -2.0].map(\.bitPattern))))
        #expect(f8.values == .float64([0.5, -2]) && f8.shape == [2])
        let i4 = try NpyArray.decode(Self.numpyFixture(descr: "<i4", shape: "(3,)", payload: Self.le([Int32(-1), 0, 7])))
        #expect(i4.values == .int32([-1, 0, 7]))
        let i8 = try NpyArray.decode(Self.numpyFixture(descr: "<i8", shape: "(1, 1)", payload: Self.le([Int64(1) << 40]), major: 2))
        #expect(i8.values == .int64([1 << 40]))
        let be = try NpyArray.decode(Self.numpyFixture(descr: ">f4", shape: "(1,)", payload: withUnsafeBytes(of: Float(3).bitPattern.bigEndian) { Array($0) }))
        #expect(be.values == .float32([3]))
        let empty = try NpyArray.decode(Self.numpyFixture(descr: "<f4", shape: "(0, 5)", payload: []))
        #expect(empty.shape == [0, 5] && empty.values.count == 0)
        let images = try NpyArray.decode(Self.numpyFixture(descr: "|u1", shape: "(1, 3)", payload: [1, 0, 255]))
        #expect(images.values == .uint8([1, 0, 255]) && images.shape == [1, 3])
        #expect(try images.floatMatrix().storage == [1, 0, 255])
        let unsigned16 = try NpyArray.decode(Self.numpyFixture(descr: "<u2", shape: "(1,)", payload: [1, 0]), allowingFailure: true)
        #expect(unsigned16 == nil)
    }

    @Test("round trips through encode/decode and through a file", arguments: [NpyDType.float32, .float64, .int32, .int64, .uint8])
    func roundTrip(dtype: NpyDType) throws {
        let values: NpyValues
        switch dtype {
        case .float32: values = .float32([1.5, -0, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 3, 4])
        case .float64: values = .float64([1e-300, 2, 3, 4, 5, .pi])
        case .int32: values = .int32([.min, .max, 0, 1, 2, 3])
        case .int64: values = .int64([.min, .max, 0, 1, 2, 3])
        case .uint8: values = .uint8([0, 255, 1, 2, 3, 128])
        }
        let a = NpyArray(shape: [3, 2], values: values)
        let bytes = a.encode()
        #expect((bytes.count - a.values.count * dtype.byteWidth) % 64 == 0, "header aligned to 64")
        #expect(try NpyArray.decode(bytes) == a)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-npy-\(dtype).npy").path
        try a.write(path: path)
        #expect(try NpyArray.read(path: path) == a)
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("a 3-D image stack flattens to rows × pixels")
    func flatten() throws {
        let a = NpyArray(shape: [2, 2, 2], values: .int32([0, 1, 2, 3, 4, 5, 6, 7]))
        let m = try a.floatMatrix()
        #expect(m.rows == 2 && m.cols == 4 && m[1, 0] == 4)
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    static let malformedPrefixes: [([UInt8], String)] = [
        ([], "not a .npy file"),
        (Array("NUMPY123456".utf8), "not a .npy file"),
        (magic + [9, 0, 0, 0], "unsupported .npy format version 9.0"),
        (magic + [1, 0, 0xFF, 0x00, 0x7B], "truncated"),
    ]

    @Test("malformed inputs give clear errors", arguments: malformedPrefixes)
    func malformedPrefix(bytes: [UInt8], expected: String) {
        #expect(throws: NpyError.self) { try NpyArray.decode(bytes) }
        let message = errorMessage(bytes)
        #expect(message.contains(expected), "\(message)")
    }

    @Test("bad headers and short data are rejected", arguments: [
        ("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "Fortran order"),
        ("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "not supported"),
        ("{'descr': '<f4', 'shape': (1,), }", "lacks"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999, 99999999999), }", "too large"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", "truncated"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", "unknown key"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,x), }", "bad shape"),
    ])
    func badHeaders(header: String, expected: String) {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let n = header.utf8.count + 1
        bytes += [UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8) + [0x0A] + [0, 0, 0, 0]
        let message = errorMessage(bytes)
        #expect(message.contains(expected), "\(message)")
    }

    @Test("a missing file names the path")
    func missingFile() {
        do {
            _ = try NpyArray.read(path: "/nonexistent/x.npy")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "/nonexistent/x.npy: cannot read (No such file or directory)")
        }
    }

    private func errorMessage(_ bytes: [UInt8]) -> String {
        do {
            _ = try NpyArray.decode(bytes)
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}

extension NpyArray {
    /// Decodes, returning nil on failure (for cases where only rejection matters).
    static func decode(_ bytes: [UInt8], allowingFailure: Bool) throws -> NpyArray? {
        try? decode(bytes)
    }
}
