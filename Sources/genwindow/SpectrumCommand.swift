import ArgumentParser
import Foundation
import NumericCore
import RandomFeatures
import RunFormat
import Training

/// `genwindow spectrum`: the eigenvalues of the RF matrix U beside the asymptotic theory.
struct SpectrumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectrum",
        abstract: "Spectrum of the RF matrix U (exact noise average) and its theory: coefficients, ρ_1 edges, timescales, Theorem 3.1 density."
    )

    @Option(parsing: .unconditional, help: "Data dimension d.")
    var d: Int = 25
    @Option(parsing: .unconditional, help: "Number of random features p.")
    var p: Int = 1600
    @Option(name: .customLong("n"), parsing: .unconditional, help: "Training-set size n.")
    var n: Int = 100
    @Option(parsing: .unconditional, help: "Diffusion time t.")
    var t: Double = 0.1
    @Option(parsing: .unconditional, help: "Data standard deviation σ_x.")
    var sigmaX: Double = 1
    @Option(parsing: .unconditional, help: "Seed of W and the data.", transform: parseSeed)
    var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Points of the Theorem 3.1 density (log-spaced λ).")
    var densityPoints: Int = 200
    @Flag(help: "Print one JSON object: eigenvalues, rho1_edges, tau_mem, tau_gen, coefficients, density.")
    var json = false

    func validate() throws {
        try RFTrainOptions.checkSizes(d: d, p: p, n: n)
        try RFTrainOptions.checkTime(t)
        try RFTrainOptions.positive("--sigma-x", sigmaX, max: 1e3)
        guard (2...100_000).contains(densityPoints) else {
            throw ValidationError("--density-points must be in 2...100000, got \(densityPoints)")
        }
    }

    func run() throws {
        let setting = RFSetting(d: d, p: p, n: n, t: t, sigmaX: sigmaX, seed: seed)
        let u = RFNoiseAverage.exact(RFInstance(setting)).u
        let eigenvalues: [Double]
        do {
            eigenvalues = try SymmetricEigen(u, computeVectors: false).values
        } catch {
            throw RuntimeError("eigendecomposition of U failed: \(error)")
        }
        let report = RFSpectrumReport(setting: setting, eigenvalues: eigenvalues, gridCount: densityPoints)
        if json {
            print(JSONWriter.string(.object(RFSpectrumJSON.object(report))))
            return
        }
        let c = report.coefficients, ts = report.timescales
        let f = { (x: Double) in String(format: "%.5g", x) }
        print("d=\(d) p=\(p) n=\(n) t=\(f(t))  ψ_p=\(f(setting.psiP)) ψ_n=\(f(setting.psiN)) Δ_t=\(f(setting.delta))")
        print("coefficients: a_t=\(f(c.a)) b_t=\(f(c.b)) v_t²=\(f(c.v2)) s_t²=\(f(c.s2)) μ_1=\(f(c.mu1)) ‖σ‖²=\(f(c.sigmaNorm2))")
        print("eigenvalues of U: min \(f(eigenvalues.first ?? .nan))  max \(f(eigenvalues.last ?? .nan))")
        print("ρ_1 edges (Theorem 3.2): [\(f(ts.rho1Edges.lo)), \(f(ts.rho1Edges.hi))]")
        print("tau_gen ~ 1/Δ_t = \(f(ts.tauGen))")
        print("tau_mem = ψ_p/(Δ_t λ_min) = \(f(ts.tauMem))")
        print("small cluster λ_sc ≈ \(f(ts.lambdaSmallCluster)): ψ_p/(Δ_t λ_sc) = \(f(ts.tauMemSmallCluster))")
        let support = DensitySupport(grid: report.densityLambda, rho: report.densityRho)
        for piece in support.pieces {
            print("Theorem 3.1 density: support [\(f(piece.lo)), \(f(piece.hi))]  mass \(f(piece.mass))")
        }
    }
}
