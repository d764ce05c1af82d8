#ifndef GENWINDOW_CPNG_SHIM_H
#define GENWINDOW_CPNG_SHIM_H
#include <png.h>
#endif
