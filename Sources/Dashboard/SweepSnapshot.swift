import Phases
import RunFormat
import TerminalUI

/// What the dashboard takes from a folder of runs: the phase-diagram cells, and per run what the tau_mem ∝ n
/// forecast needs (its settings, n and detected tau_mem in the run's time unit).
public struct SweepSnapshot: Sendable {
    /// One readable run of the folder.
    public struct Run: Sendable {
        public var name: String
        /// The model and the settings that define model and problem (`comparedSettings`).
        public var settings: String
        public var n: Int
        /// tau_mem (final, reached) in `unit`: τ for RF (its step size depends on n), steps otherwise.
        public var tauMem: Double?
        public var unit: String

        public init(name: String, settings: String, n: Int, tauMem: Double?, unit: String) {
            self.name = name
            self.settings = settings
            self.n = n
            self.tauMem = tauMem
            self.unit = unit
        }
    }

    /// The header settings two runs must share for one to forecast the other (the ∝ n law holds at fixed model
    /// size and problem; learning rates and budgets derived from n may differ).
    public static let comparedSettings = ["data", "d", "dimension", "p", "width", "depth", "t", "labels"]

    /// The header settings a run must share with a sweep to be placed among its cells: `comparedSettings` but
    /// the model size (n, p or width and the seed are what a sweep varies).
    public static let problemSettings = comparedSettings.filter { $0 != "p" && $0 != "width" }

    public var cells: [PhaseCell] = []
    public var runs: [Run] = []
    /// Each run's model and `problemSettings` (`problemKey`).
    public var problems: Set<String> = []

    public init() {}


    /// A run's model and `problemSettings`, as "rf data=\"gaussian\" d=25 t=0.1".
    public static func problemKey(_ header: RunHeader) -> String { key(header, problemSettings) }

    /// The comparison key of a run: its model and its `comparedSettings`.
    public static func settingsKey(_ header: RunHeader) -> String { key(header, comparedSettings) }

    /// The model, then `name=value` for each of `settings` the header has.
    private static func key(_ header: RunHeader, _ settings: [String]) -> String {
        ([header.model] + settings.compactMap { name in header.config[name].map { "\(name)=" + JSONWriter.string($0) } })
            .joined(separator: " ")
    }

    /// tau_mem ≈ c·n for the run with `header`, c fitted on the other runs (not named `excluding`) with the same
    /// settings that reached tau_mem; nil when there are none or the header has no n.
    public func forecast(for header: RunHeader, excluding name: String?) -> MemorizationEstimate? {
        guard let n = header.config["n"]?.int else { return nil }
        let key = SweepSnapshot.settingsKey(header)
        let comparable = runs.filter { $0.name != name && $0.settings == key && $0.tauMem != nil }
        guard let unit = comparable.first?.unit else { return nil }
        let earlier = comparable.filter { $0.unit == unit }.map { (n: $0.n, time: $0.tauMem!) }
        guard let f = MemorizationForecast.proportionalToTrainingSize(earlier: earlier, n: n, unit: unit) else { return nil }
        return MemorizationEstimate(time: f.step, unit: unit, basis: "∝ n, \(earlier.count) run\(earlier.count == 1 ? "" : "s")")
    }
}
