/*
 * num.h - numbers in and out of gps-audit, fast and locale-proof.
 *
 *   num_parse(s, n, &d)    0, or -1 when s is not a finite decimal number;
 *                          plain decimals of up to 19 digits are converted
 *                          exactly (Clinger's fast path, the same double as
 *                          strtod), anything else goes to strnum_double()
 *   num_fmt(buf, v, k)     v with k decimals into buf (NUM_LEN bytes),
 *                          "" for NaN; the decimal point is always '.'
 *   num_fmt_g(buf, v)      v with up to 3 decimals, trailing zeros dropped
 */
#ifndef CITYOPS_GPS_NUM_H
#define CITYOPS_GPS_NUM_H

#include <stddef.h>

#define NUM_LEN 32

int num_parse(const char *s, size_t n, double *out);
const char *num_fmt(char buf[NUM_LEN], double v, int decimals);
const char *num_fmt_g(char buf[NUM_LEN], double v);

#endif
