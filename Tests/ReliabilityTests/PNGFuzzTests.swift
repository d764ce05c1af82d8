import Foundation
import NumericCore
import Testing
@testable import Datasets

/// Hostile PNG files for the PNG loader: a valid image mutated (bit flips, byte runs, truncation, spliced
/// chunks) and headers claiming huge sizes with valid CRCs. Each input gives an image or a `DatasetError`;
/// never a crash, a hang or a huge allocation.
@Suite struct PNGFuzzTests {
    /// CRC-32 (PNG's, polynomial 0xEDB88320) of `bytes`.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let length = UInt32(data.count), crc = crc32(body[...])
        return withUnsafeBytes(of: length.bigEndian, Array.init) + body + withUnsafeBytes(of: crc.bigEndian, Array.init)
    }

    static func ihdr(width: UInt32, height: UInt32, depth: UInt8 = 8, colour: UInt8 = 0) -> [UInt8] {
        chunk("IHDR", withUnsafeBytes(of: width.bigEndian, Array.init) + withUnsafeBytes(of: height.bigEndian, Array.init)
              + [depth, colour, 0, 0, 0])
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A valid 4×3 8-bit grey PNG: stored (uncompressed) zlib block of the filtered rows.
    static var valid: [UInt8] {
        var rows: [UInt8] = []
        for y in 0..<3 {
            rows.append(0)  // filter type: none
            for x in 0..<4 { rows.append(UInt8(40 * x + 10 * y)) }
        }
        var adler = (a: UInt32(1), b: UInt32(0))
        for r in rows { adler.a = (adler.a + UInt32(r)) % 65521; adler.b = (adler.b + adler.a) % 65521 }
        let len = UInt16(rows.count)
        let checksum: UInt32 = (adler.b << 16) | adler.a
        var zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)]
        zlib += rows
        zlib += withUnsafeBytes(of: checksum.bigEndian, Array.init)
        return signature + ihdr(width: 4, height: 3) + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    @Test func theSeedImageDecodes() throws {
        let folder = try temporaryFolder("png-seed")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/a.png"
        try Data(Self.valid).write(to: URL(fileURLWithPath: path))
        let image = try PNGFolder.readGrey(path: path)
        #expect(image.width == 4 && image.height == 3 && image.grey[5] == 50)
    }

    @Test func hostileImagesDecodeOrFailCleanly() throws {
        let folder = try temporaryFolder("png-fuzz")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/x.png"
        var rng = Xoshiro256(seed: 10)
        let seed = Self.valid
        var inputs: [[UInt8]] = [
            [], Self.signature, Self.signature + Self.ihdr(width: 0, height: 0) + Self.chunk("IEND", []),
            Self.signature + Self.ihdr(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF) + Self.chunk("IEND", []),
            Self.signature + Self.ihdr(width: 1_000_000, height: 1_000_000) + Array(seed.dropFirst(33)),
            Self.signature + Self.ihdr(width: 65536, height: 65536, depth: 16, colour: 6) + Array(seed.dropFirst(33)),
            Self.signature + Self.ihdr(width: 4, height: 3, depth: 3, colour: 9) + Array(seed.dropFirst(33)),
        ]
        for _ in 0..<2000 {
            var bytes = seed
            switch rng.nextInt(below: 5) {
            case 0:
                for _ in 0...rng.nextInt(below: 8) { bytes[rng.nextInt(below: bytes.count)] ^= UInt8(1 << rng.nextInt(below: 8)) }
            case 1:
                bytes = Array(bytes.prefix(rng.nextInt(below: bytes.count)))
            case 2:
                let at = rng.nextInt(below: bytes.count)
                for k in at..<min(bytes.count, at + 1 + rng.nextInt(below: 16)) { bytes[k] = UInt8(truncatingIfNeeded: rng.next()) }
            case 3:  // a valid-CRC header with random dimensions and format in front of the seed's data
                bytes = Self.signature + Self.ihdr(width: UInt32(truncatingIfNeeded: rng.next() >> UInt64(rng.nextInt(below: 64))),
                                                   height: UInt32(truncatingIfNeeded: rng.next() >> UInt64(rng.nextInt(below: 64))),
                                                   depth: [1, 2, 4, 8, 16, 3][rng.nextInt(below: 6)],
                                                   colour: [0, 2, 3, 4, 6, 5][rng.nextInt(below: 6)]) + Array(seed.dropFirst(33))
            default:
                let at = rng.nextInt(below: bytes.count)
                bytes.insert(contentsOf: Self.chunk(["tEXt", "PLTE", "IDAT", "zzzz"][rng.nextInt(below: 4)],
                                                    (0..<rng.nextInt(below: 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }),
                             at: at)
            }
            inputs.append(bytes)
        }
        var decoded = 0, refused = 0
        for bytes in inputs {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let image = try PNGFolder.readGrey(path: path)
                #expect(image.grey.count == image.width * image.height && image.width * image.height < PNGFolder.maxPixels)
                decoded += 1
            } catch let error as DatasetError {
                #expect(!error.message.isEmpty && !error.message.contains("\u{1B}"))
                refused += 1
            }
        }
        print("PNG fuzz: \(inputs.count) inputs, \(decoded) decoded, \(refused) refused")
        #expect(decoded + refused == inputs.count && decoded > 0 && refused > 0)
    }
}
