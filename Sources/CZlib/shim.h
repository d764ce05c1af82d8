#ifndef GENWINDOW_CZLIB_SHIM_H
#define GENWINDOW_CZLIB_SHIM_H
#include <zlib.h>
#endif
