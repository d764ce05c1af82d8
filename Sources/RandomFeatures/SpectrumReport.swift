/// What genwindow reports about the spectrum of a training U: the empirical eigenvalues beside the asymptotic
/// theory (coefficients, Theorem 3.2 edges and times, Theorem 3.1 density on a log grid).
public struct RFSpectrumReport: Sendable {
    /// Empirical eigenvalues of U, ascending.
    public let eigenvalues: [Double]
    public let coefficients: RFCoefficients
    public let timescales: RFTheoryTimescales
    public let densityLambda: [Double]
    public let densityRho: [Double]
    public let psiP: Double
    public let psiN: Double

    public init(setting: RFSetting, eigenvalues: [Double], gridCount: Int = 200) {
        self.eigenvalues = eigenvalues
        psiP = setting.psiP
        psiN = setting.psiN
        coefficients = RFCoefficients(t: setting.t, sigmaX: setting.sigmaX)
        timescales = RFTheoryTimescales(coefficients: coefficients, psiP: psiP, psiN: psiN)
        let solver = SpectralDensity(coefficients: coefficients, psiP: psiP, psiN: psiN)
        densityLambda = solver.defaultGrid(count: gridCount)
        densityRho = solver.density(on: densityLambda)
    }

    /// The relaxation time ψ_p/(Δ_t λ) of an eigenmode λ (τ units).
    public func timescale(of lambda: Double) -> Double {
        psiP / (coefficients.delta * lambda)
    }
}
