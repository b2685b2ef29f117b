/*
 * timeparse.c - dates and times in, store-zone text out.
 *
 * The automatic forms are scanned by hand (no regex, no sscanf): the importer
 * calls timeparse_parse() several times per row.  strptime() is used only for an
 * explicit opts->date_format.  Seconds are computed with days_from_civil, so
 * the process TZ never matters: mktime/localtime/timegm are not used.
 *
 * Choices not spelt out in timeparse.h:
 *   - Excel serial 60 (Excel's fictitious 1900-02-29) is rejected as
 *     "invalid date"; 1-59 are 1900-01-01..1900-02-28, >= 61 count from
 *     1899-12-30.  A serial below 1 is "date out of range".
 *   - An epoch number may carry a fraction; it is truncated like fractional
 *     seconds are.  A leap second (:60) rolls into the next minute.
 *   - Besides the year as written (1900-2199), the result itself, as civil
 *     time in the store zone, must lie in 1900-01-01..2199-12-31, so that
 *     whatever timeparse_parse() accepts, timeparse_format() writes a text timeparse_parse()
 *     accepts again with the same seconds.
 *   - "14时" / "14点" without minutes is accepted; "：" (U+FF1A) works as a
 *     colon, U+3000 as a space.  The zone names Z, UTC and GMT are matched
 *     case-insensitively.
 *   - With a date_format, %z and %s are honoured through tm_gmtoff (glibc
 *     sets it for both), so %s stays TZ-independent too.
 *   - opts == NULL means the automatic forms with a UTC store zone.
 *   - timeparse_format() saturates to 0000-01-01 00:00:00 .. 9999-12-31 23:59:59.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* strptime */
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* struct tm's tm_gmtoff */
#endif
#include "common.h"

#include <locale.h>
#include <time.h>

#include "strnum.h"
#include "timeparse.h"

#define WHY_EMPTY "empty"
#define WHY_UNRECOGNISED "unrecognised date or time"
#define WHY_DATE "invalid date"
#define WHY_TIME "invalid time"
#define WHY_RANGE "date out of range"
#define WHY_FORMAT "does not match --date-format"

#define SECS_PER_DAY INT64_C(86400)
#define MIN_YEAR 1900
#define MAX_YEAR 2199
#define DAYS_1900 INT64_C(-25567) /* 1900-01-01 */
#define DAYS_2200 INT64_C(84006)  /* 2200-01-01 */
#define MAX_ZONE_MIN (18 * 60)
#define FMT_INPUT_MAX 127

/* UTF-8 of the CJK marks we read. */
#define U_NIAN "\xe5\xb9\xb4"   /* 年 */
#define U_YUE "\xe6\x9c\x88"    /* 月 */
#define U_RI "\xe6\x97\xa5"     /* 日 */
#define U_SHI "\xe6\x97\xb6"    /* 时 */
#define U_DIAN "\xe7\x82\xb9"   /* 点 */
#define U_FEN "\xe5\x88\x86"    /* 分 */
#define U_MIAO "\xe7\xa7\x92"   /* 秒 */
#define U_COLON "\xef\xbc\x9a"  /* ： fullwidth colon */
#define U_SPACE "\xe3\x80\x80"  /* ideographic space */

struct cur {
	const unsigned char *p;
	const unsigned char *e;
};

struct fields {
	int y, mo, d;
	int h, mi, sec;
	bool frac_nonzero;
	bool has_zone;
	int zone;
};

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -1;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* Does the cursor start with the 3-byte sequence lit?  Consume it if so. */
static bool cur_lit3(struct cur *c, const char *lit)
{
	if (c->e - c->p < 3 || memcmp(c->p, lit, 3) != 0)
		return false;
	c->p += 3;
	return true;
}

/* Skip blanks inside the text (space, tab, U+3000); return bytes skipped. */
static size_t cur_blanks(struct cur *c)
{
	const unsigned char *start = c->p;

	for (;;) {
		if (c->p < c->e && (*c->p == ' ' || *c->p == '\t'))
			c->p++;
		else if (!cur_lit3(c, U_SPACE))
			break;
	}
	return (size_t)(c->p - start);
}

