import RandomFeatures

/// How an RF run iterates its readout A: in the eigenbasis of U (`RFEigenDescent`, O(d·p) a step, GD only) or
/// in Gram form (`RFOptimizer`, a d×p·p×p product a step, GD or Adam). Under GD both are the same iteration up
/// to rounding and give the same records.
public enum RFSolver: String, Sendable, CaseIterable {
    case eigen, gram

    /// The solver a run uses when `requested` (nil: the default) is asked for: eigen for GD, gram for Adam, whose
    /// per-coordinate step scaling is not diagonal in U's eigenbasis.
    public static func resolved(_ requested: RFSolver?, optimizer: RFOptimizer.Kind) -> RFSolver {
        optimizer == .adam ? .gram : requested ?? .eigen
    }
}
