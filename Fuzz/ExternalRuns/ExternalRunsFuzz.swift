import ExternalRuns

/// libFuzzer entry: feeds the input, in two chunks split at its first byte's value, to the TFRecord framer (each
/// record to the event decoder), straight to the event decoder (random bytes rarely pass a CRC), and to the CSV
/// and JSON-lines readers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExternalRuns(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    let parts = [UnsafeRawBufferPointer(rebasing: bytes[0..<split]), UnsafeRawBufferPointer(rebasing: bytes[split..<size])]
    var framer = TFRecordFramer()
    var decoder = EventDecoder()
    for part in parts { framer.feed(part) { record, offset in decoder.consume(record, file: "fuzz", offset: offset) } }
    decoder.consume(bytes, file: "fuzz", offset: 0)
    var csv = CSVLogReader()
    var jsonl = JSONLinesLogReader()
    var log = ScalarLog()
    for part in parts {
        csv.feed(part, into: &log)
        jsonl.feed(part, into: &log)
    }
    return 0
}

/// SwiftPM links an executable target's entry point as `FuzzExternalRuns_main`; it hands over to libFuzzer's driver.
@_cdecl("FuzzExternalRuns_main")
public func fuzzExternalRunsMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzExternalRuns)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32