static void trim(const unsigned char **pp, const unsigned char **ep)
{
	const unsigned char *p = *pp, *e = *ep;

	for (;;) {
		if (p < e && is_space(*p))
			p++;
		else if (e - p >= 3 && memcmp(p, U_SPACE, 3) == 0)
			p += 3;
		else
			break;
	}
	for (;;) {
		if (e > p && is_space(e[-1]))
			e--;
		else if (e - p >= 3 && memcmp(e - 3, U_SPACE, 3) == 0)
			e -= 3;
		else
			break;
	}
	*pp = p;
	*ep = e;
}

/* Read min..max digits into *val; -1 if fewer than min. */
static int cur_digits(struct cur *c, int min, int max, int *val)
{
	int k = 0, v = 0;

	while (k < max && c->p < c->e && is_digit(*c->p)) {
		v = v * 10 + (*c->p - '0');
		c->p++;
		k++;
	}
	if (k < min)
		return -1;
	*val = v;
	return 0;
}

/* An optional ".fff" or ",fff" (at least one digit), truncated. */
static int cur_fraction(struct cur *c, bool *nonzero)
{
	if (c->p >= c->e || (*c->p != '.' && *c->p != ','))
		return 0;
	c->p++;
	if (c->p >= c->e || !is_digit(*c->p))
		return -1;
	while (c->p < c->e && is_digit(*c->p)) {
		if (*c->p != '0')
			*nonzero = true;
		c->p++;
	}
	return 0;
}

static bool cur_colon(struct cur *c)
{
	if (c->p < c->e && *c->p == ':') {
		c->p++;
		return true;
	}
	return cur_lit3(c, U_COLON);
}

static bool ci_eq3(const unsigned char *p, const char *w)
{
	int i;

	for (i = 0; i < 3; i++) {
		unsigned char ch = p[i];
		if (ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 'a' + 'A');
		if (ch != (unsigned char)w[i])
			return false;
	}
	return true;
}

/* Z, UTC, GMT, +hh:mm, +hhmm, +hh (exactly n bytes) -> minutes east. */
static int zone_parse(const unsigned char *p, size_t n, int *minutes)
{
	int hh, mm = 0, sign;

	if (n == 1 && (p[0] == 'Z' || p[0] == 'z')) {
		*minutes = 0;
		return 0;
	}
	if (n == 3 && (ci_eq3(p, "UTC") || ci_eq3(p, "GMT"))) {
		*minutes = 0;
		return 0;
	}
	if (n < 3 || (p[0] != '+' && p[0] != '-'))
		return -1;
	sign = p[0] == '-' ? -1 : 1;
	if (!is_digit(p[1]) || !is_digit(p[2]))
		return -1;
	hh = (p[1] - '0') * 10 + (p[2] - '0');
	if (n == 3) {
		mm = 0;
	} else if (n == 5 && is_digit(p[3]) && is_digit(p[4])) {
		mm = (p[3] - '0') * 10 + (p[4] - '0');
	} else if (n == 6 && p[3] == ':' && is_digit(p[4]) && is_digit(p[5])) {
		mm = (p[4] - '0') * 10 + (p[5] - '0');
	} else {
		return -1;
	}
	if (mm > 59 || hh * 60 + mm > MAX_ZONE_MIN)
		return -1;
	*minutes = sign * (hh * 60 + mm);
	return 0;
}

int timeparse_zone(const char *s, int *minutes)
{
	const unsigned char *p, *e;
	int m;

	if (!s)
		return -1;
	p = (const unsigned char *)s;
	e = p + strlen(s);
	trim(&p, &e);
	if (zone_parse(p, (size_t)(e - p), &m) < 0)
		return -1;
	if (minutes)
		*minutes = m;
	return 0;
}

int64_t timeparse_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void timeparse_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;
	unsigned mm;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	if (y)
		*y = yoe + era * 400 + (mm <= 2);
	if (m)
		*m = mm;
	if (d)
		*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int timeparse_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30,
					       31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

