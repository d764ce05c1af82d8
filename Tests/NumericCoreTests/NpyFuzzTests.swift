import NumericCore
import Testing

@Suite(".npy decoder under hostile input")
struct NpyFuzzTests {
    @Test("3,000 mutated .npy images: a valid array or an NpyError, never a crash")
    func mutatedImages() {
        let base = NpyArray(shape: [3, 4], values: .float32((0..<12).map(Float.init))).encode()
        var rng = Xoshiro256(seed: 77)
        var valid = 0, refused = 0
        for _ in 0..<3000 {
            var bytes = base
            switch rng.nextInt(below: 4) {
            case 0:
                bytes = Array(bytes.prefix(rng.nextInt(below: bytes.count + 1)))
            case 1:
                for _ in 0..<(1 + rng.nextInt(below: 6)) { bytes[rng.nextInt(below: bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2:  // rewrite the header's shape with random, possibly huge or negative numbers
                let text = String(decoding: bytes[10..<128], as: UTF8.self)
                let dims = (0..<(1 + rng.nextInt(below: 4))).map { _ in String(Int64(bitPattern: rng.next()) >> rng.nextInt(below: 64)) }
                let header = text.replacingOccurrences(of: "(3, 4)", with: "(" + dims.joined(separator: ", ") + ")")
                bytes = Array(bytes[0..<10]) + Array(header.utf8) + Array(bytes[128...])
            default:  // corrupt the header length
                bytes[8] = UInt8(truncatingIfNeeded: rng.next())
                bytes[9] = UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let a = try NpyArray.decode(bytes)
                #expect(a.shape.reduce(1, *) == a.values.count)
                valid += 1
            } catch {
                #expect(!"\(error)".contains("\n"))
                refused += 1
            }
        }
        #expect(valid > 100 && refused > 100, "\(valid) valid, \(refused) refused")
    }
}
