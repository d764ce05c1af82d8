import TerminalUI

/// What the keys change and the session sets around the run shown: screen, axes, smoothing, cursor, overlays,
/// the status line. Kept when the run shown changes or its file is replaced (`RunData` is what changes).
public struct ViewSettings: Sendable {
    public let mode: DashboardMode
    public var width: Int
    public var height: Int
    public var glyphs: GlyphSet
    public var theme: Theme
    /// Colours the sample previews may use (grey ramp, 24-bit greys, or none: ASCII density ramp).
    public var colorDepth: ColorDepth = .palette256
    /// Index into `recordSteps`; nil follows the newest record.
    public internal(set) var cursor: Int?
    public internal(set) var logX = true
    /// What the loss pane's horizontal axis measures (`t`).
    public internal(set) var xAxis = XAxisMode.step
    public internal(set) var logY = true
    /// Index into `ViewSettings.smoothingWeights`.
    public internal(set) var smoothingIndex = 1
    /// How the losses are smoothed (`S`).
    public internal(set) var smoothingKind = SmoothingKind.ema
    public internal(set) var robustRange = false
    /// A series drawn in a panel of its own below the losses (`e` cycles through the run's extra series).
    public internal(set) var extraSeries: String?
    /// Each level halves the visible step range (in axis units).
    public internal(set) var zoomLevel = 0
    /// While frozen, only records up to this step are shown.
    public internal(set) var frozenStep: Int?
    public internal(set) var focus: Pane = .loss
    /// How the run's seed group is drawn (`b`).
    public internal(set) var seedBands = SeedBands.off
    /// The runs pane is shown (`r`).
    public internal(set) var showRuns = false
    /// The session's runs, for the runs pane and the pinned curves.
    public var workspace = WorkspaceView()
    public internal(set) var zoomed = false
    public internal(set) var showHelp = false
    /// Help entries scrolled past (the overlay clamps it to what fits).
    public internal(set) var helpOffset = 0
    public internal(set) var confirmingQuit = false
    public internal(set) var paused = false
    /// The tag list (`T`), while it is open.
    public internal(set) var tagList: TagList?
    /// The marks table (`k`) is open.
    public internal(set) var showMarks = false
    /// The highlighted row of the marks table.
    public internal(set) var markRow = 0
    /// Steps of the (at most two) rows selected for deltas, in selection order.
    public internal(set) var markSelection: [Int] = []
    /// The label typed so far while the one-line mark prompt is open.
    public internal(set) var prompt: String?
    /// The step the prompt labels: the marks table's highlighted mark, or nil for the cursor's step.
    public internal(set) var promptStep: Int?
    /// The latest problem (malformed line, failed write), shown in the status line.
    public internal(set) var status: String?
    /// Runs of a sweep, for the phase diagram (empty: only the current run is shown).
    public var sweep: [PhaseCell] = []
    /// Which of several runs is shown ("run 2/5 run-n100.jsonl"), in the header; nil for one run.
    public var runLabel: String?
    /// A forecast of tau_mem for the run shown from other runs, shown (labelled as a forecast) until tau_mem is
    /// detected.
    public var memorizationForecast: MemorizationEstimate?

    /// none, 0.6, 0.9, 0.99 (TensorBoard's default is 0.6).
    public static let smoothingWeights: [Double] = [0, 0.6, 0.9, 0.99]

    public init(mode: DashboardMode, width: Int, height: Int, glyphs: GlyphSet, theme: Theme) {
        self.mode = mode
        self.width = width
        self.height = height
        self.glyphs = glyphs
        self.theme = theme
    }

    public var smoothingWeight: Double { ViewSettings.smoothingWeights[smoothingIndex] }
}