/* t (Unix seconds) is final: its civil time in the store zone must be in
 * 1900-01-01 .. 2199-12-31. */
static int finish(int64_t t, int zone_min, int64_t *out, const char **why)
{
	int64_t civil = t + (int64_t)zone_min * 60;

	if (civil < DAYS_1900 * SECS_PER_DAY || civil >= DAYS_2200 * SECS_PER_DAY)
		return fail(why, WHY_RANGE);
	if (out)
		*out = t;
	return 0;
}

/* The time after a date: "14:03[:05[.fff]]" or "14时03分[05[.fff]秒]". */
static int scan_time(struct cur *c, struct fields *f)
{
	if (cur_digits(c, 1, 2, &f->h) < 0)
		return -1;
	if (cur_colon(c)) {
		if (cur_digits(c, 2, 2, &f->mi) < 0)
			return -1;
		if (cur_colon(c)) {
			if (cur_digits(c, 2, 2, &f->sec) < 0)
				return -1;
			if (cur_fraction(c, &f->frac_nonzero) < 0)
				return -1;
		}
		return 0;
	}
	if (!cur_lit3(c, U_SHI) && !cur_lit3(c, U_DIAN))
		return -1;
	if (c->p >= c->e || !is_digit(*c->p))
		return 0; /* "14时" */
	if (cur_digits(c, 1, 2, &f->mi) < 0 || !cur_lit3(c, U_FEN))
		return -1;
	if (c->p >= c->e || !is_digit(*c->p))
		return 0;
	if (cur_digits(c, 1, 2, &f->sec) < 0)
		return -1;
	if (cur_fraction(c, &f->frac_nonzero) < 0)
		return -1;
	return cur_lit3(c, U_MIAO) ? 0 : -1;
}

/* Syntax only: YYYY-M-D [time [zone]] with - / . or 年月日. */
static int scan_text(struct cur *c, struct fields *f)
{
	unsigned char sep = 0;

	if (cur_digits(c, 4, 4, &f->y) < 0)
		return -1;
	if (c->p < c->e && (*c->p == '-' || *c->p == '/' || *c->p == '.'))
		sep = *c->p++;
	else if (!cur_lit3(c, U_NIAN))
		return -1;
	if (cur_digits(c, 1, 2, &f->mo) < 0)
		return -1;
	if (sep) {
		if (c->p >= c->e || *c->p != sep)
			return -1;
		c->p++;
	} else if (!cur_lit3(c, U_YUE)) {
		return -1;
	}
	if (cur_digits(c, 1, 2, &f->d) < 0)
		return -1;
	if (!sep && !cur_lit3(c, U_RI))
		return -1;
	if (c->p == c->e)
		return 0; /* a date alone: midnight */

	if (sep && (*c->p == 'T' || *c->p == 't'))
		c->p++;
	else if (cur_blanks(c) == 0 && sep)
		return -1;
	if (scan_time(c, f) < 0)
		return -1;
	if (c->p == c->e)
		return 0;

	if (*c->p != 'Z' && *c->p != 'z' && *c->p != '+' && *c->p != '-' &&
	    cur_blanks(c) == 0)
		return -1;
	if (zone_parse(c->p, (size_t)(c->e - c->p), &f->zone) < 0)
		return -1;
	f->has_zone = true;
	c->p = c->e;
	return 0;
}

static int parse_text(const unsigned char *p, const unsigned char *e,
		      int zone_min, int64_t *out, const char **why)
{
	struct cur c = { p, e };
	struct fields f;
	int64_t civil;

	memset(&f, 0, sizeof(f));
	if (scan_text(&c, &f) < 0)
		return fail(why, WHY_UNRECOGNISED);
	if (f.mo < 1 || f.mo > 12 || f.d < 1 ||
	    f.d > timeparse_days_in_month(f.y, (unsigned)f.mo))
		return fail(why, WHY_DATE);
	if (f.mi > 59 || f.sec > 60 || f.h > 24 ||
	    (f.h == 24 && (f.mi || f.sec || f.frac_nonzero)))
		return fail(why, WHY_TIME);
	if (f.y < MIN_YEAR || f.y > MAX_YEAR)
		return fail(why, WHY_RANGE);
	civil = timeparse_days_from_civil(f.y, (unsigned)f.mo, (unsigned)f.d) *
			SECS_PER_DAY +
		f.h * 3600 + f.mi * 60 + f.sec;
	return finish(civil - (int64_t)(f.has_zone ? f.zone : zone_min) * 60,
		      zone_min, out, why);
}

