#include "CKernels.h"

#include <math.h>

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#define GW_X86_VERSIONS 1
#endif

/// Entry j's sum: c[j] + norms[j], or c[j] when norms is NULL (the sums are in c already).
static inline float sum_at(const float *c, const float *norms, ptrdiff_t j) {
    return norms ? c[j] + norms[j] : c[j];
}

/// Inserts (v, j) into the ascending list unless v is not below `bar`; equal values keep the earlier entry first.
/// Returns the new bar: the list's last value, capped at `above`.
static inline float insert_candidate(float v, ptrdiff_t j, float bar, float above, float *dist, ptrdiff_t *index,
                                     ptrdiff_t slots) {
    if (!(v < bar)) return bar;
    ptrdiff_t p = slots - 1;
    while (p > 0 && dist[p - 1] > v) {
        dist[p] = dist[p - 1];
        index[p] = index[p - 1];
        p--;
    }
    dist[p] = v;
    index[p] = j;
    return dist[slots - 1] < above ? dist[slots - 1] : above;
}

/// The k-th smallest of 16 values (1 ≤ k ≤ 16): the least value with at least k values at most it. Every
/// comparison is made, so no branch depends on the data.
static inline __attribute__((always_inline)) float kth_smallest16(const float *lanes, ptrdiff_t k) {
    float cut = INFINITY;
    for (int i = 0; i < 16; i++) {
        int at_most = 0;
        for (int j = 0; j < 16; j++) at_most += lanes[j] <= lanes[i];
        cut = (at_most >= k && lanes[i] < cut) ? lanes[i] : cut;
    }
    return cut;
}

/// The entries from `start` on, one at a time.
static inline void scan_tail(const float *c, const float *norms, ptrdiff_t start, ptrdiff_t count, ptrdiff_t offset,
                             float bar, float above, float *dist, ptrdiff_t *index, ptrdiff_t slots) {
    for (ptrdiff_t j = start; j < count; j++) {
        bar = insert_candidate(sum_at(c, norms, j), offset + j, bar, above, dist, index, slots);
    }
}

/// Whether the first pass (the lane-minimum cut) applies: the list is empty and the row has a full group.
static inline int wants_cut(ptrdiff_t count, const float *dist, ptrdiff_t slots) {
    return count >= 16 && slots <= 16 && dist[slots - 1] == INFINITY;
}

/// The bar a scan starts from: the list's last value, capped at `*above`, the least float above the cut (an entry
/// is at most the cut exactly when it is below `*above`).
static inline float first_bar(float cut, const float *dist, ptrdiff_t slots, float *above) {
    *above = nextafterf(cut, INFINITY);
    return dist[slots - 1] < *above ? dist[slots - 1] : *above;
}

/// The entries of one 16-entry group whose bits are set in `mask`, in index order.
static inline float insert_group(const float *sums, unsigned mask, ptrdiff_t first, float bar, float above,
                                 float *dist, ptrdiff_t *index, ptrdiff_t slots) {
    while (mask) {
        int lane = __builtin_ctz(mask);
        bar = insert_candidate(sums[lane], first + lane, bar, above, dist, index, slots);
        mask &= mask - 1;
    }
    return bar;
}

static void scan_row_portable(const float *c, const float *norms, ptrdiff_t count, ptrdiff_t offset, float *dist,
                              ptrdiff_t *index, ptrdiff_t slots) {
    ptrdiff_t full = count / 16 * 16;
    float cut = INFINITY;
    float sums[16];
    if (wants_cut(count, dist, slots)) {
        float low[16];
        for (int lane = 0; lane < 16; lane++) low[lane] = INFINITY;
        for (ptrdiff_t j0 = 0; j0 < full; j0 += 16) {
            for (int lane = 0; lane < 16; lane++) {
                float v = sum_at(c, norms, j0 + lane);
                low[lane] = v < low[lane] ? v : low[lane];
            }
        }
        cut = kth_smallest16(low, slots);
    }
    float above;
    float bar = first_bar(cut, dist, slots, &above);
    for (ptrdiff_t j0 = 0; j0 < full; j0 += 16) {
        unsigned mask = 0;
        for (int lane = 0; lane < 16; lane++) {
            sums[lane] = sum_at(c, norms, j0 + lane);
            mask |= (unsigned)(sums[lane] < bar) << lane;
        }
        if (mask) bar = insert_group(sums, mask, offset + j0, bar, above, dist, index, slots);
    }
    scan_tail(c, norms, full, count, offset, bar, above, dist, index, slots);
}

#ifdef GW_X86_VERSIONS
__attribute__((target("avx2")))
static inline __m256 sums_avx2(const float *c, const float *norms, ptrdiff_t j) {
    __m256 v = _mm256_loadu_ps(c + j);
    return norms ? _mm256_add_ps(v, _mm256_loadu_ps(norms + j)) : v;
}

__attribute__((target("avx512f")))
static inline __m512 sums_avx512(const float *c, const float *norms, ptrdiff_t j) {
    __m512 v = _mm512_loadu_ps(c + j);
    return norms ? _mm512_add_ps(v, _mm512_loadu_ps(norms + j)) : v;
}

/// `kth_smallest16` of the lanes of v: one comparison of all lanes with each lane.
__attribute__((target("avx512f")))
static inline float kth_smallest16_avx512(__m512 v, ptrdiff_t k) {
    float cut = INFINITY;
    for (int i = 0; i < 16; i++) {
        __m512 x = _mm512_permutexvar_ps(_mm512_set1_epi32(i), v);
        int at_most = __builtin_popcount(_mm512_cmp_ps_mask(v, x, _CMP_LE_OQ));
        float xi = _mm512_cvtss_f32(x);
        cut = (at_most >= k && xi < cut) ? xi : cut;
    }
    return cut;
}

