#ifndef GENWINDOW_CKERNELS_H
#define GENWINDOW_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Element-wise hot loops of the DDPM step and the nearest-neighbour search in C, so that they run on the widest
/// vector unit the CPU has (one build carries SSE2, AVX2 and AVX-512 versions and picks at load time). Every
/// function computes each element with plain IEEE multiplies, adds, divides and square roots in a fixed order (no
/// fused multiply–add, no reassociation), so all three versions give bit-identical results.

/// y = x·σ(x) over n values, keeping σ(x) in s for the backward pass.
void gw_silu_forward(float *y, float *s, const float *x, ptrdiff_t n);
/// dx = dy·(s + x·s(1 − s)) over n values, s = σ(x) from the forward pass; dx may be dy.
void gw_silu_backward(float *dx, const float *dy, const float *x, const float *s, ptrdiff_t n);

/// Box–Muller on `pairs` 64-bit random words: word i gives u₁ (its top 24 bits, shifted half a step off 0) and
/// u₂ (the next 24 bits); out[i] = √(−2 ln u₁)·cos 2πu₂ and out[pairs + i] = √(−2 ln u₁)·sin 2πu₂.
void gw_normals_from_words(float *out, const uint64_t *words, ptrdiff_t pairs);

/// The approximations the kernels use, over arrays (for tests against libm): eˣ (x clamped to [−87.3, 88.3]),
/// ln x (x positive and normal), and sin 2πu, cos 2πu (|u| ≤ 2²²).
void gw_exp(float *y, const float *x, ptrdiff_t n);
void gw_log(float *y, const float *x, ptrdiff_t n);
void gw_sin_cos_two_pi(float *s, float *c, const float *u, ptrdiff_t n);

/// An exponential moving average to fold into an update: e ← decay·e + (1 − decay)·p (none when weights is NULL).
typedef struct {
    float *weights;
    float decay;
} gw_average;

/// Adam with bias-corrected moments: g′ = g + wd·p when has_wd, else g; m ← β₁m + (1 − β₁)g′;
/// v ← β₂v + (1 − β₂)g′g′; p ← decay·p − lr·(m·c₁)/(√(v·c₂) + ε); then the average of the new p.
void gw_adam(float *p, const float *g, float *m, float *v, ptrdiff_t n, float beta1, float beta2, float c1, float c2,
             float lr, float epsilon, float decay, int has_wd, float wd, gw_average average);

/// SGD with heavy-ball momentum: g′ as in Adam; m ← μm + g′; p ← decay·p − lr·m; then the average of the new p.
void gw_sgd(float *p, const float *g, float *m, ptrdiff_t n, float momentum, float lr, float decay, int has_wd,
            float wd, gw_average average);

/// Σ gᵢ² in Float64: lane j (of 8) sums the elements i ≡ j (mod 8) in order, the lanes are added in order
/// 0…7, then the tail — one fixed order on every vector unit.
double gw_squared_norm(const float *g, ptrdiff_t n);

/// gᵢ ← factor·gᵢ (gradient clipping).
void gw_scale(float *g, ptrdiff_t n, float factor);

/// e ← decay·e + (1 − decay)·p.
void gw_ema(float *e, const float *p, ptrdiff_t n, float decay);

/// The nearest-neighbour search's candidate scan of one distance row: inserts every sum c[j] + norms[j] (c[j] when
/// norms is NULL) below the list's last value into the ascending list dist/index (`slots` entries, index offset + j); equal sums keep the
/// earlier index first. Sixteen entries are compared with the list's last value at once, and only a group holding
/// a smaller one is visited entry by entry. When the list starts empty (+∞ last), a first pass takes the lane-wise
/// minimum of the sums over the full groups: sixteen distinct entries, so at least `slots` (≤ 16) of them are at
/// most the `slots`-th smallest minimum, and no larger entry can end in the list — it is never inserted. Every
/// version gives the list of the plain one-by-one insertion.
void gw_scan_row(const float *c, const float *norms, ptrdiff_t count, ptrdiff_t offset, float *dist, ptrdiff_t *index,
                 ptrdiff_t slots);
/// `gw_scan_row` in a given version (0 portable C, 1 AVX2, 2 AVX-512; at most `gw_scan_row_best_version()`), for
/// tests of each.
void gw_scan_row_version(int version, const float *c, const float *norms, ptrdiff_t count, ptrdiff_t offset,
                         float *dist, ptrdiff_t *index, ptrdiff_t slots);
/// The widest version of `gw_scan_row` this CPU runs.
int gw_scan_row_best_version(void);

#endif
