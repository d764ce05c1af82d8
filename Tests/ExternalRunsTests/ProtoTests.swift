@testable import ExternalRuns
import Testing

@Suite("Protobuf wire format and event decoding")
struct ProtoTests {
    func fields(_ bytes: [UInt8]) -> (fields: [String], malformed: Bool) {
        bytes.withUnsafeBytes { b in
            var r = ProtoReader(b)
            var out: [String] = []
            while let f = r.next() {
                switch f.payload {
                case .varint(let v): out.append("\(f.number):v\(v)")
                case .fixed64(let v): out.append("\(f.number):d\(v)")
                case .fixed32(let v): out.append("\(f.number):f\(v)")
                case .bytes(let range): out.append("\(f.number):b\(Array(b[range]))")
                }
            }
            return (out, r.malformed)
        }
    }

    @Test("the four wire types, multi-byte varints and a negative int64 step")
    func wireTypes() {
        var w = ProtoWriter()
        w.varintField(2, UInt64(bitPattern: -5))
        w.varintField(300, 150)
        w.key(1, 1); w.bytes += [1, 0, 0, 0, 0, 0, 0, 0]
        w.bytesField(5, [9, 8])
        w.key(7, 5); w.bytes += [2, 0, 0, 0]
        #expect(fields(w.bytes) == (["2:v\(UInt64(bitPattern: -5))", "300:v150", "1:d1", "5:b[9, 8]", "7:f2"], false))
        var e = ProtoWriter()
        e.varintField(2, UInt64(bitPattern: -5))
        let event = e.bytes.withUnsafeBytes { EventFields.decode($0) }
        #expect(event?.step == -5)
    }

    @Test("malformed input ends the message: truncated varint, length past the end, group wire types, field 0")
    func malformed() {
        #expect(fields([0x08, 0x80]).malformed)
        #expect(fields([0x2A, 0x05, 1, 2]).malformed)
        #expect(fields([0x0B]).malformed)
        #expect(fields([0x00, 0x01]).malformed)
        #expect(fields([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).malformed)
        #expect(fields([0x0D, 1, 2]).malformed)
        #expect(fields([]) == ([], false))
    }

    @Test("unknown fields are skipped; a tensor of two elements or of strings is not a scalar")
    func tensors() {
        var t = ProtoWriter()
        t.varintField(1, 1)
        var dim = ProtoWriter()
        dim.varintField(1, 2)
        var shape = ProtoWriter()
        shape.bytesField(2, dim.bytes)
        t.bytesField(2, shape.bytes)
        t.float(5, 1.5)
        #expect(t.bytes.withUnsafeBytes { TensorScalar.value($0, 0..<$0.count) } == nil)
        var one = ProtoWriter()
        one.varintField(1, 1)
        one.varintField(99, 7)
        one.float(5, 1.5)
        #expect(one.bytes.withUnsafeBytes { TensorScalar.value($0, 0..<$0.count) } == 1.5)
        var late = ProtoWriter()
        late.varintField(13, 0x3C00)
        late.varintField(1, 19)
        #expect(late.bytes.withUnsafeBytes { TensorScalar.value($0, 0..<$0.count) } == 1, "dtype after the value")
        var mismatched = ProtoWriter()
        mismatched.varintField(1, 2)
        mismatched.float(5, 1.5)
        #expect(mismatched.bytes.withUnsafeBytes { TensorScalar.value($0, 0..<$0.count) } == nil, "DOUBLE reads double_val")
        var text = ProtoWriter()
        text.varintField(1, 7)
        text.string(8, "hello")
        #expect(text.bytes.withUnsafeBytes { TensorScalar.value($0, 0..<$0.count) } == nil)
    }

    @Test("binary16 to Float: normals, subnormals, zero signs, infinity, NaN")
    func half() {
        #expect(TensorScalar.halfToFloat(0x3C00) == 1)
        #expect(TensorScalar.halfToFloat(0xC000) == -2)
        #expect(TensorScalar.halfToFloat(0x7BFF) == 65504)
        #expect(TensorScalar.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(TensorScalar.halfToFloat(0x03FF) == Float(1023) * Float(sign: .plus, exponent: -24, significand: 1))
        #expect(TensorScalar.halfToFloat(0x8000).sign == .minus && TensorScalar.halfToFloat(0x8000) == 0)
        #expect(TensorScalar.halfToFloat(0x7C00) == .infinity)
        #expect(TensorScalar.halfToFloat(0x7E00).isNaN)
        #expect(TensorScalar.halfToFloat(0x3555) == 0.333251953125)
    }

    @Test("a SessionLog START purges every earlier scalar and image at that step or later")
    func purge() {
        var d = EventDecoder()
        for step in 0..<6 { scalarEvent(step: step, tag: "loss", value: Float(step)).withUnsafeBytes { d.consume($0, file: "f", offset: 0) } }
        startEvent(step: 3).withUnsafeBytes { d.consume($0, file: "f", offset: 0) }
        scalarEvent(step: 3, tag: "loss", value: 30).withUnsafeBytes { d.consume($0, file: "f", offset: 0) }
        #expect(same(d.log.series("loss"), [(0, 0), (1, 1), (2, 2), (3, 30)]))
        #expect(d.purges == 1 && d.malformed.isEmpty)
    }
}
