import NumericCore

/// How the expectation over the diffusion noise ξ in the loss is taken.
public enum RFNoiseMode: Sendable, Equatable {
    /// Exactly: Stein's lemma for V and the Mehler (Hermite) series for U; the test side uses the population
    /// Ũ, Ṽ (no finite test set).
    case exact
    /// Over `draws` fixed noise draws per training point (the paper's numerics); the test side over `testPoints`
    /// fresh points with fresh draws.
    case draws(Int, testPoints: Int)

    public var name: String {
        switch self {
        case .exact: "exact"
        case .draws: "draws"
        }
    }
}

/// Sizes and settings of one RF score-matching problem (docs/science.md §4).
public struct RFSetting: Sendable, Equatable {
    /// Data dimension d.
    public var d: Int
    /// Number of random features p.
    public var p: Int
    /// Training-set size n.
    public var n: Int
    /// Diffusion time t.
    public var t: Double
    /// Data standard deviation: x ~ N(0, σ_x² I_d).
    public var sigmaX: Double
    public var noise: RFNoiseMode
    /// Highest Hermite order kept in the Mehler series of U (exact mode).
    public var hermiteOrder: Int
    /// Gauss–Hermite nodes for every E_g.
    public var quadratureNodes: Int
    public var seed: UInt64

    public init(d: Int, p: Int, n: Int, t: Double, sigmaX: Double = 1, noise: RFNoiseMode = .exact,
                hermiteOrder: Int = 10, quadratureNodes: Int = 40, seed: UInt64 = 0) {
        self.d = d
        self.p = p
        self.n = n
        self.t = t
        self.sigmaX = sigmaX
        self.noise = noise
        self.hermiteOrder = hermiteOrder
        self.quadratureNodes = quadratureNodes
        self.seed = seed
    }

    public var psiP: Double { Double(p) / Double(d) }
    public var psiN: Double { Double(n) / Double(d) }
    /// Δ_t = 1 − e^{−2t}.
    public var delta: Double { -rfExpm1(-2 * t) }
    /// e^{−t}.
    public var decay: Double { rfExp(-t) }
}

/// The random draws of one problem: frozen features W and the training data X.
public struct RFInstance: Sendable {
    public let setting: RFSetting
    /// p×d, iid N(0, 1).
    public let w: Matrix<Double>
    /// n×d, iid N(0, σ_x²).
    public let x: Matrix<Double>

    /// Named PRNG streams, so each draw depends on the seed alone.
    public enum Stream: UInt64 {
        case features = 1, data = 2, trainNoise = 3, testData = 4, testNoise = 5
        /// The held-out reference set FID is measured against, and the generative sampler's noise.
        case generativeReference = 6, sampler = 7
        /// Independent features of the k-th diffusion time of a generative model use stream `rawValue + k`.
        case generativeFeatures = 0x1000
    }

    public init(_ setting: RFSetting) {
        self.setting = setting
        w = RFInstance.features(setting)
        var rx = Xoshiro256(seed: setting.seed, stream: Stream.data.rawValue)
        x = Matrix(rows: setting.n, cols: setting.d, storage: rx.normals(setting.n * setting.d, std: setting.sigmaX))
    }

    /// A problem with given features W (p×d) and data X (n×d): one W per diffusion time, or data from a dataset.
    public init(setting: RFSetting, w: Matrix<Double>, x: Matrix<Double>) {
        precondition(w.rows == setting.p && w.cols == setting.d && x.rows == setting.n && x.cols == setting.d,
                     "W must be p×d and X n×d")
        self.setting = setting
        self.w = w
        self.x = x
    }

    /// The frozen features W (p×d, iid N(0, 1)) drawn from `stream`.
    public static func features(_ setting: RFSetting, stream: UInt64 = Stream.features.rawValue) -> Matrix<Double> {
        var rw = Xoshiro256(seed: setting.seed, stream: stream)
        return Matrix(rows: setting.p, cols: setting.d, storage: rw.normals(setting.p * setting.d))
    }
}
