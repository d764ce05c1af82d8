import Foundation
import NumericCore

/// The UCI "Optical Recognition of Handwritten Digits" 8×8 set (E. Alpaydin, C. Kaynak, 1998; UCI ML
/// Repository, CC BY 4.0), as shipped by scikit-learn (BSD-3-Clause): 1,797 images with values 0…16 and labels
/// 0…9. genwindow ships the same 57 KB `digits.csv.gz` as a package resource.
enum Digits {
    static let fileName = "digits.csv.gz"
    static let resourceBundle = "genwindow_Datasets.resources"

    /// Every image; intensities v/16.
    static func load() throws -> LabelledPool {
        guard let path = locate() else {
            throw DatasetError("cannot find \(fileName) (looked beside the executable in \(resourceBundle)/ and in the source tree); rebuild genwindow or set GENWINDOW_DIGITS to the file")
        }
        return try parse(GzipFile.read(path: path), path: path)
    }

    /// The resource file: `$GENWINDOW_DIGITS`, the resource bundle beside the running executable (release
    /// binary, `swift run`, test bundles), or the source tree this binary was built from.
    static func locate() -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["GENWINDOW_DIGITS"] { candidates.append(env) }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let dir = (exe as NSString).deletingLastPathComponent
            candidates.append("\(dir)/\(resourceBundle)/\(fileName)")
        }
        let source = ((#filePath as NSString).deletingLastPathComponent as NSString)
        candidates.append(source.appendingPathComponent("Resources/\(fileName)"))
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Parses the CSV: 65 integers per line, 64 pixels then the label.
    static func parse(_ bytes: [UInt8], path: String) throws -> LabelledPool {
        var pixels: [Float] = []
        var labels: [Int] = []
        pixels.reserveCapacity(1797 * 64)
        var field = 0, value = 0, lineNumber = 1, digits = 0
        func endField() throws {
            guard digits > 0 else { throw DatasetError("\(path):\(lineNumber): empty field") }
            if field < 64 {
                pixels.append(Float(value) / 16)
            } else if field == 64 {
                labels.append(value)
            } else {
                throw DatasetError("\(path):\(lineNumber): more than 65 fields")
            }
            field += 1; value = 0; digits = 0
        }
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(b - UInt8(ascii: "0")); digits += 1
            case UInt8(ascii: "."):
                continue
            case UInt8(ascii: ","):
                try endField()
            case UInt8(ascii: "\n"):
                if field == 0 && digits == 0 { lineNumber += 1; continue }
                try endField()
                guard field == 65 else { throw DatasetError("\(path):\(lineNumber): expected 65 fields, found \(field)") }
                field = 0; lineNumber += 1
            case UInt8(ascii: "\r"):
                continue
            default:
                throw DatasetError("\(path):\(lineNumber): unexpected character")
            }
        }
        guard labels.count > 0, labels.allSatisfy({ (0..<10).contains($0) }) else {
            throw DatasetError("\(path): no images, or labels outside 0…9")
        }
        return LabelledPool(pixels: Matrix(rows: labels.count, cols: 64, storage: pixels), labels: labels,
                            classes: 10, shape: [8, 8])
    }
}
