import Foundation
import RunFiles
import RunFormat
import Testing

/// `genwindow` with no arguments (what `make demo` opens), driven in tmux as a new user meets it: within its
/// first minute every pane has something to show.
@Suite(.serialized)
struct DemoEndToEndTests {
    @Test func theDefaultRunFillsEveryPane() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        try e.start("", inDirectory: true)
        // The second cell has both its times on the chart (it may have ended by the time the screen is read:
        // under the whole suite's load the next cell's setup can take a while).
        let screen = try e.waitForScreen(seconds: 300) { s in
            s.contains("demo 2/12") && s.contains("rf gaussian n=16 p=512") && s.contains("loss: τ_gen") && s.contains("τmem")
                && !s.contains("τ_mem –")
        }
        let required = ["Loss", "gap=test−train", "Memorization & quality", "Phase diagram", "Samples", "n=16 p=512,",
                        "τgen", "• nearest training", "f_mem ", "FD·data "]
        let missing = required.filter { !screen.contains($0) }
        let empty = ["waiting for the first evaluation", "no samples", "not measured"].filter { screen.contains($0) }
        let sparklines = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"].filter { screen.contains($0) }.count
        let running = screen.contains("LIVE") || screen.contains("training ended: completed")
        if !missing.isEmpty || !empty.isEmpty || sparklines < 2 || !running {
            let summary = "missing \(missing), empty panes \(empty), \(sparklines) sparkline levels, running \(running)"
            Issue.record(Comment(rawValue: summary + "; screen:\n" + screen))
        }
        e.keys("q")
        // A cell in training asks before stopping it; between two cells q quits at once.
        if (try? e.waitForScreen(seconds: 5) { $0.lowercased().contains("stop training") }) != nil { e.keys("y") }
        #expect(try e.exitStatus() == 0)
        let first = try RunReader.read(path: e.directory + "/runs/demo/n4-p512.jsonl")
        #expect(first.end?.reason == .completed)
        #expect(first.records.contains { if case .event(let ev) = $0 { ev.kind == "tau_mem" } else { false } })
    }
}