/*
 * round(0.ddd... * 86400) exactly: multiply the decimal digits by 86400 from
 * the right with a carry; the carry out is the integer part, the first digit
 * of the product's fraction decides the rounding (half up).
 */
static int64_t excel_day_seconds(const unsigned char *p, const unsigned char *e)
{
	int64_t carry = 0, first = 0;

	while (e > p) {
		int64_t v = (int64_t)(*--e - '0') * SECS_PER_DAY + carry;
		first = v % 10;
		carry = v / 10;
	}
	return carry + (first >= 5);
}

/* All digits with an optional ".digits": epoch, Excel serial or YYYYMMDD. */
static int parse_number(const unsigned char *p, const unsigned char *e,
			int zone_min, int64_t *out, const char **why)
{
	const unsigned char *q = p, *frac = NULL;
	int64_t v = 0, days, secs;
	size_t k;

	while (q < e && is_digit(*q) && q - p < 14)
		v = v * 10 + (*q++ - '0');
	while (q < e && is_digit(*q))
		q++;
	k = (size_t)(q - p);
	if (q < e) /* the caller checked: '.' and at least one digit */
		frac = q + 1;

	if (k >= 9 && k <= 13) {
		if (k >= 12)
			v /= 1000;
		return finish(v, zone_min, out, why);
	}
	if (k == 8 && !frac) {
		int y = (int)(v / 10000), mo = (int)(v / 100 % 100),
		    d = (int)(v % 100);
		if (mo < 1 || mo > 12 || d < 1 ||
		    d > timeparse_days_in_month(y, (unsigned)mo))
			return fail(why, WHY_DATE);
		if (y < MIN_YEAR || y > MAX_YEAR)
			return fail(why, WHY_RANGE);
		days = timeparse_days_from_civil(y, (unsigned)mo, (unsigned)d);
		return finish(days * SECS_PER_DAY - (int64_t)zone_min * 60,
			      zone_min, out, why);
	}
	if (k > 6)
		return fail(why, WHY_UNRECOGNISED);

	/* Excel serial days, 1900 system. */
	if (v < 1)
		return fail(why, WHY_RANGE);
	if (v == 60)
		return fail(why, WHY_DATE); /* Excel's 1900-02-29 */
	days = DAYS_1900 - 2 + v + (v < 60); /* 1899-12-30 + v */
	secs = frac ? excel_day_seconds(frac, e) : 0;
	return finish(days * SECS_PER_DAY + secs - (int64_t)zone_min * 60,
		      zone_min, out, why);
}

/* Conversions of a strptime format that we must know about. */
static void format_scan(const char *fmt, bool *has_z, bool *has_s)
{
	*has_z = *has_s = false;
	while (*fmt) {
		if (*fmt++ != '%')
			continue;
		while (*fmt && strchr("EO#-_0^+", *fmt))
			fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			fmt++;
		if (*fmt == 'z')
			*has_z = true;
		else if (*fmt == 's')
			*has_s = true;
		if (*fmt)
			fmt++;
	}
}

/* strptime() in the C locale, whatever LC_TIME says: %p is AM/PM and %b
 * an English month, as the exports write them.  uselocale() is per
 * thread, so the reader thread of case-import may call this. */
static char *strptime_c(const char *s, const char *fmt, struct tm *tm)
{
	locale_t c = strnum_c_locale(), old = (locale_t)0;
	char *rest;

	if (c)
		old = uselocale(c);
	rest = strptime(s, fmt, tm);
	if (c)
		uselocale(old);
	return rest;
}

