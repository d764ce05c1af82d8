#ifndef GENWINDOW_CLAPACKE_SHIM_H
#define GENWINDOW_CLAPACKE_SHIM_H
/* LAPACK's C interface (symmetric eigensolvers ssyevd/dsyevd and friends). */
#include <lapacke.h>
#endif
