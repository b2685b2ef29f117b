/*
 * tap.h - a tiny TAP producer for unit tests (git's t/unit-tests, no framework).
 *
 *   ok(cond, "name %d", i);        one test point
 *   is_str(got, want, "name");     string comparison with a diagnostic
 *   is_int(got, want, "name");
 *   return tap_done();             prints the plan; exit 1 if any failed
 */
#ifndef CITYOPS_TAP_H
#define CITYOPS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)
#define is_str(got, want, ...)                                                 \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		if (!ok(g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_,             \
			__VA_ARGS__))                                          \
			printf("#   got: '%s'\n#  want: '%s'\n",                   \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");        \
	} while (0)
#define is_int(got, want, ...)                                                 \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		if (!ok(g_ == w_, __VA_ARGS__))                                \
			printf("#   got: %lld\n#  want: %lld\n", g_, w_);       \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
