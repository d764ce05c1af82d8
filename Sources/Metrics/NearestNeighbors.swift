import CKernels
import NumericCore

/// Exact nearest and second-nearest reference rows of every query row, in Euclidean distance.
///
/// Shapes: queries m×d, reference n×d (n ≥ 2, d ≥ 1, all values finite).
///
/// Fast path: squared distances by the GEMM identity ‖q − r‖² = ‖q‖² + ‖r‖² − 2 q·r, computed block by block
/// (`blockRows` queries × `blockColumns` reference rows) with sgemm (β = 1 onto rows preset to ‖r‖²) into one
/// reusable buffer — never an m×n matrix — after shifting both sets by the reference mean (distances do not
/// change; the norms, and so the cancellation, shrink). A vectorized scan (`gw_scan_row`) keeps the
/// `candidateCount` smallest ‖r‖² − 2 q·r per query; every element-wise pass splits its rows over threads.
///
/// Exact path: the candidates' distances are recomputed in Float64 as Σₖ (qₖ − rₖ)² and the best two taken, ties
/// going to the lower reference index. A worst-case Float32 rounding bound then proves that no other reference row
/// can be nearer than the second candidate; a query for which it cannot (ties or near-ties wider than the
/// candidate list, e.g. many duplicate training points) is rescanned in Float64 against the whole reference.
/// The result is therefore identical to a brute-force Float64 scan with the same tie rule.
public enum NearestNeighbors {
    /// Candidates kept per query by the Float32 pass.
    public static let candidateCount = 8
    /// Query rows and reference rows of one distance block (one sgemm of blockRows × blockColumns × d, an 8 MiB
    /// Float block at most): 1,000 samples fit one block, so each reference block costs one GEMM and one scan.
    public static let defaultBlockRows = 1024
    public static let defaultBlockColumns = 2048
    /// Slices of rows the element-wise passes of each block are cut into (rows are independent): four per BLAS
    /// thread, claimed by whichever thread is free, so a thread the scheduler holds back (OpenBLAS's idle workers
    /// keep spinning after a GEMM) leaves its share to the others.
    static var slices: Int { 4 * max(1, BLASRuntime.threads) }

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
        let parts = slices
        /// Rows of an element-wise pass in `parts` slices of at least 32 rows.
        func split(_ rows: Int) -> ParallelParts { ParallelParts(count: rows, maximum: parts, minimumLength: 32) }

        // The reference mean, as the shift (any shift gives the same distances; the mean makes the norms small).
        let mean = [Float](unsafeUninitializedCapacity: d) { out, initialized in
            let weights = [Float](repeating: 1 / Float(n), count: n)
            reference.storage.withUnsafeBufferPointer { r in
                Float.gemv(.transposed, m: n, n: d, alpha: 1, a: r.baseAddress!, lda: d, x: weights, incx: 1,
                           beta: 0, y: out.baseAddress!, incy: 1)
            }
            initialized = d
        }

