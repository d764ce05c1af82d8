import RunFormat
import TerminalUI
import Workspace

/// One run of the session as the runs pane lists it.
public struct WorkspaceRow: Sendable, Equatable {
    public var key: RunKey
    /// The values of the settings that differ between the runs (`WorkspaceView.settingNames`).
    public var settings: [String]
    public var status: String
    public var step: Int?
    public var trainLoss: Double?
    public var testLoss: Double?
    public var memFrac: Double?
    public var fid: Double?
    /// Steps of the newest final tau_gen and tau_mem.
    public var tauGen: Int?
    public var tauMem: Int?
    /// The palette index of a pinned run; nil when not pinned.
    public var pinColor: Int?
}

/// A pinned run's curves, drawn over the run shown in its own colour.
public struct PinnedRun: Sendable {
    public var key: RunKey
    /// Index into `WorkspaceView.palette`, derived from the run's name so a run keeps its colour across sessions.
    public var colorIndex: Int
    public var series: [String: Series]
    /// When its records were written, for a time axis.
    public var timeline = RunTimeline()
}

/// How the seeds of the run shown are drawn (`b` cycles).
public enum SeedBands: Sendable, Equatable, CaseIterable {
    /// The run shown alone.
    case off
    /// The mean curve of the run's seed group with a band from the lowest to the highest run.
    case minMax
    /// The mean curve with a band of ± one standard deviation.
    case standardDeviation
}

/// The seed group of the run shown: runs whose settings differ only in `seed`.
public struct SeedGroupView: Sendable {
    /// Each member's series, the run shown included.
    public var members: [[String: Series]]
    /// Each member's timeline, in the order of `members`.
    public var timelines: [RunTimeline] = []
    /// The members' final tau_gen and tau_mem (steps), over the members that reached them.
    public var tauGen: GroupStatistic?
    public var tauMem: GroupStatistic?
}

/// What the session tells the panes about its other runs: the rows of the runs pane and the pinned runs.
public struct WorkspaceView: Sendable {
    public var settingNames: [String] = []
    /// The runs the filter lets through, sorted by path.
    public var rows: [WorkspaceRow] = []
    /// Runs reported in all (the filter may hide some).
    public var total = 0
    public var pinned: [PinnedRun] = []
    /// The seed group of the run shown, while `SeedBands` is not off and the group has two runs or more.
    public var group: SeedGroupView?
    /// The run on screen.
    public var shown: RunKey?
    /// The highlighted row.
    public var cursor = 0
    /// The filter typed so far while its prompt is open (`/`), and the one applied.
    public var filterPrompt: String?
    public var filter = ""

    public init() {}

    /// At most this many runs are pinned.
    public static let pinLimit = 8

    /// Eight well-separated line colours (xterm-256 codes) for pinned runs.
    public static let palette: [Color] = [39, 208, 76, 199, 226, 141, 51, 160].map { Color.palette($0) }

    /// The palette index of a run: FNV-1a of its name, so the same run has the same colour in every session.
    public static func colorIndex(of name: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int(hash % UInt32(palette.count))
    }

    /// The style of a pinned run's lines (without colour: the theme's dim style).
    static func style(_ pinned: PinnedRun, theme: Theme) -> Style {
        guard theme.lines.first?.foreground != .default else { return theme.dim }
        return Style(foreground: palette[pinned.colorIndex % palette.count], background: theme.text.background)
    }
}
