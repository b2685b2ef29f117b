/* strnum: checked integers, locale-proof decimals, metres and durations. */
#include "common.h"

#include <limits.h>
#include <locale.h>
#include <sys/stat.h>

#include "strnum.h"
#include "tap.h"

static void integers(void)
{
	const char *why;

	is_int(strnum_ll("42", 0, 100, &why), 42, "42");
	ok(why == NULL, "no reason on success");
	is_int(strnum_ll("-7", -10, 10, &why), -7, "a sign");
	strnum_ll("101", 0, 100, &why);
	is_str(why, "too large", "above the range");
	strnum_ll("-1", 0, 100, &why);
	is_str(why, "too small", "below the range");
	strnum_ll("99999999999999999999", 0, LLONG_MAX, &why);
	is_str(why, "too large", "beyond long long");
	strnum_ll("-99999999999999999999", LLONG_MIN, 0, &why);
	is_str(why, "too small", "below long long");
	for (size_t i = 0; i < 6; i++) {
		static const char *const bad[] = { "", " 1", "1 ", "1x", "0x10", "x" };
		strnum_ll(bad[i], 0, 100, &why);
		is_str(why, "invalid", "'%s' is invalid", bad[i]);
	}
	ok(strnum_ll("5", 0, 9, NULL) == 5, "why may be NULL");
}

static void decimals(const char *where)
{
	static const struct { const char *s; double want; } good[] = {
		{ "112.908123", 112.908123 }, { "-0.5", -0.5 }, { " 33.7 ", 33.7 },
		{ "1e3", 1000 }, { "+2", 2 },
	};
	static const char *const bad[] = { "", "1,5", "0x1p3", "inf", "nan",
					   "1.5.2", "1e999", "12abc" };
	double d;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		ok(strnum_double(good[i].s, strlen(good[i].s), &d) == 0 && d == good[i].want,
		   "%s: '%s'", where, good[i].s);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(strnum_double(bad[i], strlen(bad[i]), &d) < 0, "%s: '%s' is refused",
		   where, bad[i]);
	ok(strnum_double("12.5xyz", 4, &d) == 0 && d == 12.5, "%s: only n bytes are read", where);
}

static void units(const char *where)
{
	double m;
	long long s;

	ok(strnum_metres("50", &m) == 0 && m == 50, "%s: 50 metres", where);
	ok(strnum_metres("50m", &m) == 0 && m == 50, "%s: 50m", where);
	ok(strnum_metres("1.5km", &m) == 0 && m == 1500, "%s: 1.5km", where);
	ok(strnum_metres("-5", &m) < 0 && strnum_metres("5 m", &m) < 0 &&
	   strnum_metres("5mi", &m) < 0, "%s: bad lengths", where);
	ok(strnum_seconds("24h", &s) == 0 && s == 86400, "%s: 24h", where);
	ok(strnum_seconds("90m", &s) == 0 && s == 5400, "%s: 90m", where);
	ok(strnum_seconds("2d", &s) == 0 && s == 172800, "%s: 2d", where);
	ok(strnum_seconds("1.5h", &s) == 0 && s == 5400, "%s: 1.5h", where);
	ok(strnum_seconds("3600", &s) == 0 && s == 3600, "%s: bare seconds", where);
	ok(strnum_seconds("1w", &s) < 0 && strnum_seconds("1e13", &s) < 0,
	   "%s: bad durations", where);
}

/* A decimal-comma locale: installed, or made with localedef into build/. */
static int comma_locale(void)
{
	struct stat sb;

	if (setlocale(LC_ALL, "de_DE.UTF-8"))
		return 1;
	setenv("LOCPATH", "build/locale", 1);
	if (stat("build/locale/de_DE.UTF-8", &sb) != 0 &&
	    system("mkdir -p build/locale && localedef -i de_DE -f UTF-8 "
		   "build/locale/de_DE.UTF-8 >/dev/null 2>&1") != 0)
		return 0;
	return setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
}

int main(void)
{
	integers();
	decimals("C");
	units("C");
	if (comma_locale()) {
		char buf[16];
		snprintf(buf, sizeof buf, "%.1f", 1.5);
		ok(strcmp(buf, "1,5") == 0, "de_DE.UTF-8 writes 1,5 (%s)", buf);
		decimals("de_DE");
		units("de_DE");
		setlocale(LC_ALL, "C");
	} else {
		ok(1, "# skip no de_DE.UTF-8 locale, and localedef cannot make one");
	}
	ok(strnum_c_locale() != (locale_t)0, "the C locale is there");
	return tap_done();
}
