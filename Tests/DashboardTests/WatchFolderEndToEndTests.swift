import Foundation
import RunFiles
import RunFormat
import Testing
import TerminalUI

/// `genwindow watch DIR` follows every run of a folder (new ones too), `]`/`[` switch the run shown, and the
/// tau_mem forecast (∝ n over the folder's other runs) shows until tau_mem is detected; `make install`'s
/// layout (themes in PREFIX/share/genwindow/themes) is found from a copied binary.
@Suite(.serialized)
struct WatchFolderEndToEndTests {
    /// A run of the sample's settings with training-set size `n`: loss records up to `upTo`, τ_mem at 20·n when
    /// it is reached (in steps: no τ field, as DDPM writes it), an end record when `ended`.
    static func writeRun(_ path: String, n: Int, upTo: Int, ended: Bool) throws {
        var config = SampleRun.header.config
        config["n"] = .number(Double(n))
        let writer = try RunWriter(creating: path, header: RunHeader(created: SampleRun.header.created, model: "rf", config: config))
        for step in SampleRun.steps where step <= upTo {
            try writer.append(.metrics(MetricsRecord(step: step, timeSeconds: Double(step) / 800,
                                                     values: [("train_loss", 1 / Double(step)), ("test_loss", 0.3)])))
        }
        if upTo >= 20 * n { try writer.append(.event(EventRecord(kind: "tau_mem", step: 20 * n, fields: ["provisional": false]))) }
        if ended { try writer.append(.end(EndRecord(step: upTo, reason: .completed))) }
        try writer.close()
    }

    @Test func followsEveryRunSwitchesAndForecasts() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        let folder = e.directory + "/runs"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, n) in [("a-n250", 250), ("b-n500", 500), ("c-n1000", 1000)] {
            try Self.writeRun("\(folder)/\(name).jsonl", n: n, upTo: 100_000, ended: true)
        }
        usleep(20_000)
        let current = folder + "/d-n2000.jsonl"
        try Self.writeRun(current, n: 2000, upTo: 10_000, ended: false)
        try e.start("watch \(folder)")
        // The newest run is shown; its τ_mem forecast is 20·n = 40k from the three others (c = 20 steps per example).
        var screen = try e.waitForScreen { $0.contains("run 4/4 d-n2000.jsonl") && $0.contains("τ_mem ≈ 40k (forecast: ∝ n, 3 runs)") }
        #expect(screen.contains("τmem≈") && screen.contains("WATCH"), "\(screen)")
        e.keys("]")
        // A finished run with τ_mem has no forecast (awaited as a whole frame: tmux may show one half drawn).
        screen = try e.waitForScreen { $0.contains("run 1/4 a-n250.jsonl") && $0.contains("ended: completed") && !$0.contains("forecast") }
        // The run not on screen keeps being followed: its τ_mem arrives, and after switching back the forecast is gone.
        let writer = try RunWriter(appendingTo: current)
        try writer.append(.metrics(MetricsRecord(step: 40_000, timeSeconds: 50, values: [("train_loss", 1e-4), ("test_loss", 0.4)])))
        try writer.append(.event(EventRecord(kind: "tau_mem", step: 40_000, fields: ["provisional": false])))
        try writer.close()
        e.keys("[")
        screen = try e.waitForScreen { $0.contains("run 4/4 d-n2000.jsonl") && $0.contains("step 40k") }
        #expect(!screen.contains("forecast") && !screen.contains("τmem≈"), "\(screen)")
        // A run file that appears later is followed too.
        try Self.writeRun(folder + "/e-n4000.jsonl", n: 4000, upTo: 1000, ended: false)
        _ = try e.waitForScreen { $0.contains("run 4/5 d-n2000.jsonl") }
        e.keys("]")
        _ = try e.waitForScreen { $0.contains("run 5/5 e-n4000.jsonl") && $0.contains("step 1k") }
        e.keys("?")
        // The overlay reaches tmux in more than one write: wait for its last lines, not its title alone.
        screen = try e.waitForScreen { $0.contains("Keys") && $0.contains("show the next run") }
        #expect(screen.contains("show the next run"))
        e.keys("Escape", "q")
        #expect(try e.exitStatus() == 0)
    }

    @Test func anEmptyFolderIsWatchedUntilItsFirstRun() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        let folder = e.directory + "/empty"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try e.start("watch \(folder)")
        _ = try e.waitForScreen { $0.contains("waiting for a run file (.jsonl) to appear") && $0.contains("WATCH") }
        try Self.writeRun(folder + "/first-n100.jsonl", n: 100, upTo: 1000, ended: false)
        let screen = try e.waitForScreen { $0.contains("run 1/1 first-n100.jsonl") && $0.contains("step 1k") }
        #expect(!screen.contains("waiting for a run file"), "\(screen)")
        e.keys("q")
        #expect(try e.exitStatus() == 0)
    }

    @Test func installedThemesAreFoundBesideACopiedBinary() throws {
        let root = NSTemporaryDirectory() + "genwindow-install-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let prefix = root + "/prefix"
        let themes = prefix + "/share/genwindow/themes"
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: themes, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: EndToEnd.binary, toPath: prefix + "/bin/genwindow")
        // A theme only the installed location has, with a bad line: the error names the file found.
        try "not a theme line\n".write(toFile: themes + "/installed-only.theme", atomically: true, encoding: .utf8)
        // A process another test forks while the copy is open for writing inherits that descriptor until it execs,
        // and exec of the copy fails with ETXTBSY meanwhile: try again, with a new Process, for a moment.
        var p = Process()
        let err = Pipe()
        for attempt in 1... {
            p = Process()
            p.executableURL = URL(fileURLWithPath: prefix + "/bin/genwindow")
            p.arguments = ["replay", "--theme", "installed-only", root + "/none.jsonl"]
            p.currentDirectoryURL = URL(fileURLWithPath: root)
            p.environment = ["PATH": "/usr/bin:/bin", "HOME": root, "XDG_CONFIG_HOME": root + "/config"]
            p.standardOutput = Pipe()
            p.standardError = err
            do {
                try p.run()
                break
            } catch let error as NSError where attempt < 100 && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) {
                usleep(20_000)
            }
        }
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 1)
        #expect(message.contains("share/genwindow/themes/installed-only.theme:1"), "\(message)")
    }
}
