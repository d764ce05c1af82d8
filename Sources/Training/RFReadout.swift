import NumericCore
import RandomFeatures

/// An RF run's readout under its solver, with the test (and, in draws mode, population) loss in the same form.
/// Exactly one of `gram` / `eigen` is set.
struct RFReadout {
    let solver: RFSolver
    private(set) var gram: RFOptimizer?
    private let gramTest: RFQuadraticLoss?
    private let gramPopulation: RFQuadraticLoss?
    private(set) var eigen: RFEigenDescent<Float>?
    private let eigenTest: RFProjectedLoss<Float>?
    private let eigenPopulation: RFProjectedLoss<Float>?

    /// `population`: the population Gram form for score_error in draws mode (nil: the test loss serves).
    init(solver: RFSolver, optimizer: RFOptimizer.Kind, train: RFGram, test: RFGram, population: RFGram?,
         basis: RFEigenbasis, testProjection: (quadratic: Matrix<Double>, linear: Matrix<Double>), delta: Double) {
        precondition(solver == .gram || optimizer == .gd, "the eigenbasis solver runs GD only")
        self.solver = solver
        switch solver {
        case .gram:
            gram = RFOptimizer(optimizer, loss: RFQuadraticLoss(train, delta: delta))
            gramTest = RFQuadraticLoss(test, delta: delta)
            gramPopulation = population.map { RFQuadraticLoss($0, delta: delta) }
            (eigen, eigenTest, eigenPopulation) = (nil, nil, nil)
        case .eigen:
            eigen = RFEigenDescent(basis: basis, constant: train.noiseEnergy, delta: delta)
            eigenTest = RFProjectedLoss(testProjection, constant: test.noiseEnergy, delta: delta)
            eigenPopulation = population.map { RFProjectedLoss(basis.project($0), constant: $0.noiseEnergy, delta: delta) }
            (gram, gramTest, gramPopulation) = (nil, nil, nil)
        }
    }

    /// One step at learning rate `lr`.
    mutating func step(lr: Double) {
        gram?.step(lr: lr)
        eigen?.step(lr: lr)
    }

    /// Steps taken (Adam's bias correction counts them).
    var steps: Int { gram?.steps ?? eigen!.steps }

    /// A (d×p); the eigenbasis solver forms it from B (one d×p·p×p product).
    var parameters: Matrix<Float> { gram?.a ?? eigen!.parameters }

    /// Whether every entry of the iterate (A or B) is finite.
    var isFinite: Bool {
        (gram?.a ?? eigen!.b).storage.withUnsafeBufferPointer { Elementwise.allFinite($0) }
    }

    /// Train, test and population losses at the current iterate; `work` is d×p scratch.
    func losses(work: inout Matrix<Float>) -> (train: Double, test: Double, population: Double) {
        if let gram, let gramTest {
            let train = gram.loss.value(gram.a, work: &work)
            let test = gramTest.value(gram.a, work: &work)
            return (train, test, gramPopulation?.value(gram.a, work: &work) ?? test)
        }
        let eigen = eigen!
        let test = eigenTest!.value(eigen.b, work: &work)
        return (eigen.loss(), test, eigenPopulation?.value(eigen.b, work: &work) ?? test)
    }

    /// ‖∇L(A)‖ (Frobenius, summed in Float64); `work` (d×p) is scratch for the Gram form's gradient.
    func gradientNorm(work: inout Matrix<Float>) -> Double {
        guard let gram else { return eigen!.gradientNorm() }
        gram.loss.gradient(gram.a, into: &work)
        return work.storage.withUnsafeBufferPointer { g in
            var sum = 0.0
            for x in g { sum += Double(x) * Double(x) }
            return sum.squareRoot()
        }
    }

    /// Adam's moments (0×0 for GD and for the eigenbasis solver).
    var moments: (first: Matrix<Float>, second: Matrix<Float>) {
        gram?.moments ?? (Matrix(rows: 0, cols: 0), Matrix(rows: 0, cols: 0))
    }

    /// Puts back a saved iterate: A with Adam's moments (Gram form), or B (eigenbasis), and the step count.
    mutating func restore(a: Matrix<Float>, b: Matrix<Float>?, first: Matrix<Float>, second: Matrix<Float>, steps: Int) {
        gram?.restore(a: a, first: first, second: second, steps: steps)
        if let b { eigen?.restore(b: b, steps: steps) }
    }
}
