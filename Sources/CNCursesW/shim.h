#ifndef GENWINDOW_CNCURSESW_SHIM_H
#define GENWINDOW_CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the wide-character API must be enabled here. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <pthread.h>

/* Macros that Swift cannot import, as inline functions and constants. */
static inline int gw_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int gw_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline attr_t gw_attr_normal(void) { return A_NORMAL; }
static inline attr_t gw_attr_bold(void) { return A_BOLD; }
static inline attr_t gw_attr_dim(void) { return A_DIM; }
static inline attr_t gw_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t gw_attr_reverse(void) { return A_REVERSE; }
static inline attr_t gw_attr_italic(void) { return A_ITALIC; }
static inline int gw_key_f(int n) { return KEY_F(n); }
static inline int gw_color_pair(int n) { return COLOR_PAIR(n); }

/* Names the calling thread (glibc declares pthread_setname_np only under _GNU_SOURCE, which SwiftPM drops). */
extern int pthread_setname_np(pthread_t thread, const char *name);
static inline void gw_name_this_thread(const char *name) { (void)pthread_setname_np(pthread_self(), name); }
#endif
