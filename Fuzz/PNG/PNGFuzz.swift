@testable import Datasets
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry: writes the input to a temporary file and decodes it with the PNG loader; a result must
/// hold width × height pixels.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = "/tmp/genwindow-png-fuzz-\(getpid()).png"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    _ = write(fd, data, size)
    close(fd)
    if let image = try? PNGFolder.readGrey(path: path) {
        precondition(image.grey.count == image.width * image.height)
    }
    return 0
}

/// SwiftPM links an executable target's entry point as `FuzzPNG_main`; it hands over to libFuzzer's driver.
@_cdecl("FuzzPNG_main")
public func fuzzPNGMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzPNG)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32
