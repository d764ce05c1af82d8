#include "CInceptionKernels.h"
#include <string.h>

void gw_inception_im2col(float *cols, const float *in, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c, ptrdiff_t ld,
                         ptrdiff_t kh, ptrdiff_t kw, ptrdiff_t s, ptrdiff_t ph, ptrdiff_t pw,
                         ptrdiff_t oh, ptrdiff_t ow) {
    const ptrdiff_t k = kh * kw * c;
    for (ptrdiff_t oy = 0; oy < oh; oy++) {
        for (ptrdiff_t ox = 0; ox < ow; ox++) {
            float *row = cols + (oy * ow + ox) * k;
            for (ptrdiff_t ky = 0; ky < kh; ky++) {
                const ptrdiff_t iy = oy * s + ky - ph;
                for (ptrdiff_t kx = 0; kx < kw; kx++) {
                    const ptrdiff_t ix = ox * s + kx - pw;
                    float *dst = row + (ky * kw + kx) * c;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                        memset(dst, 0, (size_t)c * sizeof(float));
                    } else {
                        memcpy(dst, in + (iy * w + ix) * ld, (size_t)c * sizeof(float));
                    }
                }
            }
        }
    }
}

void gw_inception_shift_relu(float *y, ptrdiff_t rows, ptrdiff_t c, ptrdiff_t ld, const float *shift) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        float *p = y + r * ld;
        for (ptrdiff_t j = 0; j < c; j++) {
            const float v = p[j] + shift[j];
            p[j] = v > 0.0f ? v : 0.0f;
        }
    }
}

void gw_inception_max_pool3(float *out, ptrdiff_t ldo, const float *in, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                            ptrdiff_t ld, ptrdiff_t s, ptrdiff_t p, ptrdiff_t oh, ptrdiff_t ow) {
    for (ptrdiff_t oy = 0; oy < oh; oy++) {
        for (ptrdiff_t ox = 0; ox < ow; ox++) {
            float *o = out + (oy * ow + ox) * ldo;
            int first = 1;
            for (ptrdiff_t ky = 0; ky < 3; ky++) {
                const ptrdiff_t iy = oy * s + ky - p;
                if (iy < 0 || iy >= h) continue;
                for (ptrdiff_t kx = 0; kx < 3; kx++) {
                    const ptrdiff_t ix = ox * s + kx - p;
                    if (ix < 0 || ix >= w) continue;
                    const float *q = in + (iy * w + ix) * ld;
                    if (first) {
                        memcpy(o, q, (size_t)c * sizeof(float));
                        first = 0;
                    } else {
                        for (ptrdiff_t j = 0; j < c; j++) o[j] = q[j] > o[j] ? q[j] : o[j];
                    }
                }
            }
        }
    }
}

void gw_inception_avg_pool3(float *out, ptrdiff_t ldo, const float *in, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                            ptrdiff_t ld) {
    for (ptrdiff_t oy = 0; oy < h; oy++) {
        const ptrdiff_t y0 = oy > 0 ? oy - 1 : 0, y1 = oy + 1 < h ? oy + 1 : h - 1;
        for (ptrdiff_t ox = 0; ox < w; ox++) {
            const ptrdiff_t x0 = ox > 0 ? ox - 1 : 0, x1 = ox + 1 < w ? ox + 1 : w - 1;
            float *o = out + (oy * w + ox) * ldo;
            memset(o, 0, (size_t)c * sizeof(float));
            for (ptrdiff_t iy = y0; iy <= y1; iy++) {
                for (ptrdiff_t ix = x0; ix <= x1; ix++) {
                    const float *q = in + (iy * w + ix) * ld;
                    for (ptrdiff_t j = 0; j < c; j++) o[j] += q[j];
                }
            }
            const float count = (float)((y1 - y0 + 1) * (x1 - x0 + 1));
            for (ptrdiff_t j = 0; j < c; j++) o[j] /= count;
        }
    }
}

void gw_inception_global_mean(float *out, const float *in, ptrdiff_t hw, ptrdiff_t c, ptrdiff_t ld) {
    memset(out, 0, (size_t)c * sizeof(float));
    for (ptrdiff_t i = 0; i < hw; i++) {
        const float *q = in + i * ld;
        for (ptrdiff_t j = 0; j < c; j++) out[j] += q[j];
    }
    for (ptrdiff_t j = 0; j < c; j++) out[j] /= (float)hw;
}

/// Source index and weights along one axis, as PyTorch's area_pixel_compute_source_index (align_corners=False).
static void source_index(ptrdiff_t dst, ptrdiff_t in_size, ptrdiff_t out_size, ptrdiff_t *i0, ptrdiff_t *i1,
                         float *l0, float *l1) {
    const float scale = (float)in_size / (float)out_size;
    float src = scale * ((float)dst + 0.5f) - 0.5f;
    if (src < 0.0f) src = 0.0f;
    ptrdiff_t i = (ptrdiff_t)src;
    if (i > in_size - 1) i = in_size - 1;
    *i0 = i;
    *i1 = i < in_size - 1 ? i + 1 : i;
    *l1 = src - (float)i;
    *l0 = 1.0f - *l1;
}

void gw_inception_resize(float *out, ptrdiff_t oh, ptrdiff_t ow, const float *in, ptrdiff_t h, ptrdiff_t w,
                         ptrdiff_t c) {
    for (ptrdiff_t oy = 0; oy < oh; oy++) {
        ptrdiff_t y0, y1;
        float ly0, ly1;
        source_index(oy, h, oh, &y0, &y1, &ly0, &ly1);
        for (ptrdiff_t ox = 0; ox < ow; ox++) {
            ptrdiff_t x0, x1;
            float lx0, lx1;
            source_index(ox, w, ow, &x0, &x1, &lx0, &lx1);
            float *o = out + (oy * ow + ox) * 3;
            for (ptrdiff_t ch = 0; ch < 3; ch++) {
                const ptrdiff_t j = c == 1 ? 0 : ch;
                const float v = ly0 * (lx0 * in[(y0 * w + x0) * c + j] + lx1 * in[(y0 * w + x1) * c + j])
                              + ly1 * (lx0 * in[(y1 * w + x0) * c + j] + lx1 * in[(y1 * w + x1) * c + j]);
                o[ch] = v / 128.0f - 1.0f;
            }
        }
    }
}
