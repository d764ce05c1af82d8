import Foundation
import RunFiles
import RunFormat
import Testing
import TestSupport
import TerminalUI

/// Drives the real `genwindow` binary inside tmux: replay a run this test writes, step, mark, quit; check the
/// screen and the run file. Needs `tmux` and a built binary (`swift build`; `swift test` builds it too).
@Suite(.serialized)
struct EndToEndTests {
    @Test func replayStepMarkQuit() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        try e.start("replay \(e.runPath)")
        let screen = try e.waitForScreen { $0.contains("REPLAY") && $0.contains("cursor") }
        for text in ["Loss", "Memorization & quality", "Phase diagram", "Samples", "rf gmm n=1k p=4k", "samples: τ_gen 1k",
                     "cursor 100k", "genwindow sweep"] {
            #expect(screen.contains(text), "screen lacks \(text):\n\(screen)")
        }
        #expect(!screen.contains("[31m"))
        let steps = SampleRun.steps
        let target = steps[steps.count - 4]
        e.keys("h", "h", "Left")
        let moved = try e.waitForScreen { $0.contains("cursor \(NumberFormat.compact(Double(target)))") }
        #expect(moved.contains("evaluation at step"))
        e.keys("m")
        try e.waitUntil { (try? RunReader.read(path: e.runPath).records.last) == .mark(MarkRecord(step: target, label: "mark")) }
        e.keys("q")
        #expect(try e.exitStatus() == 0)
        let log = try RunReader.read(path: e.runPath)
        #expect(log.records.count == SampleRun.records.count + 1)
        #expect(Array(log.records.prefix(SampleRun.records.count)) == SampleRun.records)
        #expect(log.records.last == .mark(MarkRecord(step: target, label: "mark")))
        #expect(e.sttyAfterExit().contains(" echo") && e.sttyAfterExit().contains(" icanon"))
    }

    @Test func deleteMarkAppendsAnEvent() throws {
        let e = try EndToEnd(width: 100, height: 30)
        defer { e.close() }
        try e.start("replay \(e.runPath)")
        _ = try e.waitForScreen { $0.contains("REPLAY") }
        e.keys("m")
        try e.waitUntil { (try? RunReader.read(path: e.runPath).records.last).map { if case .mark = $0 { true } else { false } } ?? false }
        e.keys("d", "q")
        #expect(try e.exitStatus() == 0)
        let last = try RunReader.read(path: e.runPath).records.last
        #expect(last == .event(EventRecord(kind: "mark_deleted", step: SampleRun.steps.last!)))
    }

    @Test func smallTerminalVT100WithoutColour() throws {
        let e = try EndToEnd(width: 40, height: 12)
        defer { e.close() }
        try e.start("replay \(e.runPath)", environment: "TERM=vt100 NO_COLOR=1")
        // The whole frame, not its first rows: tmux may show a frame half drawn.
        let screen = try e.waitForScreen { $0.contains("REPLAY") && $0.contains("Loss") && $0.contains("f_mem") }
        #expect(!screen.contains("too small"))
        e.keys("l", "y", "s", "?")
        _ = try e.waitForScreen { $0.contains("Keys") }
        e.keys("Escape", "q")
        #expect(try e.exitStatus() == 0)
    }

    @Test func tooSmallTerminalStillQuits() throws {
        let e = try EndToEnd(width: 30, height: 10)
        defer { e.close() }
        try e.start("replay \(e.runPath)")
        _ = try e.waitForScreen { $0.contains("too small") }
        e.keys("q")
        #expect(try e.exitStatus() == 0)
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let e = try EndToEnd(width: 80, height: 24)
        defer { e.close() }
        try e.start("replay \(e.runPath)")
        _ = try e.waitForScreen { $0.contains("REPLAY") }
        try e.signalBinary(SIGTERM)
        #expect(try e.exitStatus() == 128 + SIGTERM)
        let stty = e.sttyAfterExit()
        #expect(stty.contains(" echo") && stty.contains(" icanon"), "terminal left in raw mode: \(stty)")
    }

    @Test func notATerminalExits64() throws {
        // watch waits for a file that does not exist yet, so only the terminal is missing (replay reports the file).
        let r = try runGenwindow(["watch", "/nonexistent.jsonl"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--headless"))
    }
}

/// One tmux server (private socket) running the binary in a pane of a given size.
final class EndToEnd {
    static let binary = genwindowBinary().path
    static let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    nonisolated(unsafe) private static var counter = 0

    let directory: String
    let runPath: String
    let socket: String
    let width: Int, height: Int

    /// Fails (never skips) when tmux is missing, saying what to install.
    init(width: Int, height: Int) throws {
        guard EndToEnd.tmuxAvailable else {
            throw EndToEndError("tmux is not installed: these tests drive the real terminal through it (apt-get install tmux; `make test` installs it)")
        }
        EndToEnd.counter += 1
        self.width = width
        self.height = height
        directory = NSTemporaryDirectory() + "genwindow-e2e-\(getpid())-\(EndToEnd.counter)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        runPath = directory + "/run.jsonl"
        socket = "genwindow-e2e-\(getpid())-\(EndToEnd.counter)"
        let writer = try RunWriter(creating: runPath, header: SampleRun.header)
        for r in SampleRun.records { try writer.append(r) }
        try writer.close()
        #expect(FileManager.default.isExecutableFile(atPath: EndToEnd.binary), "build the binary first: swift build")
    }

    /// Runs the binary with `arguments` in the pane; `inDirectory` runs it from the test's folder (for commands
    /// that write relative paths).
    func start(_ arguments: String, environment: String = "TERM=xterm-256color", inDirectory: Bool = false) throws {
        let script = "env \(environment) \(EndToEnd.binary) \(arguments); echo $? > \(directory)/rc; stty -a > \(directory)/stty; sleep 30"
        let cwd = inDirectory ? ["-c", directory] : []
        let status = tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "t"] + cwd + ["sh", "-c", script], capture: false)
        guard status.0 == 0 else { throw EndToEndError("tmux new-session failed: \(status.1)") }
    }

    func keys(_ keys: String...) {
        for k in keys { _ = tmux(["send-keys", "-t", "t", k]) }
    }

    func screen() -> String { tmux(["capture-pane", "-p", "-t", "t"]).1 }

    /// The screen with its colours and attributes as escape sequences (`capture-pane -e`).
    func screenWithEscapes() -> String { tmux(["capture-pane", "-e", "-p", "-t", "t"]).1 }

    func waitForScreen(seconds: Int = 15, _ condition: (String) -> Bool) throws -> String {
        var last = ""
        for _ in 0..<seconds * 10 {
            last = screen()
            if condition(last) { return last }
            usleep(100_000)
        }
        throw EndToEndError("screen never matched; last screen:\n\(last)")
    }

    func waitUntil(_ condition: () -> Bool) throws {
        for _ in 0..<100 {
            if condition() { return }
            usleep(100_000)
        }
        throw EndToEndError("condition not met in 10 s; screen:\n\(screen())")
    }

    func exitStatus() throws -> Int32 {
        let rcPath = directory + "/rc"
        try waitUntil { (try? String(contentsOfFile: rcPath, encoding: .utf8))?.hasSuffix("\n") ?? false }
        return Int32((try String(contentsOfFile: rcPath, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// `stty -a` as run in the pane right after the binary exited.
    func sttyAfterExit() -> String {
        let path = directory + "/stty"
        try? waitUntil { FileManager.default.fileExists(atPath: path) && ((try? String(contentsOfFile: path, encoding: .utf8))?.contains("speed") ?? false) }
        return " " + ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").replacingOccurrences(of: "\n", with: " ")
    }

    /// Sends `signal` to the genwindow process (the child of the pane's shell).
    func signalBinary(_ signal: Int32) throws {
        let shellPID = tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"]).1.trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shellPID)/task/\(shellPID)/children", encoding: .utf8)) ?? ""
        guard let pid = children.split(separator: " ").compactMap({ Int32($0) }).first else {
            throw EndToEndError("no child process of the pane shell \(shellPID)")
        }
        kill(pid, signal)
    }

    func close() {
        _ = tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: directory)
        let socketDirectory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(socketDirectory)/tmux-\(getuid())/\(socket)")
    }

    /// Runs a tmux client through the shell and returns its status and stdout (read from a file, so no pipe
    /// can be kept open by the tmux server, which inherits the first client's descriptors).
    @discardableResult
    private func tmux(_ args: [String], capture: Bool = true) -> (Int32, String) {
        let quoted = (["tmux", "-L", socket, "-f", "/dev/null"] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let outPath = directory + "/tmux.out"
        let status = system(quoted.joined(separator: " ") + " </dev/null >" + (capture ? outPath : "/dev/null") + " 2>/dev/null")
        let text = capture ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
        return (status, text)
    }
}

struct EndToEndError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
