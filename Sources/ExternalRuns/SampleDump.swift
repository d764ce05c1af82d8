import NumericCore

/// A dump of generated samples that a training script saved with `np.save`: the file name ends in the training
/// step (`step_0001500.npy`, `samples-1500.npy`), the array holds m samples as (m, d), (m, H, W), (m, H, W, C)
/// or (m, C, H, W) of float32, float64 or uint8.
public enum SampleDump {
    /// The step a dump's file name ends in (before its extension), or nil when it ends in no digits.
    public static func step(fileName: String) -> Int? {
        var stem = Substring(fileName)
        if let dot = stem.lastIndex(of: ".") { stem = stem[..<dot] }
        let digits = stem.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        return Int(String(digits.reversed()))
    }

    /// The samples as an m × d matrix, one row per sample; images in (H, W, C) order, so a channels-first dump
    /// reads as the same rows as its channels-last twin. Values are kept as stored (uint8 stays 0…255).
    ///
    /// A 4-D shape is channels-last when its last axis has 1, 3 or 4 entries and channels-first when only its
    /// second axis does; when both could be, `channels` (the training images' channel count, if known) decides,
    /// and channels-last is taken without it.
    public static func rows(_ array: NpyArray, channels: Int? = nil) throws(ExternalRunError) -> (rows: Matrix<Float>, imageShape: [Int]) {
        let shape = array.shape
        let values: [Float]
        switch array.values {
        case .float32(let v): values = v
        case .float64(let v): values = v.map { Float($0) }
        case .uint8(let v): values = v.map { Float($0) }
        default: throw ExternalRunError("a sample dump holds float32, float64 or uint8, not \(array.values.dtype)")
        }
        guard (2...4).contains(shape.count), shape.allSatisfy({ $0 > 0 }) else {
            throw ExternalRunError("a sample dump has shape (m, d), (m, H, W), (m, H, W, C) or (m, C, H, W), not \(shape)")
        }
        let m = shape[0]
        let d = values.count / m
        guard shape.count == 4 else {
            return (Matrix(rows: m, cols: d, storage: values), Array(shape.dropFirst()))
        }
        let channelAxes: Set<Int> = [1, 3, 4]
        let lastFits = channelAxes.contains(shape[3])
        let firstFits = channelAxes.contains(shape[1])
        let channelsFirst = firstFits && (!lastFits || (channels != nil && shape[1] == channels && shape[3] != channels))
        guard channelsFirst else { return (Matrix(rows: m, cols: d, storage: values), Array(shape.dropFirst())) }
        let (c, h, w) = (shape[1], shape[2], shape[3])
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<m {
                    let base = i * d
                    for ch in 0..<c {
                        for y in 0..<h {
                            for x in 0..<w { dst[base + (y * w + x) * c + ch] = src[base + (ch * h + y) * w + x] }
                        }
                    }
                }
            }
        }
        return (Matrix(rows: m, cols: d, storage: out), [h, w, c])
    }
}
