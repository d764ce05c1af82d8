#ifndef GENWINDOW_CPU_FEATURES_H
#define GENWINDOW_CPU_FEATURES_H
#include <stdbool.h>

/// SIMD features of the running x86-64 CPU that OpenBLAS's kernel choice depends on,
/// each true only when the CPU has it *and* the OS saves the register state (XGETBV).
typedef struct {
    bool avx;
    bool avx2;
    bool fma;
    bool avx512f;
    bool avx512bw;
    bool avx512vl;
    bool avx512dq;
} gw_cpu_features;

gw_cpu_features gw_read_cpu_features(void);
#endif
