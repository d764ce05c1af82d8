import NumericCore

/// Gauss–Hermite quadrature for the standard normal: E_g[f(g)] ≈ Σ_k weights[k]·f(nodes[k]), g ~ N(0, 1).
///
/// Exact for polynomials up to degree 2·count − 1. Built by Golub–Welsch: the nodes are the eigenvalues of the
/// Jacobi matrix of the probabilists' Hermite polynomials (off-diagonal √k), the weights the squared first
/// components of its eigenvectors (LAPACK dsyevd).
public struct GaussHermite: Sendable {
    public let nodes: [Double]
    public let weights: [Double]

    public init(count: Int) {
        precondition(count >= 1, "Gauss–Hermite needs at least one node")
        var jacobi = Matrix<Double>(rows: count, cols: count)
        for k in 1..<max(count, 1) {
            let b = Double(k).squareRoot()
            jacobi[k - 1, k] = b
            jacobi[k, k - 1] = b
        }
        // dsyevd on a small tridiagonal matrix cannot fail; a failure here is a broken LAPACK.
        let eigen = try! SymmetricEigen(jacobi)
        nodes = eigen.values
        weights = (0..<count).map { eigen.vectors[0, $0] * eigen.vectors[0, $0] }
    }

    /// E_g[f(g)].
    @inlinable
    public func expectation(_ f: (Double) -> Double) -> Double {
        var s = 0.0
        for k in 0..<nodes.count { s += weights[k] * f(nodes[k]) }
        return s
    }

    /// The Hermite coefficients c_k = E_g[tanh(a + s·g)·He_k(g)] for k = 0…order, written into `out`
    /// (probabilists' Hermite polynomials: He_0 = 1, He_1 = g, He_{k+1} = g·He_k − k·He_{k−1}).
    @inlinable
    public func tanhHermiteCoefficients(a: Double, s: Double, into out: UnsafeMutableBufferPointer<Double>) {
        for k in 0..<out.count { out[k] = 0 }
        for q in 0..<nodes.count {
            let g = nodes[q]
            let f = weights[q] * rfTanh(a + s * g)
            var hPrev = 1.0, h = g
            out[0] += f
            if out.count > 1 { out[1] += f * g }
            var k = 1
            while k + 1 < out.count {
                let hNext = g * h - Double(k) * hPrev
                hPrev = h
                h = hNext
                k += 1
                out[k] += f * h
            }
        }
    }

    /// E_g[tanh(a + s·g)²].
    @inlinable
    public func tanhSquareMean(a: Double, s: Double) -> Double {
        var m = 0.0
        for q in 0..<nodes.count {
            let y = rfTanh(a + s * nodes[q])
            m += weights[q] * y * y
        }
        return m
    }
}

#if canImport(Glibc)
import Glibc
@inlinable @inline(__always) func rfTanh(_ x: Double) -> Double { Glibc.tanh(x) }
@inlinable @inline(__always) func rfExp(_ x: Double) -> Double { Glibc.exp(x) }
@inlinable @inline(__always) func rfExpm1(_ x: Double) -> Double { Glibc.expm1(x) }
@inlinable @inline(__always) func rfLog(_ x: Double) -> Double { Glibc.log(x) }
#elseif canImport(Darwin)
import Darwin
@inlinable @inline(__always) func rfTanh(_ x: Double) -> Double { Darwin.tanh(x) }
@inlinable @inline(__always) func rfExp(_ x: Double) -> Double { Darwin.exp(x) }
@inlinable @inline(__always) func rfExpm1(_ x: Double) -> Double { Darwin.expm1(x) }
@inlinable @inline(__always) func rfLog(_ x: Double) -> Double { Darwin.log(x) }
#endif
