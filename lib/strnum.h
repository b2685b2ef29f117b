/*
 * strnum.h - checked number parsing (OpenBSD strtonum: range and a reason).
 *
 *   long long v = strnum_ll("42", 0, 100, &why);   why NULL on success, else
 *                                                  "invalid", "too small",
 *                                                  "too large"
 *   double d;  strnum_double(s, n, &d)             0 ok, -1 not a finite number
 *
 * Leading and trailing spaces are not allowed by strnum_ll (the caller trims).
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

#endif
