#ifndef GENWINDOW_CBLAS_SHIM_H
#define GENWINDOW_CBLAS_SHIM_H
/* OpenBLAS's CBLAS interface, plus its runtime controls (openblas_get_corename, openblas_set_num_threads). */
#include <cblas.h>
#endif
