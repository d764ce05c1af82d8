#include "CCPUFeatures.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

gw_cpu_features gw_read_cpu_features(void) {
    gw_cpu_features f = {0};
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
    bool osxsave = (ecx >> 27) & 1;
    bool avx = (ecx >> 28) & 1;
    bool fma = (ecx >> 12) & 1;
    if (!osxsave) return f;
    unsigned long long xcr0 = read_xcr0();
    bool ymm_saved = (xcr0 & 0x6) == 0x6;
    bool zmm_saved = (xcr0 & 0xE6) == 0xE6;
    f.avx = avx && ymm_saved;
    f.fma = fma && f.avx;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        f.avx2 = ((ebx >> 5) & 1) && f.avx;
        f.avx512f = ((ebx >> 16) & 1) && zmm_saved;
        f.avx512dq = ((ebx >> 17) & 1) && f.avx512f;
        f.avx512bw = ((ebx >> 30) & 1) && f.avx512f;
        f.avx512vl = ((ebx >> 31) & 1) && f.avx512f;
    }
    return f;
}
#else
gw_cpu_features gw_read_cpu_features(void) {
    gw_cpu_features f = {0};
    return f;
}
#endif
