#include "common.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>

#include "strnum.h"

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

locale_t strnum_c_locale(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	return c_locale;
}

/* strtod() with '.' as the decimal point whatever LC_NUMERIC says (the
 * locale is per thread: uselocale). */
static double strtod_c(const char *s, char **end)
{
	locale_t c = strnum_c_locale(), old = (locale_t)0;
	double d;

	if (c)
		old = uselocale(c);
	d = strtod(s, end);
	if (c)
		uselocale(old);
	return d;
}

long long strnum_ll(const char *s, long long min, long long max,
		    const char **why)
{
	char *end;
	long long v;

	if (why)
		*why = "invalid";
	if (!s || !*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return 0;
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		if (why)
			*why = "too small";
		return 0;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		if (why)
			*why = "too large";
		return 0;
	}
	if (why)
		*why = NULL;
	return v;
}

static const double pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* A plain decimal of up to 19 digits, converted exactly (Clinger's fast
 * path: the mantissa and the power of ten are exact doubles, so their
 * quotient is correctly rounded, the same double as strtod); -1 for
 * anything else. */
static int plain_decimal(const char *s, size_t n, double *out)
{
	const char *p = s, *e = s + n;
	uint64_t m = 0;
	int neg = 0, digits = 0, frac = -1, any = 0;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < e; p++) {
		if (*p >= '0' && *p <= '9') {
			if (digits == 19)
				goto slow;
			m = m * 10 + (uint64_t)(*p - '0');
			any = 1;
			if (m)
				digits++;
			if (frac >= 0)
				frac++;
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			goto slow;
		}
	}
	if (!any)
		goto slow;
	if (frac < 0)
		frac = 0;
	if (m > (UINT64_C(1) << 53) || frac > 22)
		goto slow;
	*out = (double)m / pow10[frac];
	if (neg)
		*out = -*out;
	return 0;
slow:
	return -1;
}

int strnum_double(const char *s, size_t n, double *out)
{
	char tmp[64];
	char *end;
	double d;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (plain_decimal(s, n, out) == 0)
		return 0;  /* most numbers: no copy, no locale switch */
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* Only decimal notation: no hex floats, inf or nan from strtod. */
	for (size_t i = 0; i < n; i++) {
		char c = tmp[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '+' || c == 'e' || c == 'E'))
			return -1;
	}
	errno = 0;
	d = strtod_c(tmp, &end);
	if (end == tmp || *end != '\0' || errno == ERANGE || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static int split_unit(const char *s, double *v, const char **unit)
{
	char *end;
	if (!s || !*s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	errno = 0;
	*v = strtod_c(s, &end);
	if (end == s || errno == ERANGE || !isfinite(*v) || *v < 0)
		return -1;
	*unit = end;
	return 0;
}

int strnum_metres(const char *s, double *out)
{
	double v;
	const char *u;
	if (split_unit(s, &v, &u) < 0)
		return -1;
	if (*u == '\0' || strcmp(u, "m") == 0)
		*out = v;
	else if (strcmp(u, "km") == 0)
		*out = v * 1000;
	else
		return -1;
	return 0;
}

int strnum_seconds(const char *s, long long *out)
{
	double v, mult;
	const char *u;
	if (split_unit(s, &v, &u) < 0)
		return -1;
	if (*u == '\0' || strcmp(u, "s") == 0)
		mult = 1;
	else if (strcmp(u, "m") == 0 || strcmp(u, "min") == 0)
		mult = 60;
	else if (strcmp(u, "h") == 0)
		mult = 3600;
	else if (strcmp(u, "d") == 0)
		mult = 86400;
	else
		return -1;
	v *= mult;
	if (v > 1e12)
		return -1;
	*out = (long long)llround(v);
	return 0;
}
