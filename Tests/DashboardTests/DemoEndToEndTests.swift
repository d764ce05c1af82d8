import Foundation
import RunFiles
import RunFormat
import Testing

/// `genwindow` with no arguments (what `make demo` opens), driven in tmux as a new user meets it: within its
/// first minute every pane has something to show.
@Suite(.serialized, .enabled(if: EndToEnd.tmuxAvailable))
struct DemoEndToEndTests {
    @Test func theDefaultRunFillsEveryPane() throws {
        let e = try EndToEnd(width: 120, height: 36)
        defer { e.close() }
        try e.start("", inDirectory: true)
        // The first cell ends (its region is in the phase diagram) while the next one trains.
        // The second cell has both its times on the chart.
        let screen = try e.waitForScreen(seconds: 90) { s in
            s.contains("demo 2/12") && s.contains("loss: τ_gen") && s.contains("τmem") && !s.contains("τ_mem –")
        }
        for text in ["Loss", "gap=test−train", "Memorization & quality", "Phase diagram", "Samples", "this run so far: n=16 p=512,",
                     "τgen", "• nearest training", "f_mem   ▁", "FD·data █", "LIVE"] {
            #expect(screen.contains(text), "\(text) missing:\n\(screen)")
        }
        for empty in ["waiting for the first evaluation", "no samples", "not measured"] {
            #expect(!screen.contains(empty), "\(empty):\n\(screen)")
        }
        e.keys("q")
        _ = try e.waitForScreen { $0.lowercased().contains("stop training") }
        e.keys("y")
        #expect(try e.exitStatus() == 0)
        let first = try RunReader.read(path: e.directory + "/runs/demo/n4-p512.jsonl")
        #expect(first.end?.reason == .completed)
        #expect(first.records.contains { if case .event(let ev) = $0 { ev.kind == "tau_mem" } else { false } })
    }
}
