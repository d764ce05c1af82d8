/// The fields of a TensorBoard `Event` that genwindow reads, as ranges of the record's bytes (nothing copied).
///
/// Field numbers (tensorflow/core/util/event.proto): wall_time 1 (double), step 2 (int64), file_version 3,
/// summary 5, session_log 7 (status 1: START = 1).
public struct EventFields {
    public var wallTime: Double = 0
    public var step: Int64 = 0
    public var fileVersion: Range<Int>?
    public var summary: Range<Int>?
    /// `SessionLog.status` when the event carries a session log.
    public var sessionStatus: UInt64?

    public static let sessionStart: UInt64 = 1

    /// Decodes one event; nil when the bytes are not a well-formed message.
    public static func decode(_ b: UnsafeRawBufferPointer) -> EventFields? {
        var e = EventFields()
        var r = ProtoReader(b)
        while let f = r.next() {
            switch (f.number, f.payload) {
            case (1, .fixed64(let bits)): e.wallTime = Double(bitPattern: bits)
            case (2, .varint(let v)): e.step = Int64(bitPattern: v)
            case (3, .bytes(let range)): e.fileVersion = range
            case (5, .bytes(let range)): e.summary = range
            case (7, .bytes(let range)):
                var s = ProtoReader(b, range: range)
                var status: UInt64 = 0
                while let g = s.next() { if g.number == 1, case .varint(let v) = g.payload { status = v } }
                if s.malformed { return nil }
                e.sessionStatus = status
            default: break
            }
        }
        return r.malformed ? nil : e
    }
}

/// One `Summary.Value`: tag 1, simple_value 2 (float), image 4, tensor 8, metadata 9 (plugin_data 1 →
/// plugin_name 1).
public struct SummaryValueFields {
    public var tag: Range<Int>?
    public var simpleValue: Float?
    public var image: Range<Int>?
    public var tensor: Range<Int>?
    public var pluginName: Range<Int>?

    /// Calls `body` with each value of the `Summary` in `range` (its field 1); false when malformed.
    public static func forEach(in b: UnsafeRawBufferPointer, summary range: Range<Int>, _ body: (SummaryValueFields) -> Void) -> Bool {
        var r = ProtoReader(b, range: range)
        while let f = r.next() {
            guard f.number == 1, case .bytes(let valueRange) = f.payload else { continue }
            guard let v = decode(b, valueRange) else { return false }
            body(v)
        }
        return !r.malformed
    }

    static func decode(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> SummaryValueFields? {
        var v = SummaryValueFields()
        var r = ProtoReader(b, range: range)
        while let f = r.next() {
            switch (f.number, f.payload) {
            case (1, .bytes(let t)): v.tag = t
            case (2, .fixed32(let bits)): v.simpleValue = Float(bitPattern: bits)
            case (4, .bytes(let i)): v.image = i
            case (8, .bytes(let t)): v.tensor = t
            case (9, .bytes(let m)):
                var meta = ProtoReader(b, range: m)
                while let g = meta.next() {
                    guard g.number == 1, case .bytes(let pd) = g.payload else { continue }
                    var pluginData = ProtoReader(b, range: pd)
                    while let h = pluginData.next() { if h.number == 1, case .bytes(let name) = h.payload { v.pluginName = name } }
                    if pluginData.malformed { return nil }
                }
                if meta.malformed { return nil }
            default: break
            }
        }
        return r.malformed ? nil : v
    }
}

/// `Summary.Image`: height 1, width 2, colorspace 3, encoded_image_string 4 (PNG).
public struct ImageFields {
    public var height = 0
    public var width = 0
    public var colorspace = 0
    public var encoded: Range<Int> = 0..<0

