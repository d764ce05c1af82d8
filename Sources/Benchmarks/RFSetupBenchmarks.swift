import NumericCore
import RandomFeatures
import Training

/// The pieces of an RF run's setup, done once before training and, with the eigenbasis solver, most of a large run:
/// the training U and V (exact noise average), the population Ũ and Ṽ, the eigendecomposition of U, and the test
/// form in its basis; and the whole setup as `train` does it. Each counts its matrix products (GFLOP/s) and is
/// paired with the Float64 GEMM ceiling `dgemm_1024` (all of them are Float64 except the Float32 Mehler orders).
public enum RFSetupBenchmarks {
    /// The Float64 GEMM ceiling of `FoundationBenchmarks.cases`.
    static let ceiling = "dgemm_1024"

    /// The setting the pieces use: t = 0.1 and the default Hermite order and quadrature, as `train` does.
    static func setting(d: Int, p: Int, n: Int) -> RFSetting { RFSetting(d: d, p: p, n: n, t: 0.1) }

    /// The training U and V (`RFNoiseAverage.exact`), the only piece whose cost grows with n: flops of the Mehler
    /// series' syrks, (order + 1)·p²·n. Unit: setups/s.
    public static func gram(d: Int, p: Int, n: Int) -> BenchmarkCase {
        let s = setting(d: d, p: p, n: n)
        return BenchmarkCase(name: "rf_setup_d\(d)_p\(p)_n\(n)", unit: "setups/s", workPerRepetition: 1,
                             flopsPerRepetition: Double(s.hermiteOrder + 1) * Double(p) * Double(p) * Double(n),
                             reference: ceiling) {
            let instance = RFInstance(s)
            return { _ = RFNoiseAverage.exact(instance) }
        }
    }

    /// The population Ũ and Ṽ (`RFNoiseAverage.population`): p² work per Hermite order. Unit: setups/s.
    public static func population(d: Int, p: Int) -> BenchmarkCase {
        BenchmarkCase(name: "rf_population_d\(d)_p\(p)", unit: "setups/s", workPerRepetition: 1) {
            let instance = RFInstance(setting(d: d, p: p, n: 1))
            return { _ = RFNoiseAverage.population(instance) }
        }
    }

    /// The eigendecomposition of a training U by `driver` in `Scalar`'s precision (`dsyevd_…`, `ssyevr_…`): flops
    /// of the tridiagonal reduction and the back-transformation, (4/3 + 2)·p³ (the tridiagonal solver's own work
    /// is what the drivers differ in). Unit: decompositions/s.
    public static func eigen<Scalar: BLASScalar>(_: Scalar.Type, p: Int, driver: SymmetricEigen<Scalar>.Driver) -> BenchmarkCase {
        let prefix = Scalar.self == Float.self ? "s" : "d"
        let cube = Double(p) * Double(p) * Double(p)
        return BenchmarkCase(name: "rf_eigen_\(prefix)\(driver.rawValue)_p\(p)", unit: "eig/s", workPerRepetition: 1,
                             flopsPerRepetition: 10 * cube / 3, reference: ceiling) {
            // A real training U (n = p/8, as the sweep's cells with ψ_p/ψ_n = 8): its clustered spectrum is what
            // the tridiagonal solvers deflate.
            let u: Matrix<Scalar> = RFNoiseAverage.exact(RFInstance(setting(d: 25, p: p, n: max(1, p / 8)))).u.converted()
            return { _ = try SymmetricEigen(u, driver: driver) }
        }
    }

    /// The test (population) form in U's eigenbasis (`RFEigenbasis.project`). Unit: projections/s.
    public static func project(d: Int, p: Int, n: Int) -> BenchmarkCase {
        BenchmarkCase(name: "rf_project_d\(d)_p\(p)_n\(n)", unit: "projections/s", workPerRepetition: 1,
                      flopsPerRepetition: RFEigenbasis.projectionFlops(p: p, d: d), reference: ceiling) {
            let instance = RFInstance(setting(d: d, p: p, n: n))
            let basis = try RFEigenbasis(RFNoiseAverage.exact(instance))
            let test = RFNoiseAverage.population(instance)
            return { _ = basis.project(test) }
        }
    }

    /// The whole setup of `train --model rf` (U, V, Ũ, Ṽ, the eigenbasis, the test form, the closed form and the
    /// spectrum report): `RFTrainingJob.init`, no training. Unit: setups/s.
    public static func setup(d: Int, p: Int, n: Int) -> BenchmarkCase {
        BenchmarkCase(name: "rf_setup_total_d\(d)_p\(p)_n\(n)", unit: "setups/s", workPerRepetition: 1) {
            let s = setting(d: d, p: p, n: n)
            return { _ = try RFTrainingJob(setting: s, plan: RFTrainingPlan(), created: "2026-01-01T00:00:00Z") }
        }
    }

    /// U and V at d = 100, p = 800 for n ∈ {100, 1000, 4000}; each piece at p = 1600 (n = 100) and at the sweep's
    /// largest cells, p = 6400 (n = 800); the drivers at p = 1600 and 3200.
    public static var cases: [BenchmarkCase] {
        [100, 1000, 4000].map { gram(d: 100, p: 800, n: $0) }
        + [(25, 1600, 100), (25, 6400, 800)].flatMap { d, p, n in
            [gram(d: d, p: p, n: n), population(d: d, p: p), project(d: d, p: p, n: n), setup(d: d, p: p, n: n)]
        }
            + [1600, 3200].flatMap { p in
                SymmetricEigen<Double>.Driver.allCases.map { eigen(Double.self, p: p, driver: $0) }
                    + SymmetricEigen<Float>.Driver.allCases.map { eigen(Float.self, p: p, driver: $0) }
            }
    }
}
