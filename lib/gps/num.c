#include "common.h"

#include <math.h>

#include "gps/num.h"
#include "strnum.h"

static const double pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

int num_parse(const char *s, size_t n, double *out)
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
	return strnum_double(s, n, out);
}

const char *num_fmt(char buf[NUM_LEN], double v, int k)
{
	long long scale = 1, q, ip, fp;
	int neg;

	if (isnan(v) || isinf(v) || fabs(v) > 1e15) {
		buf[0] = '\0';
		if (!isnan(v))
			snprintf(buf, NUM_LEN, "%s", v < 0 ? "-1e15" : "1e15");
		return buf;
	}
	if (k > 9)
		k = 9;
	for (int i = 0; i < k; i++)
		scale *= 10;
	q = llround(v * (double)scale);
	neg = q < 0;
	if (neg)
		q = -q;
	ip = q / scale;
	fp = q % scale;
	snprintf(buf, NUM_LEN, "%s%lld", neg ? "-" : "", ip);
	if (k > 0) {
		size_t l = strlen(buf);
		buf[l + (size_t)k + 1] = '\0';
		for (int i = k; i > 0; i--, fp /= 10)
			buf[l + (size_t)i] = (char)('0' + fp % 10);
		buf[l] = '.';
	}
	return buf;
}

const char *num_fmt_g(char buf[NUM_LEN], double v)
{
	size_t l;

	num_fmt(buf, v, 3);
	if (!strchr(buf, '.'))
		return buf;
	l = strlen(buf);
	while (l && buf[l - 1] == '0')
		buf[--l] = '\0';
	if (l && buf[l - 1] == '.')
		buf[--l] = '\0';
	return buf;
}
