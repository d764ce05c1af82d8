import TerminalUI

/// What a key does.
public enum DashboardAction: Sendable, Equatable {
    case help, quit, closeOverlay
    case cursorLeft, cursorRight, jumpBack, jumpForward, start, end
    case mark, deleteMark, nextMarker, previousMarker
    case toggleLogY, toggleLogX, cycleXAxis, cycleSmoothing, cycleSmoothingKind, toggleRobustRange, cycleExtraSeries, tagList, zoomIn, zoomOut, freeze
    case focusNext, focusPrevious, zoomPane
    case redraw, suspend, pause
    case marksTable, labelMark
    case nextRun, previousRun, toggleRuns, cycleSeedBands
}

/// One row of the keybinding table: the keys, the action, the modes it applies to and its help text.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: DashboardAction
    public var summary: String
    /// The modes where the binding is active.
    public var modes: Set<DashboardMode>
    /// Shown in the footer's key hints (short form).
    public var hint: String?

    init(_ keys: [Key], _ action: DashboardAction, _ summary: String, modes: Set<DashboardMode> = Set(DashboardMode.allCases),
         hint: String? = nil) {
        self.keys = keys
        self.action = action
        self.summary = summary
        self.modes = modes
        self.hint = hint
    }

    /// The keys as shown in help ("←/h").
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// The one table that drives both key dispatch and the help overlay.
public enum KeyBindings {

    public static let table: [KeyBinding] = [
        KeyBinding([.character("?")], .help, "show or hide this help", hint: "help"),
        KeyBinding([.character("q"), .ctrl("c")], .quit, "quit (live: asks whether to stop training)", hint: "quit"),
        KeyBinding([.escape], .closeOverlay, "close help, cancel, leave zoom"),
        KeyBinding([.character(" ")], .pause, "pause or resume training", modes: [.live], hint: "pause"),
        KeyBinding([.left, .character("h")], .cursorLeft, "cursor one record back", hint: "cursor"),
        KeyBinding([.right, .character("l")], .cursorRight, "cursor one record forward"),
        KeyBinding([.shiftLeft, .pageUp], .jumpBack, "cursor 10% back"),
        KeyBinding([.shiftRight, .pageDown], .jumpForward, "cursor 10% forward"),
        KeyBinding([.character("g"), .home], .start, "cursor to the first record"),
        KeyBinding([.character("G"), .end], .end, "cursor to the last record, follow new data"),
        KeyBinding([.character("m")], .mark, "mark an early-stopping point (live: current step + checkpoint; else at the cursor)", hint: "mark"),
        KeyBinding([.character("M")], .labelMark, "mark with a label typed in a prompt (Enter saves, Esc cancels; relabels a mark at the cursor)"),
        KeyBinding([.character("k")], .marksTable, "marks table: values at each mark, ↑/↓ row, Enter selects two for deltas", hint: "marks"),
        KeyBinding([.character("d")], .deleteMark, "delete the mark at the cursor"),
        KeyBinding([.character("n")], .nextMarker, "jump to the next mark or event"),
        KeyBinding([.character("N")], .previousMarker, "jump to the previous mark or event"),
        KeyBinding([.character("y")], .toggleLogY, "toggle log y axis", hint: "log y"),
        KeyBinding([.character("x")], .toggleLogX, "toggle log step axis"),
        KeyBinding([.character("t")], .cycleXAxis, "horizontal axis: step, relative time, wall clock"),
        KeyBinding([.character("s")], .cycleSmoothing, "cycle smoothing: none / 0.6 / 0.9 / 0.99", hint: "smooth"),
        KeyBinding([.character("S")], .cycleSmoothingKind, "smoothing kind: EMA / time-weighted EMA (by step gap) / running mean"),
        KeyBinding([.character("o")], .toggleRobustRange, "outlier-robust y range (5th-95th percentile)"),
        KeyBinding([.character("e")], .cycleExtraSeries, "extra curve below the losses: cycle through the run's other series (grad_norm, …)"),
        KeyBinding([.character("T")], .tagList, "tags: every other series of the run, type to filter (regex or text), Enter draws it as the extra curve"),
        KeyBinding([.character("+"), .character("=")], .zoomIn, "zoom in on the step axis"),
        KeyBinding([.character("-")], .zoomOut, "zoom out on the step axis"),
        KeyBinding([.character("f")], .freeze, "freeze the view (data keeps arriving; End resumes)"),
        KeyBinding([.tab, .down, .character("j")], .focusNext, "focus the next pane"),
        KeyBinding([.backTab, .up], .focusPrevious, "focus the previous pane"),
        KeyBinding([.character("z")], .zoomPane, "zoom the focused pane to full screen", hint: "zoom"),
        KeyBinding([.character("]")], .nextRun, "a folder of runs: show the next run (every run is followed)", modes: [.watch, .replay], hint: "run"),
        KeyBinding([.character("[")], .previousRun, "a folder of runs: show the previous run", modes: [.watch, .replay]),
        KeyBinding([.character("r")], .toggleRuns, "runs pane: ↑/↓ row, Enter shows, Space pins (8 overlay), / filters", modes: [.watch, .replay]),
        KeyBinding([.character("b")], .cycleSeedBands, "seeds: the run's seed group as its mean with a min–max band, ± 1 sd, or off", modes: [.watch, .replay]),
        KeyBinding([.ctrl("l")], .redraw, "redraw the screen"),
        KeyBinding([.ctrl("z")], .suspend, "suspend (fg resumes)"),
    ]

    /// The action bound to `key` in `mode`.
    public static func action(for key: Key, in mode: DashboardMode) -> DashboardAction? {
        table.first { $0.modes.contains(mode) && $0.keys.contains(key) }?.action
    }

    /// The bindings active in `mode`, in table order.
    public static func bindings(in mode: DashboardMode) -> [KeyBinding] {
        table.filter { $0.modes.contains(mode) }
    }
}
