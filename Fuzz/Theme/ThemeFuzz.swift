import Dashboard
import TerminalUI

/// libFuzzer entry: parses the input as a theme file (a hostile file name too); a rejection must be one line,
/// `FILE:LINE: message`, naming a line of the input, with no control character.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = "fuzz\u{1B}[2J.theme"
    do {
        _ = try ThemeFile.parse(bytes: bytes, file: file)
    } catch {
        let text = error.description
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
        precondition((1...lines).contains(error.line), "line \(error.line) of \(lines)")
        precondition(text.hasPrefix("\(Sanitize.text(file)):\(error.line): "), "unexpected form")
        precondition(text.unicodeScalars.allSatisfy { !($0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0)) },
                     "control character in the error")
        precondition(text.count < 400, "a \(text.count)-character error")
    }
    return 0
}

/// SwiftPM links an executable target's entry point as `FuzzTheme_main`; it hands over to libFuzzer's driver.
@_cdecl("FuzzTheme_main")
public func fuzzThemeMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzTheme)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32
