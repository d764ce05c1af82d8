import Foundation
import NumericCore
import Testing

/// The one atomic writer every crash-safe file goes through.
@Suite struct AtomicFileTests {
    static func folder() -> String {
        let dir = NSTemporaryDirectory() + "gw-atomic-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func replacesTheFileWholeAndLeavesNoTemporary() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state.bin"
        try AtomicFile.write(Array("old contents".utf8), to: path)
        let big = [UInt8]((0..<3_000_000).map { UInt8($0 % 251) })
        try AtomicFile.write(big, to: path)
        #expect(FileManager.default.contents(atPath: path) == Data(big))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["state.bin"])
    }

    @Test func modeAndTextAreKept() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/job.sbatch"
        try AtomicFile.write(text: "#!/bin/sh\necho τ\n", to: path, mode: 0o755)
        #expect(String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self) == "#!/bin/sh\necho τ\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(((permissions ?? 0) & 0o100) != 0, "the script is not executable")
    }

    @Test func aFailureNamesThePathAndLeavesTheOldFile() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: AtomicFileError.self) { try AtomicFile.write([1, 2, 3], to: dir + "/missing/x.bin") }
        do {
            try AtomicFile.write([1], to: dir + "/missing/x.bin")
        } catch {
            #expect(error.description.hasPrefix(dir + "/missing/x.bin: cannot create"))
        }
        // A folder where the file should go: the rename fails, the temporary is removed.
        try FileManager.default.createDirectory(atPath: dir + "/taken", withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: dir + "/taken/keep", contents: Data([7])))
        #expect(throws: AtomicFileError.self) { try AtomicFile.write([1, 2], to: dir + "/taken") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["taken"])
    }
}
