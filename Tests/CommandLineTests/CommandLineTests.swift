import Foundation
import Testing
import TestSupport

@Suite("genwindow command line")
struct CommandLineTests {
    @Test("--version names the program and the active OpenBLAS core")
    func version() throws {
        let r = try runGenwindow(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("genwindow "))
        #expect(r.stdout.contains("OpenBLAS core "))
    }

    @Test("a forced kernel family is used and reported; the self-check passes on it")
    func forcedCore() throws {
        let r = try runGenwindow(["doctor"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("openblas core: Prescott"))
        #expect(r.stdout.contains("sgemm") && !r.stdout.contains("FAILED"))
    }

    @Test("without OPENBLAS_CORETYPE, genwindow ends up on the fastest kernels this CPU supports")
    func automaticCore() throws {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OPENBLAS_CORETYPE")
        env.removeValue(forKey: "GENWINDOW_BLAS_REEXEC")
        let process = Process()
        process.executableURL = genwindowBinary()
        process.arguments = ["doctor"]
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        // "openblas core: X (… kernels, the fastest family this CPU supports)"
        let line = text.split(separator: "\n").first { $0.hasPrefix("openblas core:") } ?? ""
        #expect(line.hasSuffix("the fastest family this CPU supports)") || line.contains("generic kernels are its fastest"),
                "\(line)")
    }

    @Test("unknown options and subcommands give one line on stderr and exit 64")
    func usageErrors() throws {
        for args in [["--bogus"], ["frobnicate"], ["doctor", "--nope"]] {
            let r = try runGenwindow(args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("genwindow: "), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }

    @Test("--help lists the subcommands")
    func help() throws {
        let r = try runGenwindow(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("doctor"))
    }
}
