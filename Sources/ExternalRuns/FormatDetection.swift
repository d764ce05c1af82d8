import Foundation
import RunFormat

/// Recognizes an input by its content: TFRecord framing whose first length CRC checks out (a TensorBoard event
/// file; an empty file named like one too), JSON lines whose first object is a genwindow run header or has a
/// `step` key, or CSV whose header row has a `step` column. A directory is a TensorBoard log directory.
public enum FormatDetection {
    public static let lookedFor = "a TensorBoard event file (TFRecord framing with a valid length CRC), a CSV file whose header has a 'step' column, JSON lines with a 'step' key, or a genwindow run file"

    /// The format of `path`, or an error naming what was looked for.
    public static func detect(path: String) throws(ExternalRunError) -> ExternalFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ExternalRunError("\(path): no such file or directory")
        }
        if isDirectory.boolValue { return .tfevents }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ExternalRunError("\(path): cannot open") }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 1 << 16)) ?? Data())
        if let format = detect(head) { return format }
        if head.isEmpty && LogDirectory.isEventFile((path as NSString).lastPathComponent) { return .tfevents }
        throw ExternalRunError("\(path): unknown format; looked for \(lookedFor)")
    }

    /// The format of a file starting with `head`, or nil when none fits.
    public static func detect(_ head: [UInt8]) -> ExternalFormat? {
        if head.count >= 12 {
            let crcOK = head.withUnsafeBytes { b in
                CRC32C.masked(UnsafeRawBufferPointer(rebasing: b[0..<8])) == b.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
            }
            if crcOK { return .tfevents }
        }
        var firstLine = head.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: true).first.map(Array.init) ?? []
        if firstLine.last == 0x0D { firstLine.removeLast() }
        let text = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("{") {
            guard case .object(let o)? = try? JSONParser.parse(text) else { return nil }
            if o["type"]?.string == "header" && o["format"]?.string == RunFormatVersion.format { return .genwindow }
            return o["step"]?.int != nil ? .jsonl : nil
        }
        let names = firstLine.withUnsafeBytes { CSVLogReader.fields($0) }
        return names.count > 1 && names.contains("step") ? .csv : nil
    }
}
