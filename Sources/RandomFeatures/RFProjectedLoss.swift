import NumericCore

/// A held-out RF loss (test or population) read in the eigenbasis of the training U, for `RFEigenDescent`'s B:
/// L = c̃ + (α/2)·⟨B, B K⟩ + β·⟨B, P̃⟩ with K = QᵀŨQ (p×p) and P̃ = ṼᵀQ (d×p), both formed once
/// (`RFEigenbasis.project`), in `Scalar`. A value costs one d×p·p×p product, like the Gram form's; it is
/// `@inlinable` so callers get it specialized.
public struct RFProjectedLoss<Scalar: BLASScalar>: Sendable {
    /// p×p: K = QᵀŨQ.
    @usableFromInline let quadratic: Matrix<Scalar>
    /// d×p: P̃ = ṼᵀQ.
    @usableFromInline let linear: Matrix<Scalar>
    public let constant: Double
    @usableFromInline let alpha: Double
    @usableFromInline let beta: Double

    @inlinable public init(_ projected: (quadratic: Matrix<Double>, linear: Matrix<Double>), constant: Double, delta: Double) {
        let d = projected.linear.rows, p = projected.linear.cols
        quadratic = projected.quadratic.converted()
        linear = projected.linear.converted()
        self.constant = constant
        alpha = 2 * delta / Double(d * p)
        beta = 2 * delta.squareRoot() / (Double(d) * Double(p).squareRoot())
    }

    /// L at B (d×p); `work` (d×p) receives B K.
    @inlinable public func value(_ b: Matrix<Scalar>, work: inout Matrix<Scalar>) -> Double {
        work.gemm(b, .none, quadratic, .none)
        let q = b.storage.withUnsafeBufferPointer { pb in work.storage.withUnsafeBufferPointer { Elementwise.dot(pb, $0) } }
        let l = b.storage.withUnsafeBufferPointer { pb in linear.storage.withUnsafeBufferPointer { Elementwise.dot(pb, $0) } }
        return constant + alpha / 2 * q + beta * l
    }
}