__attribute__((target("avx2")))
static void scan_row_avx2(const float *c, const float *norms, ptrdiff_t count, ptrdiff_t offset, float *dist,
                          ptrdiff_t *index, ptrdiff_t slots) {
    ptrdiff_t full = count / 16 * 16;
    float cut = INFINITY;
    float sums[16];
    if (wants_cut(count, dist, slots)) {
        __m256 low0 = _mm256_set1_ps(INFINITY), low1 = low0;
        for (ptrdiff_t j0 = 0; j0 < full; j0 += 16) {
            low0 = _mm256_min_ps(low0, sums_avx2(c, norms, j0));
            low1 = _mm256_min_ps(low1, sums_avx2(c, norms, j0 + 8));
        }
        _mm256_storeu_ps(sums, low0);
        _mm256_storeu_ps(sums + 8, low1);
        cut = kth_smallest16(sums, slots);
    }
    float above;
    float bar = first_bar(cut, dist, slots, &above);
    for (ptrdiff_t j0 = 0; j0 < full; j0 += 16) {
        __m256 v0 = sums_avx2(c, norms, j0);
        __m256 v1 = sums_avx2(c, norms, j0 + 8);
        __m256 limit = _mm256_set1_ps(bar);
        unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(v0, limit, _CMP_LT_OQ))
            | (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(v1, limit, _CMP_LT_OQ)) << 8;
        if (mask) {
            _mm256_storeu_ps(sums, v0);
            _mm256_storeu_ps(sums + 8, v1);
            bar = insert_group(sums, mask, offset + j0, bar, above, dist, index, slots);
        }
    }
    scan_tail(c, norms, full, count, offset, bar, above, dist, index, slots);
}

__attribute__((target("avx512f")))
static void scan_row_avx512(const float *c, const float *norms, ptrdiff_t count, ptrdiff_t offset, float *dist,
                            ptrdiff_t *index, ptrdiff_t slots) {
    ptrdiff_t full = count / 16 * 16;
    float cut = INFINITY;
    if (wants_cut(count, dist, slots)) {
        __m512 low0 = _mm512_set1_ps(INFINITY), low1 = low0;
        ptrdiff_t j0 = 0;
        for (; j0 + 32 <= full; j0 += 32) {
            low0 = _mm512_min_ps(low0, sums_avx512(c, norms, j0));
            low1 = _mm512_min_ps(low1, sums_avx512(c, norms, j0 + 16));
        }
        if (j0 < full) low0 = _mm512_min_ps(low0, sums_avx512(c, norms, j0));
        cut = kth_smallest16_avx512(_mm512_min_ps(low0, low1), slots);
    }
    float above;
    float bar = first_bar(cut, dist, slots, &above);
    // Entries below the bar are gathered without a branch per group (the visited groups are unpredictable) and
    // inserted when the buffer is nearly full and at the end; the insertion re-checks each against the tighter bar.
    enum { capacity = 64 };
    float pending[capacity + 16];
    int32_t pending_index[capacity + 16];
    int held = 0;
    const __m512i lane_index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512 limit = _mm512_set1_ps(bar);
    for (ptrdiff_t j0 = 0; j0 < full; j0 += 16) {
        __m512 v = sums_avx512(c, norms, j0);
        __mmask16 mask = _mm512_cmp_ps_mask(v, limit, _CMP_LT_OQ);
        _mm512_storeu_ps(pending + held, _mm512_maskz_compress_ps(mask, v));
        _mm512_storeu_si512(pending_index + held, _mm512_maskz_compress_epi32(
            mask, _mm512_add_epi32(lane_index, _mm512_set1_epi32((int32_t)j0))));
        held += __builtin_popcount(mask);
        if (held > capacity) {
            for (int p = 0; p < held; p++) {
                bar = insert_candidate(pending[p], offset + pending_index[p], bar, above, dist, index, slots);
            }
            held = 0;
            limit = _mm512_set1_ps(bar);
        }
    }
    for (int p = 0; p < held; p++) {
        bar = insert_candidate(pending[p], offset + pending_index[p], bar, above, dist, index, slots);
    }
    scan_tail(c, norms, full, count, offset, bar, above, dist, index, slots);
}
#endif

void gw_scan_row_version(int version, const float *c, const float *norms, ptrdiff_t count, ptrdiff_t offset,
                         float *dist, ptrdiff_t *index, ptrdiff_t slots) {
#ifdef GW_X86_VERSIONS
    if (version >= 2 && count <= INT32_MAX) {  // its gathered indices are 32-bit
        scan_row_avx512(c, norms, count, offset, dist, index, slots);
        return;
    }
    if (version == 1) {
        scan_row_avx2(c, norms, count, offset, dist, index, slots);
        return;
    }
#endif
    scan_row_portable(c, norms, count, offset, dist, index, slots);
}

int gw_scan_row_best_version(void) {
#ifdef GW_X86_VERSIONS
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
#endif
    return 0;
}

void gw_scan_row(const float *c, const float *norms, ptrdiff_t count, ptrdiff_t offset, float *dist, ptrdiff_t *index,
                 ptrdiff_t slots) {
    gw_scan_row_version(gw_scan_row_best_version(), c, norms, count, offset, dist, index, slots);
}
