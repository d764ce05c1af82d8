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
    /// The single element's value, or nil for another dtype, more than one element, or malformed bytes. The
    /// value comes from tensor_content when present, else from the repeated field of the dtype (as TensorFlow's
    /// `make_ndarray` reads it), whatever order the fields come in.
    public static func value(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Double? {
        var dtype: UInt64 = 0
        var shape: Range<Int>?
        var content: Range<Int>?
        var firstFloat: Float?
        var firstDouble: Double?
        var firstInt32: UInt64?, firstInt64: UInt64?, firstHalf: UInt64?
        var r = ProtoReader(b, range: range)
        while let f = r.next() {
            switch (f.number, f.payload) {
            case (1, .varint(let v)): dtype = v
            case (2, .bytes(let s)): shape = s
            case (4, .bytes(let c)): content = c
            case (5, .fixed32(let bits)): if firstFloat == nil { firstFloat = Float(bitPattern: bits) }
            case (5, .bytes(let p)):
                if firstFloat == nil, p.count >= 4 {
                    firstFloat = Float(bitPattern: b.loadUnaligned(fromByteOffset: p.lowerBound, as: UInt32.self).littleEndian)
                }
            case (6, .fixed64(let bits)): if firstDouble == nil { firstDouble = Double(bitPattern: bits) }
            case (6, .bytes(let p)):
                if firstDouble == nil, p.count >= 8 {
                    firstDouble = Double(bitPattern: b.loadUnaligned(fromByteOffset: p.lowerBound, as: UInt64.self).littleEndian)
                }
            case (7, .varint(let v)): if firstInt32 == nil { firstInt32 = v }
            case (10, .varint(let v)): if firstInt64 == nil { firstInt64 = v }
            case (13, .varint(let v)): if firstHalf == nil { firstHalf = v }
            case (7, .bytes(let p)), (10, .bytes(let p)), (13, .bytes(let p)):
                var first: UInt64?
                guard ProtoReader.forEachPackedVarint(in: b, p, { x in if first == nil { first = x } }) else { return nil }
                switch f.number {
                case 7: if firstInt32 == nil { firstInt32 = first }
                case 10: if firstInt64 == nil { firstInt64 = first }
                default: if firstHalf == nil { firstHalf = first }
                }
            default: break
            }
        }
        if r.malformed { return nil }
        if let shape, elementCount(b, shape) != 1 { return nil }
        if let content, !content.isEmpty { return contentValue(dtype: dtype, content, b) }
        switch dtype {
        case 1: return firstFloat.map(Double.init)
        case 2: return firstDouble
        case 3: return firstInt32.map { Double(Int32(truncatingIfNeeded: Int64(bitPattern: $0))) }
        case 9: return firstInt64.map { Double(Int64(bitPattern: $0)) }
        case 14: return firstHalf.map { Double(Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16)) }
        case 19: return firstHalf.map { Double(halfToFloat(UInt16(truncatingIfNeeded: $0))) }
        default: return nil
        }
    }

    /// The element stored raw (little-endian) in tensor_content, when its size fits the dtype.
    private static func contentValue(dtype: UInt64, _ content: Range<Int>, _ b: UnsafeRawBufferPointer) -> Double? {
        let o = content.lowerBound
        switch (dtype, content.count) {
        case (1, 4): return Double(Float(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian))
        case (2, 8): return Double(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian)
        case (3, 4): return Double(Int32(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian))
        case (9, 8): return Double(Int64(bitPattern: b.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian))
        case (14, 2): return Double(Float(bitPattern: UInt32(b.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian) << 16))
        case (19, 2): return Double(halfToFloat(b.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian))
        default: return nil
        }
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
