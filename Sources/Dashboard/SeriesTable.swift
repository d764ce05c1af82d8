import RunFormat

/// Where and how the dashboard shows a series: adding a series is one row here (and, when a pane needs a
/// new kind of drawing, that pane).
public struct SeriesStyle: Sendable, Equatable {
    public enum Placement: Sendable, Equatable {
        /// The loss pane's main chart.
        case loss
        /// The loss pane's gap panel (linear, changes sign).
        case gap
        /// A sparkline of the memorization & quality pane.
        case memorization
        /// Not drawn by default; selectable as the loss pane's extra curve (`e`).
        case extra
        /// Read by other series' displays (confidence bounds, the RF time τ), never drawn on its own.
        case auxiliary
    }

    public let name: String
    public let placement: Placement
    /// The legend's name (the `fid` series' is the feature space's, `FrechetLabel`).
    public let legend: String
    /// The index into the theme's line colours.
    public let colorRole: Int
    /// Drawn on a log axis when its values are positive.
    public let logScale: Bool
    /// Smoothed copies are kept and drawn (the losses).
    public let smoothed: Bool
}

/// Every series genwindow names, in legend order within each placement.
public enum SeriesTable {
    public static let rows: [SeriesStyle] = [
        SeriesStyle(name: MetricName.trainLoss, placement: .loss, legend: "train", colorRole: 0, logScale: true, smoothed: true),
        SeriesStyle(name: MetricName.testLoss, placement: .loss, legend: "test", colorRole: 1, logScale: true, smoothed: true),
        SeriesStyle(name: MetricName.genLoss, placement: .gap, legend: "gap=test−train", colorRole: 2, logScale: false, smoothed: true),
        SeriesStyle(name: MetricName.memFrac, placement: .memorization, legend: "f_mem", colorRole: 0, logScale: false, smoothed: false),
        SeriesStyle(name: MetricName.fid, placement: .memorization, legend: "FID", colorRole: 1, logScale: true, smoothed: false),
        SeriesStyle(name: MetricName.gradNorm, placement: .extra, legend: "grad norm", colorRole: 2, logScale: true, smoothed: false),
        SeriesStyle(name: MetricName.memFracCILow, placement: .auxiliary, legend: "f_mem low", colorRole: 0, logScale: false, smoothed: false),
        SeriesStyle(name: MetricName.memFracCIHigh, placement: .auxiliary, legend: "f_mem high", colorRole: 0, logScale: false, smoothed: false),
        SeriesStyle(name: MetricName.tau, placement: .auxiliary, legend: "τ", colorRole: 0, logScale: false, smoothed: false),
    ]

    /// The names placed at `placement`, in legend order.
    public static func names(_ placement: SeriesStyle.Placement) -> [String] {
        rows.filter { $0.placement == placement }.map(\.name)
    }

    /// The names whose smoothed copies are kept.
    public static let smoothedNames = rows.filter(\.smoothed).map(\.name)

    /// How `name` is shown; a series genwindow does not name (another tool's tag) is an extra curve on a linear
    /// axis, under its own name.
    public static func style(of name: String) -> SeriesStyle {
        rows.first { $0.name == name }
            ?? SeriesStyle(name: name, placement: .extra, legend: name, colorRole: 2, logScale: false, smoothed: false)
    }

    /// The series of a run that can be the loss pane's extra curve, sorted by name.
    public static func extraCandidates(among names: some Sequence<String>) -> [String] {
        names.filter { style(of: $0).placement == .extra }.sorted()
    }
}
