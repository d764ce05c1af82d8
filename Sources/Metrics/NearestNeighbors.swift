import Dispatch
import NumericCore

/// Exact nearest and second-nearest reference rows of every query row, in Euclidean distance.
///
/// Shapes: queries m×d, reference n×d (n ≥ 2, d ≥ 1, all values finite).
///
/// Fast path: squared distances by the GEMM identity ‖q − r‖² = ‖q‖² + ‖r‖² − 2 q·r, computed block by block
/// (`blockRows` queries × `blockColumns` reference rows) with sgemm into one reusable buffer — never an m×n
/// matrix — after shifting both sets by the reference mean (distances do not change; the norms, and so the
/// cancellation, shrink). A tight loop keeps the `candidateCount` smallest per query, rows split over threads.
///
/// Exact path: the candidates' distances are recomputed in Float64 as Σₖ (qₖ − rₖ)² and the best two taken, ties
/// going to the lower reference index. A worst-case Float32 rounding bound then proves that no other reference row
/// can be nearer than the second candidate; a query for which it cannot (ties or near-ties wider than the
/// candidate list, e.g. many duplicate training points) is rescanned in Float64 against the whole reference.
/// The result is therefore identical to a brute-force Float64 scan with the same tie rule.
public enum NearestNeighbors {
    /// Candidates kept per query by the Float32 pass.
    public static let candidateCount = 8
    /// Query rows and reference rows of one distance block (one sgemm of blockRows × blockColumns × d).
    public static let defaultBlockRows = 256
    public static let defaultBlockColumns = 2048
    /// Threads sharing the candidate scan of each block (rows are independent); as many as BLAS uses.
    static var scanThreads: Int { max(1, BLASRuntime.threads) }

    /// Indices (0-based reference rows) and Euclidean distances of the nearest (`nn1`, `d1`) and second-nearest
    /// (`nn2`, `d2`) reference row of each query; `d1[i] ≤ d2[i]`.
    public static func topTwo(
        queries: Matrix<Float>, reference: Matrix<Float>, blockRows: Int = defaultBlockRows,
        blockColumns: Int = defaultBlockColumns
    ) -> (nn1: [Int], nn2: [Int], d1: [Double], d2: [Double]) {
        search(queries: queries, reference: reference, blockRows: blockRows, blockColumns: blockColumns).result
    }

