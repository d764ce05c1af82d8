import CZlib

/// Reads a whole gzip file (or a plain file, which zlib passes through) into memory.
enum GzipFile {
    static func read(path: String) throws -> [UInt8] {
        guard let file = gzopen(path, "rb") else { throw DatasetError("\(path): cannot open") }
        defer { gzclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if got < 0 { throw DatasetError("\(path): not a readable gzip file") }
            if got == 0 { break }
            out.append(contentsOf: chunk[0..<Int(got)])
        }
        return out
    }
}
