@testable import RunFiles

/// libFuzzer entry: feeds the input to the run-file decoder (the reader and follower's line splitter, JSON
/// parser and record decoder) in two chunks split at its first byte's value, with malformed lines skipped.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    for policy in [MalformedLinePolicy.skip, .fail] {
        var decoder = RunStreamDecoder(path: "fuzz", malformed: policy)
        do {
            try decoder.feed(UnsafeBufferPointer(rebasing: bytes[0..<split]))
            try decoder.feed(UnsafeBufferPointer(rebasing: bytes[split..<size]))
            _ = decoder.takeRecords()
        } catch {}
    }
    return 0
}

/// SwiftPM links an executable target's entry point as `FuzzRunFile_main`; it hands over to libFuzzer's driver.
@_cdecl("FuzzRunFile_main")
public func fuzzRunFileMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzRunFile)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32
