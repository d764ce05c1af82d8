import CKernels

/// xoshiro256** (Blackman & Vigna): a small, fast, seedable generator with a 2²⁵⁶ − 1 period.
///
/// Everything random in genwindow flows from one of these, seeded from the run's seed, and every derived value
/// is computed from raw `UInt64` bits here (never the standard library's `random(in:)`, whose algorithm may
/// change between Swift versions), so a seed reproduces a run bit for bit on one machine.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Equatable {
    private var s0, s1, s2, s3: UInt64
    /// Second normal deviate of the last Box–Muller pair, if not yet used.
    private var spareNormal: Double?

    /// Seeds the state by expanding `seed` with SplitMix64 (the seeding the authors recommend).
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
        spareNormal = nil
    }

    /// The generator's whole state — its four words and the pending normal deviate — so a resumed run draws
    /// exactly the numbers the uninterrupted one would have.
    public var state: (words: [UInt64], spareNormal: Double?) { ([s0, s1, s2, s3], spareNormal) }

    /// A generator in a state taken from `state` (four words, not all zero).
    public init?(words: [UInt64], spareNormal: Double?) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        s0 = words[0]; s1 = words[1]; s2 = words[2]; s3 = words[3]
        self.spareNormal = spareNormal
    }

    /// An independent generator for a named sub-stream (e.g. "data", "init", "eval"): same seed and stream id,
    /// same numbers, whatever else the program drew before.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ stream)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in the open interval (0, 1): never exactly 0, for logarithms.
    @inline(__always)
    public mutating func nextOpenUniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// Uniform integer in 0..<bound, unbiased (Lemire's multiply-and-reject).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// A standard normal deviate (Box–Muller in Double; pairs are used in full).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = nextOpenUniform(), u2 = nextUniform()
        let r = (-2 * _log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = r * _sin(theta)
        return r * _cos(theta)
    }

    /// Fills `buffer` with independent N(mean, std²) values.
    public mutating func fillNormal<T: BLASScalar>(_ buffer: UnsafeMutableBufferPointer<T>, mean: Double = 0, std: Double = 1) {
        for i in 0..<buffer.count { buffer[i] = T(mean + std * nextNormal()) }
    }

    /// Fills `buffer` with independent N(0, 1) Floats, much faster than `fillNormal`: vectorized Box–Muller in
    /// Float, both uniforms of a pair from one 64-bit draw (24 bits each, so |z| ≤ 5.9). For the loops that draw
    /// fresh noise every step (DDPM training and sampling). Draws in blocks of up to 256 pairs; an odd count
    /// draws one pair more than it uses.
    public mutating func fillStandardNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let base = buffer.baseAddress else { return }
        let block = 256
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: block) { words in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * block) { spill in
                var done = 0
                while done < buffer.count {
                    let pairs = min(block, (buffer.count - done + 1) / 2)
                    for j in 0..<pairs { words[j] = next() }
                    if 2 * pairs <= buffer.count - done {
                        gw_normals_from_words(base + done, words.baseAddress!, pairs)
                    } else {
                        gw_normals_from_words(spill.baseAddress!, words.baseAddress!, pairs)
                        (base + done).update(from: spill.baseAddress!, count: buffer.count - done)
                    }
                    done += 2 * pairs
                }
            }
        }
    }

    /// An array of `count` independent N(mean, std²) values.
    public mutating func normals<T: BLASScalar>(_ count: Int, mean: Double = 0, std: Double = 1, as: T.Type = T.self) -> [T] {
        var out = [T](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { fillNormal($0, mean: mean, std: std) }
        return out
    }

    /// A uniformly random permutation of `array` (Fisher–Yates with `nextInt(below:)`).
    public mutating func shuffled<C>(_ array: [C]) -> [C] {
        var a = array
        if a.count < 2 { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            a.swapAt(i, j)
        }
        return a
    }

    /// `k` distinct indices from 0..<n, in random order.
    public mutating func sample(_ k: Int, from n: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "cannot sample \(k) of \(n)")
        var pool = Array(0..<n)
        for i in 0..<k {
            let j = i + nextInt(below: n - i)
            pool.swapAt(i, j)
        }
        return Array(pool[0..<k])
    }
}

// Foundation-free libm access, so NumericCore stays pure and portable.
#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Darwin.sin(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
