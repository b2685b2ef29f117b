/*
 * common.h - included first by every cityops source file.
 *
 * Version, attributes, the x* allocators (the only functions allowed to die,
 * and only on out-of-memory) and the list of banned functions, poisoned the
 * way git's banned.h does so that a use of them fails to compile.
 */
#ifndef CITYOPS_COMMON_H
#define CITYOPS_COMMON_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CITYOPS_VERSION "0.1.0"

#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NORETURN __attribute__((noreturn))
#define ATTR_UNUSED __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Two strings the same, or both none (NULL). */
static inline int str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Grow *arr (of *cap elements of size sz) so that it holds at least need. */
#define XGROW(arr, need, cap)                                                  \
	do {                                                                   \
		if ((size_t)(need) > (cap)) {                                  \
			size_t ncap_ = (cap) ? (cap) * 2 : 16;                 \
			while (ncap_ < (size_t)(need))                         \
				ncap_ *= 2;                                    \
			(arr) = xreallocarray((arr), ncap_, sizeof(*(arr)));   \
			(cap) = ncap_;                                         \
		}                                                              \
	} while (0)

/* Banned functions: unbounded copies and unchecked conversions. */
#define BANNED(func) sorry_##func##_is_a_banned_function
#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)

#endif
