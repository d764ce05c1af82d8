import Foundation
import Testing

/// The README's `make` targets: one release build serves `demo`, `install` and `bench`.
@Suite struct MakefileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `make -n TARGET` with the release binary at `binary`: the commands make would run.
    static func dryRun(_ target: String, binary: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["make", "-s", "-n", "-C", root, target, "RELEASE_BIN=\(binary)", "DESTDIR=/nonexistent"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "make -n \(target): \(text)")
        return text
    }

    @Test(arguments: ["demo", "install", "bench"])
    func anUpToDateReleaseBinaryIsNotRebuilt(target: String) throws {
        let binary = NSTemporaryDirectory() + "genwindow-make-\(getpid())-\(target)"
        #expect(FileManager.default.createFile(atPath: binary, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: binary) }
        let commands = try Self.dryRun(target, binary: binary)
        #expect(!commands.contains("swift build"), "make \(target) rebuilds an up-to-date binary:\n\(commands)")
        #expect(commands.contains(binary), "make \(target) does not use the release binary:\n\(commands)")
    }

    @Test func aMissingReleaseBinaryIsBuiltOnce() throws {
        let commands = try Self.dryRun("install", binary: NSTemporaryDirectory() + "genwindow-make-missing-\(getpid())")
        #expect(commands.components(separatedBy: "swift build -c release").count == 2, "\(commands)")
    }
}