        // Working buffers, all freed on return; the largest is one mb×nb block, never an m×n matrix.
        let qc = UnsafeMutablePointer<Float>.allocate(capacity: m * d)        // m×d shifted queries
        let qNorm = UnsafeMutablePointer<Double>.allocate(capacity: m)        // m: ‖qc_i‖²
        let dist = UnsafeMutablePointer<Float>.allocate(capacity: m * kc)     // m×kc: ‖r‖² − 2 q·r, ascending per row
        let index = UnsafeMutablePointer<Int>.allocate(capacity: m * kc)      // m×kc: reference rows of dist
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: nb * d)     // nb×d shifted reference rows
        let norms = UnsafeMutablePointer<Float>.allocate(capacity: nb)        // nb: ‖rc_j‖²
        let maxima = UnsafeMutablePointer<Double>.allocate(capacity: parts)   // per slice: max ‖rc_j‖²
        let c = UnsafeMutablePointer<Float>.allocate(capacity: mb * nb)       // mb×nb: ‖rc‖² − 2 qc·rcᵀ
        let rescans = UnsafeMutablePointer<Int>.allocate(capacity: parts)     // per slice: queries rescanned
        let out1 = UnsafeMutablePointer<Int>.allocate(capacity: m), out2 = UnsafeMutablePointer<Int>.allocate(capacity: m)
        let dist1 = UnsafeMutablePointer<Double>.allocate(capacity: m)
        let dist2 = UnsafeMutablePointer<Double>.allocate(capacity: m)
        defer {
            qc.deallocate(); qNorm.deallocate(); dist.deallocate(); index.deallocate(); rows.deallocate()
            norms.deallocate(); maxima.deallocate(); c.deallocate(); rescans.deallocate()
            out1.deallocate(); out2.deallocate(); dist1.deallocate(); dist2.deallocate()
        }
        dist.initialize(repeating: .infinity, count: m * kc)
        index.initialize(repeating: -1, count: m * kc)
        maxima.initialize(repeating: 0, count: parts)
        rescans.initialize(repeating: 0, count: parts)
        // Worst-case |Float32 estimate − exact squared distance| per unit of ‖q‖² + ‖r‖² (shift, dot product,
        // norm and sum roundings: (d + 7)·u with u = 2⁻²⁴), with slack for the Float64 recomputation.
        let errorPerNorm = Double(d + 16) * 0x1p-24 * 1.01

        queries.storage.withUnsafeBufferPointer { q in
            reference.storage.withUnsafeBufferPointer { r in
                mean.withUnsafeBufferPointer { mp in
                    let (qp, rp, mu) = (q.baseAddress!, r.baseAddress!, mp.baseAddress!)
                    split(m).forEach { _, block in
                        for i in block { qNorm[i] = shiftAndNorm(qp + i * d, mean: mu, into: qc + i * d, count: d) }
                    }
                    for j0 in stride(from: 0, to: n, by: nb) {
                        let nCur = min(nb, n - j0)
                        split(nCur).forEach { part, block in
                            var top = maxima[part]
                            for j in block {
                                let s = shiftAndNorm(rp + (j0 + j) * d, mean: mu, into: rows + j * d, count: d)
                                norms[j] = Float(s)
                                top = max(top, s)
                            }
                            maxima[part] = top
                        }
                        for i0 in stride(from: 0, to: m, by: mb) {
                            let mCur = min(mb, m - i0)
                            // Every row starts as ‖rc‖² and the GEMM adds −2 qc·rcᵀ (β = 1: a copy is cheaper than
                            // OpenBLAS's zeroing pass for β = 0).
                            split(mCur).forEach { _, block in
                                for i in block { (c + i * nCur).update(from: norms, count: nCur) }
                            }
                            Float.gemm(.none, .transposed, m: mCur, n: nCur, k: d, alpha: -2, a: qc + i0 * d, lda: d,
                                       b: rows, ldb: d, beta: 1, c: c, ldc: nCur)
                            split(mCur).forEach { _, block in
                                for i in block {
                                    gw_scan_row(c + i * nCur, nil, nCur, j0, dist + (i0 + i) * kc, index + (i0 + i) * kc,
                                                kc)
                                }
                            }
                        }
                    }
                    let maxRefNorm = (0..<parts).map { maxima[$0] }.max() ?? 0
                    split(m).forEach { part, block in
                        for i in block {
                            let qi = qp + i * d
                            let bound = errorPerNorm * (qNorm[i] + maxRefNorm)
                            var (b1, b2, complete) = bestTwo(
                                of: qi, candidates: index + i * kc, estimates: dist + i * kc, bound: bound, count: kc,
                                reference: rp, d: d)
                            if kc < n {
                                let worst = qNorm[i] + Double(dist[i * kc + kc - 1])
                                if !(worst - bound > b2.dist) { complete = false }
                            }
                            if !complete {
                                rescans[part] += 1
                                b1 = (Double.infinity, Int.max); b2 = b1
                                for j in 0..<n { insertBestTwo((exactSquaredDistance(qi, rp + j * d, d), j), &b1, &b2) }
                            }
                            out1[i] = b1.index; out2[i] = b2.index
                            dist1[i] = b1.dist.squareRoot(); dist2[i] = b2.dist.squareRoot()
                        }
                    }
                }
            }
        }
        func array<T>(_ p: UnsafeMutablePointer<T>) -> [T] { Array(UnsafeBufferPointer(start: p, count: m)) }
        return ((array(out1), array(out2), array(dist1), array(dist2)),
                (0..<parts).reduce(0) { $0 + rescans[$1] })
    }

    /// Writes `src − mean` (`count` Floats) to `dst` and returns its squared norm, summed in Float64 over four
    /// interleaved partial sums (any order is as accurate as the error bound assumes; the sum feeds only the
    /// Float32 estimate and the bound, never a result).
    @inline(__always)
    static func shiftAndNorm(
        _ src: UnsafePointer<Float>, mean: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int
    ) -> Double {
        var s = SIMD4<Double>()
        var k = 0
        while k + 4 <= count {
            let v = UnsafeRawPointer(src + k).loadUnaligned(as: SIMD4<Float>.self)
                - UnsafeRawPointer(mean + k).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(dst + k).storeBytes(of: v, as: SIMD4<Float>.self)
            let w = SIMD4<Double>(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]))
            s += w * w
            k += 4
        }
        var tail = 0.0
        while k < count {
            let v = src[k] - mean[k]
            dst[k] = v
            tail += Double(v) * Double(v)
            k += 1
        }
        return (s[0] + s[1]) + (s[2] + s[3]) + tail
    }

    /// The best two (ties to the lower index) of the Float64 distances from `query` to the `count` candidate rows
    /// (−1 marks an empty slot, which makes the result incomplete). `estimates` are the candidates' Float32
    /// ‖r‖² − 2 q·r, ascending, each within `bound` of its Float64 distance minus ‖q‖²; so a candidate whose
    /// estimate exceeds the second one's by more than 2·bound is strictly farther than the nearer two and needs no
    /// Float64 sum. Usually only the first two remain, summed side by side in two SIMD lanes; otherwise all eight
    /// (`candidateCount`) are, one lane each. Each lane adds in index order — the roundings of
    /// `exactSquaredDistance`, at a fraction of the dependent-add latency.
    @inline(__always)
    static func bestTwo(
        of query: UnsafePointer<Float>, candidates: UnsafePointer<Int>, estimates: UnsafePointer<Float>, bound: Double,
        count: Int, reference: UnsafePointer<Float>, d: Int
    ) -> (b1: (dist: Double, index: Int), b2: (dist: Double, index: Int), complete: Bool) {
        var b1 = (dist: Double.infinity, index: Int.max), b2 = b1
        var complete = true
        if count == 8 && (0..<8).allSatisfy({ candidates[$0] >= 0 }) {
            if Double(estimates[2]) - Double(estimates[1]) > 2 * bound {
                let e = exactSquaredDistances2(query, reference + candidates[0] * d, reference + candidates[1] * d, d)
                insertBestTwo((e[0], candidates[0]), &b1, &b2)
                insertBestTwo((e[1], candidates[1]), &b1, &b2)
            } else {
                let e = exactSquaredDistances8(query, rows: candidates, of: reference, d)
                for s in 0..<count { insertBestTwo((e[s], candidates[s]), &b1, &b2) }
            }
            return (b1, b2, complete)
        }
        for s in 0..<count {
            let j = candidates[s]
            if j < 0 { complete = false; continue }
            insertBestTwo((exactSquaredDistance(query, reference + j * d, d), j), &b1, &b2)
        }
        return (b1, b2, complete)
    }

    /// `exactSquaredDistance` from `a` to rows `r0` and `r1` (lanes 0 and 1), bit-identical to two calls.
    @inline(__always)
    static func exactSquaredDistances2(
        _ a: UnsafePointer<Float>, _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ d: Int
    ) -> SIMD2<Double> {
        var s = SIMD2<Double>()
        for k in 0..<d {
            let t = SIMD2<Double>(repeating: Double(a[k])) - SIMD2<Double>(Double(r0[k]), Double(r1[k]))
            s += t * t
        }
        return s
    }

    /// `exactSquaredDistance` from `a` to eight rows of `reference` (row indices `rows[0..<8]`, d columns), lane s
    /// holding row s's sum (the same operations in the same order per lane, so bit-identical to eight calls).
    @inline(__always)
    static func exactSquaredDistances8(
        _ a: UnsafePointer<Float>, rows: UnsafePointer<Int>, of reference: UnsafePointer<Float>, _ d: Int
    ) -> SIMD8<Double> {
        let (r0, r1, r2, r3) = (reference + rows[0] * d, reference + rows[1] * d, reference + rows[2] * d,
                                reference + rows[3] * d)
        let (r4, r5, r6, r7) = (reference + rows[4] * d, reference + rows[5] * d, reference + rows[6] * d,
                                reference + rows[7] * d)
        var s = SIMD8<Double>()
        for k in 0..<d {
            let r = SIMD8<Double>(Double(r0[k]), Double(r1[k]), Double(r2[k]), Double(r3[k]),
                                  Double(r4[k]), Double(r5[k]), Double(r6[k]), Double(r7[k]))
            let t = SIMD8<Double>(repeating: Double(a[k])) - r
            s += t * t
        }
        return s
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
}