    public static func decode(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> ImageFields? {
        var image = ImageFields()
        var r = ProtoReader(b, range: range)
        while let f = r.next() {
            switch (f.number, f.payload) {
            case (1, .varint(let v)): image.height = Int(truncatingIfNeeded: v)
            case (2, .varint(let v)): image.width = Int(truncatingIfNeeded: v)
            case (3, .varint(let v)): image.colorspace = Int(truncatingIfNeeded: v)
            case (4, .bytes(let e)): image.encoded = e
            default: break
            }
        }
        return r.malformed ? nil : image
    }
}

/// The value of a one-element numeric `TensorProto` (a TF2 or `new_style` scalar).
///
/// TensorProto: dtype 1, tensor_shape 2 (dim 2 → size 1), tensor_content 4 (raw little-endian), float_val 5,
/// double_val 6, int_val 7, int64_val 10, half_val 13 (HALF and BFLOAT16 bits). DataType: FLOAT 1, DOUBLE 2,
/// INT32 3, INT64 9, BFLOAT16 14, HALF 19.
public enum TensorScalar {
    /// The single element's value, or nil for another dtype, more than one element, or malformed bytes.
    public static func value(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Double? {
        var dtype: UInt64 = 0
        var shape: Range<Int>?
        var content: Range<Int>?
        var first: Double?
        var r = ProtoReader(b, range: range)
        while let f = r.next() {
            switch (f.number, f.payload) {
            case (1, .varint(let v)): dtype = v
            case (2, .bytes(let s)): shape = s
            case (4, .bytes(let c)): content = c
            case (5, .fixed32(let bits)): if first == nil { first = Double(Float(bitPattern: bits)) }
            case (5, .bytes(let p)): if first == nil, p.count >= 4 { first = Double(Float(bitPattern: b.loadUnaligned(fromByteOffset: p.lowerBound, as: UInt32.self).littleEndian)) }
            case (6, .fixed64(let bits)): if first == nil { first = Double(bitPattern: bits) }
            case (6, .bytes(let p)): if first == nil, p.count >= 8 { first = Double(bitPattern: b.loadUnaligned(fromByteOffset: p.lowerBound, as: UInt64.self).littleEndian) }
            case (7, .varint(let v)), (10, .varint(let v)), (13, .varint(let v)):
                if first == nil { first = integer(v, field: f.number, dtype: dtype) }
            case (7, .bytes(let p)), (10, .bytes(let p)), (13, .bytes(let p)):
                if first == nil {
                    var v: UInt64?
                    guard ProtoReader.forEachPackedVarint(in: b, p, { x in if v == nil { v = x } }) else { return nil }
                    first = v.map { integer($0, field: f.number, dtype: dtype) }
                }
            default: break
            }
        }
        if r.malformed { return nil }
        if let shape, elementCount(b, shape) != 1 { return nil }
        return scalar(dtype: dtype, first: first, content: content, b)
    }

    private static func scalar(dtype: UInt64, first: Double?, content: Range<Int>?, _ b: UnsafeRawBufferPointer) -> Double? {
        guard [1, 2, 3, 9, 14, 19].contains(dtype) else { return nil }
        if let content, !content.isEmpty {
            let o = content.lowerBound
            switch dtype {
            case 1: return content.count == 4 ? Double(Float(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian)) : nil
            case 2: return content.count == 8 ? Double(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian) : nil
            case 3: return content.count == 4 ? Double(Int32(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian)) : nil
            case 9: return content.count == 8 ? Double(Int64(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian)) : nil
            case 14: return content.count == 2 ? Double(Float(bitPattern: UInt32(b.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian) << 16)) : nil
            default: return content.count == 2 ? Double(halfToFloat(b.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian)) : nil
            }
        }
        return first
    }

    /// A varint element: int_val (7) and int64_val (10) as signed integers, half_val (13) as HALF or BFLOAT16 bits.
    private static func integer(_ v: UInt64, field: Int, dtype: UInt64) -> Double {
        if field == 13 {
            let bits = UInt16(truncatingIfNeeded: v)
            return dtype == 14 ? Double(Float(bitPattern: UInt32(bits) << 16)) : Double(halfToFloat(bits))
        }
        return field == 7 ? Double(Int32(truncatingIfNeeded: Int64(bitPattern: v))) : Double(Int64(bitPattern: v))
    }

    /// The product of the dimension sizes of a `TensorShapeProto` (1 for rank 0), or nil when malformed.
    private static func elementCount(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var count = 1
        var r = ProtoReader(b, range: range)
        while let f = r.next() {
            guard f.number == 2, case .bytes(let dim) = f.payload else { continue }
            var d = ProtoReader(b, range: dim)
            var size: Int64 = 0
            while let g = d.next() { if g.number == 1, case .varint(let v) = g.payload { size = Int64(bitPattern: v) } }
            guard !d.malformed, size >= 0 else { return nil }
            let (p, overflow) = count.multipliedReportingOverflow(by: Int(size))
            guard !overflow else { return nil }
            count = p
        }
        return r.malformed ? nil : count
    }

    /// IEEE 754 binary16 bits to Float (exact: every half is a float).
    public static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
}
