import Foundation
@testable import RunFiles
import RunFormat
import Testing

/// Inputs the libFuzzer targets (`make fuzz`) found crashing, kept as regression tests.
@Suite struct FuzzRegressionTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs").path

    @Test(arguments: ["runfile-crash-1.jsonl"])
    func runFileInputsReadOrFailCleanly(_ name: String) throws {
        let path = Self.inputs + "/" + name
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        // As the fuzz target feeds it: two chunks split at the first byte's value, under both policies.
        let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        for policy in [MalformedLinePolicy.skip, .fail] {
            var decoder = RunStreamDecoder(path: name, malformed: policy)
            do {
                try bytes.withUnsafeBufferPointer { b in
                    try decoder.feed(UnsafeBufferPointer(rebasing: b[0..<split]))
                    try decoder.feed(UnsafeBufferPointer(rebasing: b[split...]))
                }
            } catch let error as RunFileError {
                #expect(!error.description.isEmpty)
            }
            for problem in decoder.problems { #expect(!problem.description.isEmpty) }
        }
        #expect(throws: RunFileError.self) { try RunReader.read(path: path, malformed: .skip) }
    }
}

/// The crash `FuzzRunFile` found, minimized: a line completed across two chunks whose decoding throws. The
/// error thrown through `RunLineReader.feed` (then `rethrows`) from inside `pending.withUnsafeBufferPointer`
/// arrived as a corrupt existential and crashed the first cast (a Swift 6.3 miscompile of rethrows around a
/// typed-throws closure); `feed` now simply `throws`.
@Suite struct MinimizedFuzzCrashTests {
    @Test func anErrorFromALineSplitAcrossChunksArrivesIntact() throws {
        let bytes: [UInt8] = [0x5C, 0x0A, 0x31, 0x5C, 0x0A, 0xFF]
        var decoder = RunStreamDecoder(path: "x", malformed: .skip)
        let error = #expect(throws: RunFileError.self) {
            try bytes.withUnsafeBufferPointer { b in
                try decoder.feed(UnsafeBufferPointer(rebasing: b[0..<1]))
                try decoder.feed(UnsafeBufferPointer(rebasing: b[1...]))
            }
        }
        #expect(error?.description.contains("not a genwindow run file") == true)
    }
}
