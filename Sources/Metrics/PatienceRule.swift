/// The `--stop-when fid-min` rule, PyTorch Lightning's `EarlyStopping` in mode "min": an evaluation improves on
/// the best so far when its value is below best − `minDelta` (the first finite value always does), and the run
/// stops at the evaluation that makes `patience` evaluations in a row without an improvement. A non-finite value
/// never improves.
public struct PatienceRule: Sendable, Equatable, CustomStringConvertible {
    public let patience: Int
    public let minDelta: Double

    /// Lightning's defaults are patience 3 and min_delta 0.
    public init(patience: Int = 3, minDelta: Double = 0) {
        precondition(patience >= 1, "patience must be at least 1")
        precondition(minDelta >= 0 && minDelta.isFinite, "min_delta must be a finite number ≥ 0")
        self.patience = patience
        self.minDelta = minDelta
    }

    /// Where `values` (in evaluation order) stop the run: the index of the stopping evaluation and of the best
    /// one (nil when no value was finite); nil while the rule has not fired.
    public func stop(in values: [Double]) -> (at: Int, best: Int?)? {
        var best: Int?
        var wait = 0
        for (i, value) in values.enumerated() {
            if value.isFinite && (best.map { value < values[$0] - minDelta } ?? true) {
                best = i
                wait = 0
            } else {
                wait += 1
                if wait >= patience { return (i, best) }
            }
        }
        return nil
    }

    public var description: String {
        "\(patience) consecutive evaluation\(patience == 1 ? "" : "s") without the FID falling below its best − \(minDelta)"
    }
}
