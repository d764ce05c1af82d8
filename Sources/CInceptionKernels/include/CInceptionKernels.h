#ifndef GENWINDOW_CINCEPTIONKERNELS_H
#define GENWINDOW_CINCEPTIONKERNELS_H

#include <stddef.h>

/// The element-wise loops of the Inception-v3 forward pass, in C so that they run fast in debug builds too. Every
/// tensor is one image in NHWC layout: pixel (y, x) of an h×w image starts at base[(y·w + x)·ld], its c channels
/// contiguous, ld ≥ c (a view of a channel slice of a wider tensor has ld > c). Plain IEEE adds, multiplies and
/// divides in a fixed order (built with -ffp-contract=off), so results do not depend on the vector unit.

/// Patch matrix of a kh×kw convolution with stride s and zero padding (ph, pw) for an h×w×c input: row
/// oy·ow + ox holds, for ky, kx, ch in that order, in[(oy·s + ky − ph, ox·s + kx − pw, ch)] (0 outside); rows are
/// kh·kw·c long and contiguous in `cols`. oh, ow are the output sizes.
void gw_inception_im2col(float *cols, const float *in, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c, ptrdiff_t ld,
                         ptrdiff_t kh, ptrdiff_t kw, ptrdiff_t s, ptrdiff_t ph, ptrdiff_t pw,
                         ptrdiff_t oh, ptrdiff_t ow);

/// y ← max(y + shift, 0) over `rows` pixels of `c` channels each (row stride ld): the folded batch norm's shift
/// and the ReLU after a convolution's GEMM.
void gw_inception_shift_relu(float *y, ptrdiff_t rows, ptrdiff_t c, ptrdiff_t ld, const float *shift);

/// 3×3 max pool with stride s and padding p (padding never wins: windows take the maximum over their in-image
/// taps) of an h×w×c input into an oh×ow×c output.
void gw_inception_max_pool3(float *out, ptrdiff_t ldo, const float *in, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                            ptrdiff_t ld, ptrdiff_t s, ptrdiff_t p, ptrdiff_t oh, ptrdiff_t ow);

/// 3×3 average pool, stride 1, padding 1, padding excluded from the count (PyTorch's count_include_pad=False):
/// the sum of a window's in-image taps (row by row, left to right) divided by their number. Output h×w×c.
void gw_inception_avg_pool3(float *out, ptrdiff_t ldo, const float *in, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                            ptrdiff_t ld);

/// out[ch] = (Σ over the h·w pixels in order of in[·, ch]) / (h·w): the global average pool.
void gw_inception_global_mean(float *out, const float *in, ptrdiff_t hw, ptrdiff_t c, ptrdiff_t ld);

/// Bilinear resize with half-pixel centres and no antialiasing (PyTorch's F.interpolate(mode="bilinear",
/// align_corners=False)) of one h×w image of c channels (NHWC, contiguous; c = 1 is repeated into 3) to
/// oh×ow×3, then y = v/128 − 1. Source coordinate of output x: (x + 0.5)·(w/ow) − 0.5, negative ones clamped to
/// 0; the right/bottom neighbour is clamped to the last pixel.
void gw_inception_resize(float *out, ptrdiff_t oh, ptrdiff_t ow, const float *in, ptrdiff_t h, ptrdiff_t w,
                         ptrdiff_t c);

#endif
