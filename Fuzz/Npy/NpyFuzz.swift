import NumericCore

/// libFuzzer entry: decodes the input as a `.npy` image; a result must hold as many values as its shape says.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    if let array = try? NpyArray.decode(Array(UnsafeBufferPointer(start: data, count: size))) {
        precondition(array.shape.reduce(1, *) == array.values.count)
    }
    return 0
}

/// SwiftPM links an executable target's entry point as `FuzzNpy_main`; it hands over to libFuzzer's driver.
@_cdecl("FuzzNpy_main")
public func fuzzNpyMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzNpy)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32