    /// `topTwo`, plus how many queries needed the whole-reference Float64 rescan (a test hook).
    package static func search(
        queries: Matrix<Float>, reference: Matrix<Float>, blockRows: Int, blockColumns: Int
    ) -> (result: (nn1: [Int], nn2: [Int], d1: [Double], d2: [Double]), rescanned: Int) {
        precondition(queries.cols == reference.cols,
                     "queries have \(queries.cols) columns, reference \(reference.cols)")
        precondition(reference.rows >= 2, "need at least two reference rows, got \(reference.rows)")
        precondition(queries.cols >= 1, "need at least one dimension")
        precondition(blockRows >= 1 && blockColumns >= 1, "block sizes must be positive")
        let m = queries.rows, n = reference.rows, d = queries.cols
        let kc = min(candidateCount, n)
        let mb = min(blockRows, max(m, 1)), nb = min(blockColumns, n)

        // Reference mean (Float64, stored as Float) used as the shift.
        var meanD = [Double](repeating: 0, count: d)
        reference.storage.withUnsafeBufferPointer { r in
            for i in 0..<n { for k in 0..<d { meanD[k] += Double(r[i * d + k]) } }
        }
        let mean = meanD.map { Float($0 / Double(n)) }

        var qc = [Float](repeating: 0, count: m * d)        // m×d shifted queries
        var qNorm = [Double](repeating: 0, count: m)         // m: ‖qc_i‖²
        queries.storage.withUnsafeBufferPointer { q in
            qc.withUnsafeMutableBufferPointer { out in
                for i in 0..<m {
                    var s = 0.0
                    for k in 0..<d {
                        let v = q[i * d + k] - mean[k]
                        out[i * d + k] = v
                        s += Double(v) * Double(v)
                    }
                    qNorm[i] = s
                }
            }
        }

        var candDist = [Float](repeating: .infinity, count: m * kc)  // m×kc: ‖r‖² − 2 q·r, ascending per row
        var candIndex = [Int](repeating: -1, count: m * kc)           // m×kc: reference rows of candDist
        var rBlock = [Float](repeating: 0, count: nb * d)              // nb×d shifted reference rows
        var rNorm = [Float](repeating: 0, count: nb)                   // nb: ‖rc_j‖²
        var cBlock = [Float](repeating: 0, count: mb * nb)             // mb×nb: −2 qc·rcᵀ
        var maxRefNorm = 0.0

        reference.storage.withUnsafeBufferPointer { r in
            qc.withUnsafeBufferPointer { qcp in
                rBlock.withUnsafeMutableBufferPointer { rb in
                    rNorm.withUnsafeMutableBufferPointer { rn in
                        cBlock.withUnsafeMutableBufferPointer { cb in
                            candDist.withUnsafeMutableBufferPointer { cd in
                                candIndex.withUnsafeMutableBufferPointer { ci in
                                    for j0 in stride(from: 0, to: n, by: nb) {
                                        let nCur = min(nb, n - j0)
                                        for j in 0..<nCur {
                                            var s = 0.0
                                            for k in 0..<d {
                                                let v = r[(j0 + j) * d + k] - mean[k]
                                                rb[j * d + k] = v
                                                s += Double(v) * Double(v)
                                            }
                                            rn[j] = Float(s)
                                            maxRefNorm = max(maxRefNorm, s)
                                        }
                                        for i0 in stride(from: 0, to: m, by: mb) {
                                            let mCur = min(mb, m - i0)
                                            Float.gemm(.none, .transposed, m: mCur, n: nCur, k: d, alpha: -2,
                                                       a: qcp.baseAddress! + i0 * d, lda: d,
                                                       b: UnsafePointer(rb.baseAddress!), ldb: d,
                                                       beta: 0, c: cb.baseAddress!, ldc: nCur)
                                            nonisolated(unsafe) let c = cb.baseAddress!, norms = rn.baseAddress!
                                            nonisolated(unsafe) let dist = cd.baseAddress!, index = ci.baseAddress!
                                            let parts = min(scanThreads, mCur)
                                            DispatchQueue.concurrentPerform(iterations: parts) { part in
                                                for i in (part * mCur / parts)..<((part + 1) * mCur / parts) {
                                                    scanRow(c + i * nCur, norms: norms, count: nCur, offset: j0,
                                                            dist: dist + (i0 + i) * kc, index: index + (i0 + i) * kc,
                                                            slots: kc)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        var nn1 = [Int](repeating: 0, count: m), nn2 = [Int](repeating: 0, count: m)
        var d1 = [Double](repeating: 0, count: m), d2 = [Double](repeating: 0, count: m)
        var rescanned = 0
        // Worst-case |Float32 estimate − exact squared distance| per unit of ‖q‖² + ‖r‖² (shift, dot product,
        // norm and sum roundings: (d + 7)·u with u = 2⁻²⁴), with slack for the Float64 recomputation.
        let errorPerNorm = Double(d + 16) * 0x1p-24 * 1.01
        queries.storage.withUnsafeBufferPointer { q in
            reference.storage.withUnsafeBufferPointer { r in
                for i in 0..<m {
                    let qi = q.baseAddress! + i * d
                    var b1 = (dist: Double.infinity, index: Int.max), b2 = b1
                    var complete = true
                    for s in 0..<kc {
                        let j = candIndex[i * kc + s]
                        if j < 0 { complete = false; continue }
                        let e = exactSquaredDistance(qi, r.baseAddress! + j * d, d)
                        insertBestTwo((e, j), &b1, &b2)
                    }
                    if kc < n {
                        let worst = qNorm[i] + Double(candDist[i * kc + kc - 1])
                        let bound = errorPerNorm * (qNorm[i] + maxRefNorm)
                        if !(worst - bound > b2.dist) { complete = false }
                    }
                    if !complete {
                        rescanned += 1
                        b1 = (Double.infinity, Int.max); b2 = b1
                        for j in 0..<n {
                            insertBestTwo((exactSquaredDistance(qi, r.baseAddress! + j * d, d), j), &b1, &b2)
                        }
                    }
                    nn1[i] = b1.index; nn2[i] = b2.index
                    d1[i] = b1.dist.squareRoot(); d2[i] = b2.dist.squareRoot()
                }
            }
        }
        return ((nn1, nn2, d1, d2), rescanned)
    }

    /// Σₖ (aₖ − bₖ)² in Float64, summed in index order (the exact distance the results are defined by).
    @inline(__always)
    static func exactSquaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Double {
        var s = 0.0
        for k in 0..<d {
            let t = Double(a[k]) - Double(b[k])
            s += t * t
        }
        return s
    }

    /// Keeps the two smallest (distance, index) pairs in lexicographic order.
    @inline(__always)
    static func insertBestTwo(
        _ c: (dist: Double, index: Int), _ b1: inout (dist: Double, index: Int), _ b2: inout (dist: Double, index: Int)
    ) {
        if c.dist < b1.dist || (c.dist == b1.dist && c.index < b1.index) {
            b2 = b1; b1 = c
        } else if c.dist < b2.dist || (c.dist == b2.dist && c.index < b2.index) {
            b2 = c
        }
    }

    /// Inserts row entries `c[j] + norms[j]` below the current worst candidate into the ascending candidate list
    /// (`slots` entries); equal values keep the earlier index first. Sixteen entries at a time are first compared
    /// with the worst candidate all at once: most rows of a block hold no candidate, and a group with none is
    /// skipped without visiting its entries one by one (the same sums, so the same result as the plain loop).
    @inline(__always)
    static func scanRow(
        _ c: UnsafeMutablePointer<Float>, norms: UnsafeMutablePointer<Float>, count: Int, offset: Int,
        dist: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int>, slots: Int
    ) {
        typealias V = SIMD16<Float>
        var worst = dist[slots - 1]
        var j0 = 0
        while j0 < count {
            let end = min(j0 + V.scalarCount, count)
            if end - j0 == V.scalarCount {
                let v = UnsafeRawPointer(c + j0).loadUnaligned(as: V.self)
                    + UnsafeRawPointer(norms + j0).loadUnaligned(as: V.self)
                if !any(v .< V(repeating: worst)) {
                    j0 = end
                    continue
                }
            }
            for j in j0..<end {
                let v = c[j] + norms[j]
                if v < worst {
                    var p = slots - 1
                    while p > 0 && dist[p - 1] > v {
                        dist[p] = dist[p - 1]
                        index[p] = index[p - 1]
                        p -= 1
                    }
                    dist[p] = v
                    index[p] = offset + j
                    worst = dist[slots - 1]
                }
            }
            j0 = end
        }
    }
}
