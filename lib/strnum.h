/*
 * strnum.h - checked number parsing (OpenBSD strtonum: range and a reason).
 *
 *   long long v = strnum_ll("42", 0, 100, &why);   why NULL on success, else
 *                                                  "invalid", "too small",
 *                                                  "too large"
 *   double d;  strnum_double(s, n, &d)             0 ok, -1 not a finite number
 *
 * Leading and trailing spaces are not allowed by strnum_ll (the caller trims).
 * Numbers are read with '.' as the decimal point whatever the locale
 * (LC_NUMERIC=de_DE does not make "39.34" invalid); strnum_c_locale() is
 * that C locale, for other code that must not depend on the user's.
 */
#ifndef CITYOPS_STRNUM_H
#define CITYOPS_STRNUM_H

long long strnum_ll(const char *s, long long min, long long max,
		    const char **why);
int strnum_double(const char *s, size_t n, double *out);
/* Parse "500", "50m", "1.5km" as metres; "24h", "90m", "2d", "3600s", "3600"
 * (seconds) as seconds.  0 ok, -1 bad. */
int strnum_metres(const char *s, double *out);
int strnum_seconds(const char *s, long long *out);

#include <locale.h>
locale_t strnum_c_locale(void);

#endif