static int parse_format(const unsigned char *p, size_t n, const char *fmt,
			int zone_min, int64_t *out, const char **why)
{
	char buf[FMT_INPUT_MAX + 1];
	struct tm tm;
	const char *rest;
	bool has_z, has_s;
	int64_t y, civil, off;

	if (n > FMT_INPUT_MAX || memchr(p, '\0', n))
		return fail(why, WHY_FORMAT);
	memcpy(buf, p, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	rest = strptime_c(buf, fmt, &tm);
	if (!rest)
		return fail(why, WHY_FORMAT);
	while (is_space((unsigned char)*rest))
		rest++;
	if (*rest)
		return fail(why, WHY_FORMAT);

	y = (int64_t)tm.tm_year + 1900;
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > timeparse_days_in_month(y, (unsigned)tm.tm_mon + 1))
		return fail(why, WHY_DATE);
	if (tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 ||
	    tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
		return fail(why, WHY_TIME);
	if (y < MIN_YEAR || y > MAX_YEAR)
		return fail(why, WHY_RANGE);
	civil = timeparse_days_from_civil(y, (unsigned)tm.tm_mon + 1,
				   (unsigned)tm.tm_mday) *
			SECS_PER_DAY +
		tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	format_scan(fmt, &has_z, &has_s);
	if (has_z || has_s) {
		if (tm.tm_gmtoff < -MAX_ZONE_MIN * 60 ||
		    tm.tm_gmtoff > MAX_ZONE_MIN * 60)
			return fail(why, WHY_TIME);
		off = tm.tm_gmtoff;
	} else {
		off = (int64_t)zone_min * 60;
	}
	return finish(civil - off, zone_min, out, why);
}

int timeparse_parse(const char *s, size_t n, const struct timeparse_opts *o, int64_t *out,
	     const char **why)
{
	const unsigned char *p, *e, *q;
	int zone_min = o ? o->zone_min : 0;

	if (!s)
		return fail(why, WHY_EMPTY);
	p = (const unsigned char *)s;
	e = p + n;
	trim(&p, &e);
	if (p == e)
		return fail(why, WHY_EMPTY);
	if (o && o->date_format)
		return parse_format(p, (size_t)(e - p), o->date_format, zone_min,
				    out, why);
	if (!is_digit(*p))
		return fail(why, WHY_UNRECOGNISED);

	/* Digits, optionally ".digits" to the end: a number. */
	for (q = p; q < e && is_digit(*q); q++)
		;
	if (q == e)
		return parse_number(p, e, zone_min, out, why);
	if (*q == '.' && q + 1 < e) {
		const unsigned char *r = q + 1;
		while (r < e && is_digit(*r))
			r++;
		if (r == e)
			return parse_number(p, e, zone_min, out, why);
	}
	if (q - p != 4)
		return fail(why, WHY_UNRECOGNISED);
	return parse_text(p, e, zone_min, out, why);
}

static void put_digits(char *o, int64_t v, int width)
{
	while (width-- > 0) {
		o[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

void timeparse_format(int64_t t, int zone_min, char out[TIMEPARSE_TEXT_LEN])
{
	/* 0000-01-01 and 10000-01-01 in days since 1970-01-01 */
	const int64_t lo = INT64_C(-719528) * SECS_PER_DAY;
	const int64_t hi = INT64_C(2932897) * SECS_PER_DAY - 1;
	int64_t civil, days, secs, y;
	unsigned m, d;

	if (t < lo - (INT64_C(1) << 40))
		t = lo - (INT64_C(1) << 40);
	if (t > hi + (INT64_C(1) << 40))
		t = hi + (INT64_C(1) << 40);
	civil = t + (int64_t)zone_min * 60;
	if (civil < lo)
		civil = lo;
	if (civil > hi)
		civil = hi;
	days = civil / SECS_PER_DAY;
	secs = civil % SECS_PER_DAY;
	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	timeparse_civil_from_days(days, &y, &m, &d);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = ' ';
	put_digits(out + 11, secs / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, secs / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, secs % 60, 2);
	out[19] = '\0';
}

/*
 * The forms timeparse_detect() tries, in order of preference where two read every
 * value alike.  Day first and month first come in pairs, so that a file
 * whose days are all 12 or less is found ambiguous; 12-hour times with %p
 * are month first only (the US writes them, day-first countries do not).
 */
static const char *const detect_forms[] = {
	"%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
	"%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S",
	"%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M",
	"%m/%d/%Y", "%d/%m/%Y",
	"%m/%d/%y %I:%M:%S %p", "%m/%d/%y %I:%M %p",
	"%m/%d/%y %H:%M", "%d/%m/%y %H:%M", "%m/%d/%y", "%d/%m/%y",
	"%m-%d-%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S",
	"%m-%d-%Y %H:%M", "%d-%m-%Y %H:%M", "%m-%d-%Y", "%d-%m-%Y",
	"%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
	"%Y-%m-%d %I:%M:%S %p", "%Y/%m/%d %I:%M:%S %p",
	"%Y%m%d%H%M%S", "%Y%m%d %H%M%S", "%Y%m%d %H:%M:%S",
	"%d-%b-%Y %H:%M:%S", "%d-%b-%Y", "%d %b %Y %H:%M:%S", "%d %b %Y",
	"%b %d %Y %I:%M%p", "%b %d, %Y %I:%M:%S %p", "%b %d, %Y",
};

/* Does fmt read every value?  Their times, into t when not NULL. */
static int form_fits(const char *fmt, const char *const *vals,
		     const size_t *lens, size_t n, int64_t *t)
{
	struct timeparse_opts o = { fmt, 0 };

	for (size_t i = 0; i < n; i++)
		if (timeparse_parse(vals[i], lens[i], &o, t ? &t[i] : NULL, NULL) < 0)
			return 0;
	return 1;
}

int timeparse_read(const char *s, size_t n, const struct timeparse_opts *o,
		   const char *detected, int64_t *out, const char **why)
{
	struct timeparse_opts f = *o;
	const char *why2;

	if (!f.date_format)
		f.date_format = detected;
	if (timeparse_parse(s, n, &f, out, why) == 0)
		return 0;
	if (!f.date_format)
		return -1;
	f.date_format = NULL;
	if (timeparse_parse(s, n, &f, out, &why2) == 0)
		return 0;
	if (!o->date_format && why)
		*why = why2; /* not the user's --date-format */
	return -1;
}

int timeparse_detect(const char *const *vals, const size_t *lens, size_t n,
	      struct timeparse_detected *d)
{
	int64_t *t = xmalloc((n ? n : 1) * sizeof *t);
	int64_t *u = xmalloc((n ? n : 1) * sizeof *u);
	int rc = -1;

	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < ARRAY_SIZE(detect_forms) && rc != -2; i++) {
		const char *f = detect_forms[i];
		if (!form_fits(f, vals, lens, n, rc < 0 ? t : u))
			continue;
		if (rc < 0) {
			d->form = f;
			rc = 0;
			continue;
		}
		for (size_t k = 0; k < n; k++)
			if (t[k] != u[k]) {
				/* two readings of one value: say which */
				d->other = f;
				d->example = k;
				d->t1 = t[k];
				d->t2 = u[k];
				rc = -2;
				break;
			}
	}
	free(t);
	free(u);
	return rc;
}

int timeparse_canonical(const char *s, size_t n, int zone_min, int64_t *t)
{
	int v[6];
	static const int at[6] = { 0, 5, 8, 11, 14, 17 };
	static const int w[6] = { 4, 2, 2, 2, 2, 2 };

	if (n != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	for (int i = 0; i < 6; i++) {
		v[i] = 0;
		for (int k = 0; k < w[i]; k++) {
			unsigned d = (unsigned char)s[at[i] + k] - '0';
			if (d > 9)
				return -1;
			v[i] = v[i] * 10 + (int)d;
		}
	}
	if (v[0] < 1900 || v[0] > 2199 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > timeparse_days_in_month(v[0], (unsigned)v[1]) || v[3] > 23 || v[4] > 59 ||
	    v[5] > 59)
		return -1;
	*t = timeparse_days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]) * 86400 +
	     v[3] * 3600 + v[4] * 60 + v[5] - (int64_t)zone_min * 60;
	return 0;
}
