import Foundation
import TestSupport
import NumericCore
import Testing

/// `genwindow replay` in tmux on tiny, huge and odd terminals (1×1 … 400×120; TERM vt100, screen-256color,
/// xterm-direct; LANG=C), and through a storm of 50 resizes in about a second: it never crashes, and quitting
/// leaves exit status 0 and a sane terminal (echo and icanon on).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")))
struct TerminalTests {
    /// A tmux server on a private socket running one command in a pane.
    final class Pane {
        let folder: String
        let socket: String

        init(width: Int, height: Int, command: String, environment: String, folder: String) throws {
            self.folder = folder
            socket = "genwindow-rel-\(getpid())-\(UUID().uuidString.prefix(6))"
            let script = "env \(environment) \(command); echo $? > \(folder)/rc; stty -a > \(folder)/stty; sleep 30"
            guard tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "t", "sh", "-c", script]).status == 0 else {
                throw PaneError(message: "tmux new-session failed")
            }
        }

        @discardableResult
        func tmux(_ args: [String]) -> (status: Int32, output: String) {
            let quoted = (["tmux", "-L", socket, "-f", "/dev/null"] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let out = folder + "/tmux.out"
            let status = system(quoted.joined(separator: " ") + " </dev/null >\(out) 2>/dev/null")
            return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
        }

        func screen() -> String { tmux(["capture-pane", "-p", "-t", "t"]).output }

        /// The exit status written by the pane's shell, waiting up to 10 s.
        func exitStatus() -> Int32? {
            for _ in 0..<100 {
                if let text = try? String(contentsOfFile: folder + "/rc", encoding: .utf8), text.hasSuffix("\n"),
                   let stty = try? String(contentsOfFile: folder + "/stty", encoding: .utf8), stty.contains("speed") {
                    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                usleep(100_000)
            }
            return nil
        }

        var stty: String { " " + ((try? String(contentsOfFile: folder + "/stty", encoding: .utf8)) ?? "").replacingOccurrences(of: "\n", with: " ") }

        func close() { tmux(["kill-server"]) }
    }

    struct PaneError: Error { let message: String }

    static func runFile(in folder: String) throws -> String {
        let path = folder + "/run.jsonl"
        let outcome = try runGenwindow(["train", "--headless", "--d", "4", "--p", "32", "--n", "8", "--steps", "3000", "--out", path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return path
    }

    /// Starts replay, waits for it to draw (or to exit), runs `during`, sends q and returns (exit status, the
    /// screen before q, the screen after exit, stty after exit).
    static func replay(_ run: String, width: Int, height: Int, environment: String, folder: String,
                       during: (Pane) -> Void = { _ in }) throws -> (status: Int32?, screen: String, after: String, stty: String) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pane = try Pane(width: width, height: height, command: "\(genwindowBinary().path) replay \(run)",
                            environment: environment, folder: folder)
        defer { pane.close() }
        for _ in 0..<100 {
            if FileManager.default.fileExists(atPath: folder + "/rc") || pane.screen().contains("genwindow") { break }
            usleep(100_000)
        }
        // The first frame drawn whole: two captures in a row agree.
        var last = pane.screen()
        for _ in 0..<60 {
            usleep(50_000)
            let now = pane.screen()
            if now == last { break }
            last = now
        }
        during(pane)
        let screen = pane.screen()
        pane.tmux(["send-keys", "-t", "t", "q"])
        let status = pane.exitStatus()
        return (status, screen, pane.screen(), pane.stty)
    }

    @Test func tinyHugeAndOddTerminalsNeverCrash() throws {
        let folder = try temporaryFolder("terminals")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Self.runFile(in: folder)
        let terms = ["TERM=vt100", "TERM=screen-256color", "TERM=xterm-direct", "TERM=xterm-256color LANG=C LC_ALL=C"]
        let sizes = [(1, 1), (2, 2), (10, 3), (20, 6), (40, 12), (80, 24), (400, 120)]
        let hasXtermDirect = (try? genwindowShell("infocmp xterm-direct")) == 0
        var k = 0
        let others = terms.filter { $0 != "TERM=xterm-direct" }
        for (index, (width, height)) in sizes.enumerated() {
            for term in width == 80 ? terms : [others[index % others.count]] {
                k += 1
                let r = try Self.replay(run, width: width, height: height, environment: term, folder: folder + "/\(k)")
                let what = "\(width)×\(height) \(term)"
                if term == "TERM=xterm-direct" && !hasXtermDirect {
                    // No terminfo entry: curses falls back to xterm-256color and says so in the status line.
                    #expect(r.screen.contains("using xterm-256color"), "\(what):\n\(r.screen)")
                }
                // Exit 0 after q, or (too small to draw at all) exit 1 with a one-line message.
                let message = r.after.split(separator: "\n").first { $0.hasPrefix("genwindow: ") }
                #expect(r.status == 0 || (r.status == 1 && message != nil), "\(what): exit \(String(describing: r.status)):\n\(r.after)")
                #expect(r.stty.contains(" echo ") && r.stty.contains(" icanon "), "\(what)")
                if width >= 80 { #expect(r.screen.lowercased().contains("loss"), "\(what):\n\(r.screen)") }
                if term.contains("LANG=C") && width >= 40 {
                    #expect(r.screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(what) draws non-ASCII:\n\(r.screen)")
                }
            }
        }
        print("terminal configurations tried: \(k)")
    }

    @Test func aStormOfFiftyResizesNeverCrashes() throws {
        let folder = try temporaryFolder("sigwinch")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Self.runFile(in: folder)
        var rng = Xoshiro256(seed: 50)
        let r = try Self.replay(run, width: 80, height: 24, environment: "TERM=xterm-256color",
                                folder: folder + "/pane") { pane in
            for _ in 0..<50 {
                pane.tmux(["resize-window", "-t", "t", "-x", "\(1 + rng.nextInt(below: 200))", "-y", "\(1 + rng.nextInt(below: 60))"])
                usleep(20_000)
            }
            pane.tmux(["resize-window", "-t", "t", "-x", "80", "-y", "24"])
            for _ in 0..<50 where !pane.screen().contains("REPLAY") { usleep(100_000) }
        }
        // Never a crash: the process either quit normally or is still running (not killed by a signal).
        #expect(r.status == nil || r.status == 0, "exit \(String(describing: r.status)); screen:\n\(r.after)")
        // After the storm it redraws at 80×24 and quits on q.
        #expect(r.screen.contains("REPLAY") && r.screen.lowercased().contains("loss"), "\(r.screen)")
        #expect(r.status == 0)
        #expect(r.stty.contains(" echo ") && r.stty.contains(" icanon "))
    }
}
