/*
 * test_timeparse.c - unit tests for lib/timeparse.c (TAP).
 */
#include "common.h"

#include <time.h>

#include "tap.h"
#include "timeparse.h"

#define Z8 480 /* +08:00 */

/* Parse s from an exact-size heap copy (no NUL after it: ASan catches any
 * read of s[n]); 0 and the store text in got, or -1 and why. */
static int run(const char *s, const char *fmt, int zone, char got[TIMEPARSE_TEXT_LEN],
	       const char **why, int64_t *t)
{
	struct timeparse_opts o = { fmt, zone };
	size_t n = strlen(s);
	char *copy = xmalloc(n ? n : 1);
	int64_t v = 0;
	int rc;

	memcpy(copy, s, n);
	*why = NULL;
	rc = timeparse_parse(copy, n, &o, &v, why);
	free(copy);
	if (rc == 0)
		timeparse_format(v, zone, got);
	else
		got[0] = '\0';
	if (t)
		*t = v;
	return rc;
}

static void good_z(const char *s, int zone, const char *want)
{
	char got[TIMEPARSE_TEXT_LEN];
	const char *why;

	if (run(s, NULL, zone, got, &why, NULL) < 0) {
		ok(0, "'%s' (zone %d) -> %s", s, zone, want);
		printf("#   failed: %s\n", why ? why : "(null)");
		return;
	}
	if (!ok(strcmp(got, want) == 0, "'%s' (zone %d) -> %s", s, zone, want))
		printf("#   got: '%s'\n", got);
}

static void good(const char *s, const char *want)
{
	good_z(s, Z8, want);
}

static void good_fmt(const char *fmt, const char *s, const char *want)
{
	char got[TIMEPARSE_TEXT_LEN];
	const char *why;

	if (run(s, fmt, Z8, got, &why, NULL) < 0) {
		ok(0, "'%s' with '%s' -> %s", s, fmt, want);
		printf("#   failed: %s\n", why ? why : "(null)");
		return;
	}
	if (!ok(strcmp(got, want) == 0, "'%s' with '%s' -> %s", s, fmt, want))
		printf("#   got: '%s'\n", got);
}

static void bad_fmt_z(const char *fmt, const char *s, int zone, const char *want)
{
	char got[TIMEPARSE_TEXT_LEN];
	const char *why;
	int rc = run(s, fmt, zone, got, &why, NULL);

	if (rc == 0) {
		ok(0, "'%s'%s%s rejected: %s", s, fmt ? " with " : "",
		   fmt ? fmt : "", want);
		printf("#   accepted as '%s'\n", got);
		return;
	}
	is_str(why, want, "'%s'%s%s rejected: %s", s, fmt ? " with " : "",
	       fmt ? fmt : "", want);
}

static void bad(const char *s, const char *want)
{
	bad_fmt_z(NULL, s, Z8, want);
}

static void bad_fmt(const char *fmt, const char *s, const char *want)
{
	bad_fmt_z(fmt, s, Z8, want);
}

static void test_text_forms(void)
{
	good("2023-11-27 14:03", "2023-11-27 14:03:00");
	good("2023-11-27 14:03:05", "2023-11-27 14:03:05");
	good("2023-11-27 14:03:05.123", "2023-11-27 14:03:05");
	good("2023-11-27 14:03:05.999999999", "2023-11-27 14:03:05");
	good("2023-11-27 14:03:05,9", "2023-11-27 14:03:05");
	good("2023/11/27 14:03", "2023-11-27 14:03:00");
	good("2023/11/27 14:03:05", "2023-11-27 14:03:05");
	good("2023.11.27 14:03", "2023-11-27 14:03:00");
	good("2023.11.27 14:03:05.5", "2023-11-27 14:03:05");
	good("2023-11-27", "2023-11-27 00:00:00");
	good("2023/11/27", "2023-11-27 00:00:00");
	good("2023.11.27", "2023-11-27 00:00:00");
	good("2023/1/5 9:03", "2023-01-05 09:03:00");
	good("2023-1-5", "2023-01-05 00:00:00");
	good("2023.1.05 09:03:07", "2023-01-05 09:03:07");
	good("2023-11-27  \t14:03", "2023-11-27 14:03:00");
	good("  2023-11-27 14:03 \r\n", "2023-11-27 14:03:00");
	good("\xe3\x80\x80" "2023-11-27\xe3\x80\x80" "14:03\xe3\x80\x80",
	     "2023-11-27 14:03:00");

	/* Chinese */
	good("2023年11月27日", "2023-11-27 00:00:00");
	good("2023年11月27日 14时03分", "2023-11-27 14:03:00");
	good("2023年11月27日 14时03分05秒", "2023-11-27 14:03:05");
	good("2023年11月27日14:03", "2023-11-27 14:03:00");
	good("2023年11月27日 14:03:05", "2023-11-27 14:03:05");
	good("2023年11月27日 14点03分", "2023-11-27 14:03:00");
	good("2023年11月27日14时03分05.75秒", "2023-11-27 14:03:05");
	good("2023年1月5日 9时3分5秒", "2023-01-05 09:03:05");
	good("2023年11月27日 14时", "2023-11-27 14:00:00");
	good("2023年11月27日 9点", "2023-11-27 09:00:00");
	good("2023年11月27日 14：03", "2023-11-27 14:03:00");
	good("2023年11月27日 14：03：05", "2023-11-27 14:03:05");
	good("2023年11月27日 14时03分 +09:00", "2023-11-27 13:03:00");
	good("2023-11-27 14时03分", "2023-11-27 14:03:00");

	/* ISO 8601 and zones: converted to the store zone */
	good("2023-11-27T14:03:05", "2023-11-27 14:03:05");
	good("2023-11-27t14:03:05", "2023-11-27 14:03:05");
	good("2023-11-27T14:03", "2023-11-27 14:03:00");
	good("2023-11-27T06:03:05Z", "2023-11-27 14:03:05");
	good("2023-11-27T06:03:05z", "2023-11-27 14:03:05");
	good("2023-11-27T06:03:05.123Z", "2023-11-27 14:03:05");
	good("2023-11-27T14:03:05+09:00", "2023-11-27 13:03:05");
	good("2023-11-27T14:03:05+0900", "2023-11-27 13:03:05");
	good("2023-11-27T14:03:05+09", "2023-11-27 13:03:05");
	good("2023-11-27T14:03:05+08:00", "2023-11-27 14:03:05");
	good("2023-11-27T14:03:05-05:30", "2023-11-28 03:33:05");
	good("2023-11-27T14:03:05.5-05:30", "2023-11-28 03:33:05");
	good("2023-11-27T14:03:05-00:00", "2023-11-27 22:03:05");
	good("2023-11-27T14:03:05+18:00", "2023-11-27 04:03:05");
	good("2023-11-27T14:03:05-18:00", "2023-11-28 16:03:05");
	good("2023-11-27 06:03:05 UTC", "2023-11-27 14:03:05");
	good("2023-11-27 06:03:05 utc", "2023-11-27 14:03:05");
	good("2023-11-27 06:03:05 GMT", "2023-11-27 14:03:05");
	good("2023-11-27 06:03:05 Z", "2023-11-27 14:03:05");
	good("2023-11-27 14:03:05 +09:00", "2023-11-27 13:03:05");
	good("2023/11/27 14:03 -0100", "2023-11-27 23:03:00");
	good("2023-11-27 14:03:05+09:00", "2023-11-27 13:03:05");

	/* 24:00 and the leap second */
	good("2023-11-27 24:00", "2023-11-28 00:00:00");
	good("2023-11-27 24:00:00", "2023-11-28 00:00:00");
	good("2023-11-27T24:00:00", "2023-11-28 00:00:00");
	good("2023-11-27T24:00:00.000Z", "2023-11-28 08:00:00");
	good("2023-12-31 24:00:00", "2024-01-01 00:00:00");
	good("2023年11月27日 24时00分", "2023-11-28 00:00:00");
	good("2016-12-31 23:59:60", "2017-01-01 00:00:00");

	/* store zone 0 and others */
	good_z("2023-11-27 14:03:05", 0, "2023-11-27 14:03:05");
	good_z("2023-11-27T14:03:05+08:00", 0, "2023-11-27 06:03:05");
	good_z("2023-11-27T14:03:05Z", 0, "2023-11-27 14:03:05");
	good_z("2023年11月27日 14时03分", 0, "2023-11-27 14:03:00");
	good_z("2023-11-27T14:03:05Z", -300, "2023-11-27 09:03:05");
	good_z("2023-11-27T14:03:05Z", 330, "2023-11-27 19:33:05");
}

static void test_leap_years(void)
{
	good("2024-02-29", "2024-02-29 00:00:00");
	good("2000-02-29 12:00", "2000-02-29 12:00:00");
	good("2024年2月29日", "2024-02-29 00:00:00");
	good("20240229", "2024-02-29 00:00:00");
	bad("2023-02-29", "invalid date");
	bad("1900-02-29", "invalid date");
	bad("2100-02-29", "invalid date");
	bad("20230229", "invalid date");
	is_int(timeparse_days_in_month(2024, 2), 29, "days_in_month 2024-02");
	is_int(timeparse_days_in_month(2023, 2), 28, "days_in_month 2023-02");
	is_int(timeparse_days_in_month(1900, 2), 28, "days_in_month 1900-02");
	is_int(timeparse_days_in_month(2000, 2), 29, "days_in_month 2000-02");
	is_int(timeparse_days_in_month(2023, 4), 30, "days_in_month 2023-04");
	is_int(timeparse_days_in_month(2023, 12), 31, "days_in_month 2023-12");
	is_int(timeparse_days_in_month(2023, 0), 0, "days_in_month month 0");
	is_int(timeparse_days_in_month(2023, 13), 0, "days_in_month month 13");
}

static void test_numbers(void)
{
	int64_t t;
	char got[TIMEPARSE_TEXT_LEN];
	const char *why;

	/* epoch seconds and milliseconds */
	good("1700000000", "2023-11-15 06:13:20");
	good_z("1700000000", 0, "2023-11-14 22:13:20");
	ok(run("1700000000", NULL, Z8, got, &why, &t) == 0 && t == 1700000000,
	   "epoch seconds kept as they are");
	good("1700000000123", "2023-11-15 06:13:20");
	good("1700000000999", "2023-11-15 06:13:20");
	good("1700000000.75", "2023-11-15 06:13:20");
	good("100000000", "1973-03-03 17:46:40");
	good("100000000000", "1973-03-03 17:46:40");
	good("4102415999", "2099-12-31 23:59:59"); /* 10 digits */
	good("000000001", "1970-01-01 08:00:01");
	bad("99999999999", "date out of range");
	bad("9999999999999", "date out of range");
	bad("17000000001234", "unrecognised date or time");
	bad("1234567", "unrecognised date or time");
	bad("-1700000000", "unrecognised date or time");
	bad("-45231", "unrecognised date or time");
	bad("+45231", "unrecognised date or time");

	/* Excel serial days, 1900 system; civil time in the store zone */
	good("45231", "2023-11-01 00:00:00");
	good_z("45231", 0, "2023-11-01 00:00:00");
	good("45231.5", "2023-11-01 12:00:00");
	good("45231.0", "2023-11-01 00:00:00");
	good("45231.5625", "2023-11-01 13:30:00");
	good("45231.25", "2023-11-01 06:00:00");
	good("45231.00001", "2023-11-01 00:00:01");    /* 0.864 s */
	good("45231.000005", "2023-11-01 00:00:00");   /* 0.432 s */
	good("45231.99999", "2023-11-01 23:59:59");    /* 86399.136 */
	good("45231.999999", "2023-11-02 00:00:00");   /* 86399.9136 */
	good("45231.0000057870370370370", "2023-11-01 00:00:00"); /* 0.49999 */
	good("45231.0000057870370370371", "2023-11-01 00:00:01"); /* 0.5+ */
	good("1", "1900-01-01 00:00:00");
	good("1.5", "1900-01-01 12:00:00");
	good("59", "1900-02-28 00:00:00");
	bad("60", "invalid date"); /* Excel's fictitious 1900-02-29 */
	bad("60.5", "invalid date");
	good("61", "1900-03-01 00:00:00");
	good("36526", "2000-01-01 00:00:00");
	good("109574", "2199-12-31 00:00:00");
	good("109574.99999", "2199-12-31 23:59:59");
	bad("109575", "date out of range");
	bad("999999", "date out of range");
	bad("0", "date out of range");
	bad("0.5", "date out of range");
	bad("000000", "date out of range");
	bad("45231.", "unrecognised date or time");
	bad(".5", "unrecognised date or time");
	bad("45231.5.5", "unrecognised date or time");
	bad("2958465", "unrecognised date or time");
	bad("45231,5", "unrecognised date or time");

	/* YYYYMMDD */
	good("20231127", "2023-11-27 00:00:00");
	good_z("20231127", 0, "2023-11-27 00:00:00");
	good("19000101", "1900-01-01 00:00:00");
	good("21991231", "2199-12-31 00:00:00");
	bad("20230230", "invalid date");
	bad("20231301", "invalid date");
	bad("20231100", "invalid date");
	bad("00000000", "invalid date");
	bad("18991231", "date out of range");
	bad("22000101", "date out of range");
	bad("20231127.5", "unrecognised date or time");
}

static void test_bad_forms(void)
{
	const char *why = "x";
	int64_t t = 42;

	bad("", "empty");
	bad("   ", "empty");
	bad(" \t\r\n", "empty");
	bad("\xe3\x80\x80", "empty");
	bad("abc", "unrecognised date or time");
	bad("T14:03", "unrecognised date or time");
	bad("14:03", "unrecognised date or time");
	good("2023", "1905-07-15 00:00:00"); /* an Excel serial */
	bad("2023-11", "unrecognised date or time");
	bad("2023-11-", "unrecognised date or time");
	bad("2023-11/27", "unrecognised date or time");
	bad("2023/11-27", "unrecognised date or time");
	bad("2023-011-27", "unrecognised date or time");
	bad("2023-11-027", "unrecognised date or time");
	bad("023-11-27", "unrecognised date or time");
	bad("12023-11-27", "unrecognised date or time");
	bad("2023-11-27 14", "unrecognised date or time");
	bad("2023-11-27T", "unrecognised date or time");
	bad("2023-11-27 14:3", "unrecognised date or time");
	bad("2023-11-27 14:03:5", "unrecognised date or time");
	bad("2023-11-27 14:03:05.", "unrecognised date or time");
	bad("2023-11-27 14:03:05.x", "unrecognised date or time");
	bad("2023-11-27 14:03:05X", "unrecognised date or time");
	bad("2023-11-27 14:03:05 foo", "unrecognised date or time");
	bad("2023-11-27 14:03:05 +19:00", "unrecognised date or time");
	bad("2023-11-27 14:03:05 +08:60", "unrecognised date or time");
	bad("2023-11-27 14:03:05+8", "unrecognised date or time");
	bad("2023-11-27 14:03:05+08:0", "unrecognised date or time");
	bad("2023-11-27 14:03:05+080", "unrecognised date or time");
	bad("2023-11-27 14:03:05 UTC+8", "unrecognised date or time");
	bad("2023-11-27Z", "unrecognised date or time");
	bad("2023-11-2714:03", "unrecognised date or time");
	bad("2023-11-27T 14:03", "unrecognised date or time");
	bad("2023-11-27 14:03:05:07", "unrecognised date or time");
	bad("2023年11月27", "unrecognised date or time");
	bad("2023年11-27日", "unrecognised date or time");
	bad("2023年11月27日 14时03", "unrecognised date or time");
	bad("2023年11月27日 14时03分05", "unrecognised date or time");
	bad("2023年11月27日 14", "unrecognised date or time");
	bad("2023年11月27日T14:03", "unrecognised date or time");
	bad("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x93-11-27",
	    "unrecognised date or time"); /* fullwidth digits */
	bad("2023-11-27\xe5", "unrecognised date or time");
	bad("2023年11月27日 14\xe6\x97", "unrecognised date or time");
	bad("2023-13-01", "invalid date");
	bad("2023-00-10", "invalid date");
	bad("2023-11-00", "invalid date");
	bad("2023-11-31", "invalid date");
	bad("2023-02-30", "invalid date");
	bad("2023年2月30日", "invalid date");
	bad("0000-00-00 00:00:00", "invalid date");
	bad("2023-11-27 25:00", "invalid time");
	bad("2023-11-27 14:60", "invalid time");
	bad("2023-11-27 14:03:61", "invalid time");
	bad("2023-11-27 24:01", "invalid time");
	bad("2023-11-27 24:00:01", "invalid time");
	bad("2023-11-27 24:00:00.5", "invalid time");
	bad("2023年11月27日 14时60分", "invalid time");
	bad("2023年11月27日 25点", "invalid time");
	bad("1899-12-31", "date out of range");
	bad("1899-12-31 23:59:59", "date out of range");
	bad("2200-01-01", "date out of range");
	bad("0000-01-01", "date out of range");
	bad("9999-12-31 23:59:59", "date out of range");
	good("1900-01-01 00:00:00", "1900-01-01 00:00:00");
	good("2199-12-31 23:59:59", "2199-12-31 23:59:59");
	/* the result, in the store zone, must stay in range too */
	bad("1900-01-01T00:00:00+09:00", "date out of range");
	bad("2199-12-31T23:00:00-05:00", "date out of range");
	bad("2199-12-31 24:00", "date out of range");
	good_z("1900-01-01T00:00:00+09:00", 540, "1900-01-01 00:00:00");

	/* why and out may be NULL; out untouched on error */
	ok(timeparse_parse("nope", 4, NULL, &t, NULL) == -1 && t == 42,
	   "error with why NULL, out untouched");
	ok(timeparse_parse("2023-11-27", 10, NULL, NULL, &why) == 0 &&
		   strcmp(why, "x") == 0,
	   "success with out NULL, why untouched");
	ok(timeparse_parse(NULL, 0, NULL, &t, &why) == -1 && strcmp(why, "empty") == 0,
	   "NULL string is empty");
	ok(timeparse_parse("2023-11-27", 10, NULL, &t, NULL) == 0 &&
		   t == INT64_C(1701043200),
	   "opts NULL: store zone UTC");
	/* s[n] is never read: the length decides */
	ok(timeparse_parse("2023-11-27 14:03:05", 10, NULL, &t, NULL) == 0 &&
		   t == INT64_C(1701043200),
	   "only n bytes are read");
	ok(timeparse_parse("45231\0" "99", 5, NULL, &t, NULL) == 0,
	   "bytes after n ignored");
	bad_fmt_z(NULL, "", 0, "empty");
	{
		char nul[] = "2023-11-27\0 14:03";
		struct timeparse_opts o = { NULL, Z8 };
		ok(timeparse_parse(nul, sizeof(nul) - 1, &o, &t, &why) == -1 &&
			   strcmp(why, "unrecognised date or time") == 0,
		   "embedded NUL rejected");
	}
}

static void test_date_format(void)
{
	const char *nyc = "%m/%d/%Y %I:%M:%S %p";
	char longin[200];

	good_fmt(nyc, "10/31/2015 02:08:41 AM", "2015-10-31 02:08:41");
	good_fmt(nyc, "10/31/2015 02:08:41 PM", "2015-10-31 14:08:41");
	good_fmt(nyc, "10/31/2015 12:08:41 AM", "2015-10-31 00:08:41");
	good_fmt(nyc, "10/31/2015 12:08:41 PM", "2015-10-31 12:08:41");
	good_fmt(nyc, "10/31/2015 11:59:59 PM", "2015-10-31 23:59:59");
	good_fmt(nyc, "10/31/2015 12:00:00 am", "2015-10-31 00:00:00");
	good_fmt(nyc, "  10/31/2015 02:08:41 AM  ", "2015-10-31 02:08:41");
	good_fmt(nyc, "1/5/2016 2:08:41 AM", "2016-01-05 02:08:41");
	bad_fmt(nyc, "10/31/2015 13:08:41 PM", "does not match --date-format");
	bad_fmt(nyc, "10/31/2015 00:08:41 AM", "does not match --date-format");
	bad_fmt(nyc, "10/31/2015", "does not match --date-format");
	bad_fmt(nyc, "2015-10-31 02:08:41", "does not match --date-format");
	bad_fmt(nyc, "10/31/2015 02:08:41 AM x", "does not match --date-format");
	bad_fmt(nyc, "02/30/2015 02:08:41 AM", "invalid date");
	bad_fmt(nyc, "02/29/1900 02:08:41 AM", "invalid date");
	good_fmt(nyc, "02/29/2000 02:08:41 AM", "2000-02-29 02:08:41");
	bad_fmt(nyc, "10/31/1899 02:08:41 AM", "date out of range");
	bad_fmt(nyc, "10/31/2200 02:08:41 AM", "date out of range");
	bad_fmt(nyc, "", "empty");
	memset(longin, ' ', sizeof(longin));
	memcpy(longin, "10/31/2015 02:08:41 AM", 22);
	longin[127] = 'x';
	longin[128] = '\0';
	bad_fmt(nyc, longin, "does not match --date-format");
	longin[127] = ' ';
	good_fmt(nyc, longin, "2015-10-31 02:08:41"); /* trailing spaces trimmed */
	memset(longin, '0', 128);
	longin[128] = '\0';
	bad_fmt("%Y", longin, "does not match --date-format");
	{
		char nul[] = "10/31/2015 02:08:41 AM\0 junk";
		struct timeparse_opts o = { nyc, Z8 };
		const char *why = NULL;
		int64_t t;
		ok(timeparse_parse(nul, sizeof(nul) - 1, &o, &t, &why) == -1 && why &&
			   strcmp(why, "does not match --date-format") == 0,
		   "format path: embedded NUL rejected");
	}
	/* only the format is tried */
	bad_fmt(nyc, "2023-11-27 14:03:05", "does not match --date-format");
	bad_fmt(nyc, "1700000000", "does not match --date-format");

	good_fmt("%Y-%m-%dT%H:%M:%S%z", "2023-11-27T14:03:05+0900",
		 "2023-11-27 13:03:05");
	good_fmt("%Y-%m-%dT%H:%M:%S%z", "2023-11-27T14:03:05-05:30",
		 "2023-11-28 03:33:05");
	good_fmt("%Y-%m-%dT%H:%M:%S%z", "2023-11-27T06:03:05Z",
		 "2023-11-27 14:03:05");
	good_fmt("%Y-%m-%d %H:%M:%S %%z", "2023-11-27 14:03:05 %z",
		 "2023-11-27 14:03:05"); /* a literal %z is not a zone */
	good_fmt("%d.%m.%Y %H:%M", "27.11.2023 14:03", "2023-11-27 14:03:00");
	good_fmt("%Y年%m月%d日 %H时%M分", "2023年11月27日 14时03分",
		 "2023-11-27 14:03:00");
	good_fmt("%Y-%m-%d", "2023-11-27", "2023-11-27 00:00:00");
	good_fmt("%s", "1700000000", "2023-11-15 06:13:20");
	bad_fmt("%H:%M", "14:03", "invalid date"); /* no day */
}

static void test_zone(void)
{
	int m = 12345;

	ok(timeparse_zone("Z", &m) == 0 && m == 0, "zone Z");
	ok(timeparse_zone("UTC", &m) == 0 && m == 0, "zone UTC");
	ok(timeparse_zone("GMT", &m) == 0 && m == 0, "zone GMT");
	ok(timeparse_zone("+08:00", &m) == 0 && m == 480, "zone +08:00");
	ok(timeparse_zone("+0800", &m) == 0 && m == 480, "zone +0800");
	ok(timeparse_zone("+08", &m) == 0 && m == 480, "zone +08");
	ok(timeparse_zone("-05:30", &m) == 0 && m == -330, "zone -05:30");
	ok(timeparse_zone("+05:45", &m) == 0 && m == 345, "zone +05:45");
	ok(timeparse_zone("+18:00", &m) == 0 && m == 1080, "zone +18:00");
	ok(timeparse_zone("-18:00", &m) == 0 && m == -1080, "zone -18:00");
	ok(timeparse_zone("-00:00", &m) == 0 && m == 0, "zone -00:00");
	ok(timeparse_zone(" +08:00 ", &m) == 0 && m == 480, "zone with spaces");
	ok(timeparse_zone("+08:00", NULL) == 0, "zone with minutes NULL");
	m = 7;
	ok(timeparse_zone("+18:01", &m) == -1 && m == 7, "zone +18:01 rejected");
	ok(timeparse_zone("+19", &m) == -1, "zone +19 rejected");
	ok(timeparse_zone("+08:60", &m) == -1, "zone +08:60 rejected");
	ok(timeparse_zone("+8", &m) == -1, "zone +8 rejected");
	ok(timeparse_zone("+8:00", &m) == -1, "zone +8:00 rejected");
	ok(timeparse_zone("08:00", &m) == -1, "zone without sign rejected");
	ok(timeparse_zone("+08:00x", &m) == -1, "zone with junk rejected");
	ok(timeparse_zone("+08-00", &m) == -1, "zone +08-00 rejected");
	ok(timeparse_zone("CST", &m) == -1, "zone CST rejected");
	ok(timeparse_zone("", &m) == -1, "zone empty rejected");
	ok(timeparse_zone(NULL, &m) == -1, "zone NULL rejected");
	ok(timeparse_zone("+", &m) == -1, "zone + rejected");
	ok(timeparse_zone("UTCX", &m) == -1, "zone UTCX rejected");
}

static void test_format(void)
{
	char out[TIMEPARSE_TEXT_LEN];

	timeparse_format(0, 0, out);
	is_str(out, "1970-01-01 00:00:00", "format epoch 0");
	timeparse_format(0, Z8, out);
	is_str(out, "1970-01-01 08:00:00", "format epoch 0 at +08:00");
	timeparse_format(-1, 0, out);
	is_str(out, "1969-12-31 23:59:59", "format -1");
	timeparse_format(-86400, -1, out);
	is_str(out, "1969-12-30 23:59:00", "format negative with zone");
	timeparse_format(INT64_C(-2208988800), 0, out);
	is_str(out, "1900-01-01 00:00:00", "format 1900");
	timeparse_format(INT64_C(7258118399), 0, out);
	is_str(out, "2199-12-31 23:59:59", "format 2199");
	timeparse_format(INT64_MAX, Z8, out);
	is_str(out, "9999-12-31 23:59:59", "format saturates high");
	timeparse_format(INT64_MIN, -Z8, out);
	is_str(out, "0000-01-01 00:00:00", "format saturates low");
	is_int(strlen(out), TIMEPARSE_TEXT_LEN - 1, "format length");
}

static void test_calendar(void)
{
	int64_t y, z, expect = -25567, bad_rt = 0, bad_seq = 0;
	unsigned m, d, mm, dd;

	is_int(timeparse_days_from_civil(1970, 1, 1), 0, "days 1970-01-01");
	is_int(timeparse_days_from_civil(1900, 1, 1), -25567, "days 1900-01-01");
	is_int(timeparse_days_from_civil(2200, 1, 1), 84006, "days 2200-01-01");
	is_int(timeparse_days_from_civil(0, 1, 1), -719528, "days 0000-01-01");
	is_int(timeparse_days_from_civil(10000, 1, 1), 2932897, "days 10000-01-01");
	is_int(timeparse_days_from_civil(2000, 3, 1), 11017, "days 2000-03-01");
	timeparse_civil_from_days(-719529, &y, &m, &d);
	ok(y == -1 && m == 12 && d == 31, "civil_from_days before year 0");

	/* every day of 1900..2199, against a plain counter */
	for (y = 1900; y <= 2199; y++) {
		for (m = 1; m <= 12; m++) {
			int dim = timeparse_days_in_month(y, m);
			for (d = 1; d <= (unsigned)dim; d++, expect++) {
				int64_t yy;
				if (timeparse_days_from_civil(y, m, d) != expect)
					bad_seq++;
				timeparse_civil_from_days(expect, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					bad_rt++;
			}
		}
	}
	is_int(expect, 84006, "counted every day up to 2200-01-01");
	is_int(bad_seq, 0, "days_from_civil is consecutive over 1900..2199");
	is_int(bad_rt, 0, "civil_from_days inverts it over 1900..2199");

	/* and timeparse_format / timeparse_parse round trip on every day, at noon */
	bad_rt = 0;
	for (z = -25567; z < 84006; z++) {
		char text[TIMEPARSE_TEXT_LEN];
		int64_t t = z * 86400 + 43200 - 480 * 60, back = 0;
		timeparse_format(t, Z8, text);
		{
			struct timeparse_opts o = { NULL, Z8 };
			if (timeparse_parse(text, 19, &o, &back, NULL) < 0 || back != t)
				bad_rt++;
		}
	}
	is_int(bad_rt, 0, "format/parse round trip on every day 1900..2199");
}

/* The same inputs under two process time zones must give the same seconds. */
static const struct {
	const char *in, *fmt;
} tz_cases[] = {
	{ "2023-11-27 14:03:05", NULL },
	{ "2023-03-12 02:30:00", NULL }, /* a gap in New York */
	{ "2023-11-05 01:30:00", NULL }, /* an overlap in New York */
	{ "2023-11-27T06:03:05Z", NULL },
	{ "2023-11-27T14:03:05+09:00", NULL },
	{ "2023年11月27日 14时03分", NULL },
	{ "1700000000", NULL },
	{ "1700000000123", NULL },
	{ "45231.5", NULL },
	{ "20231127", NULL },
	{ "1900-01-01", NULL },
	{ "10/31/2015 02:08:41 AM", "%m/%d/%Y %I:%M:%S %p" },
	{ "03/13/2016 02:30:00 AM", "%m/%d/%Y %I:%M:%S %p" },
	{ "2023-11-27T14:03:05+0900", "%Y-%m-%dT%H:%M:%S%z" },
	{ "1700000000", "%s" },
};

static void run_tz_cases(int64_t *res)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tz_cases); i++) {
		struct timeparse_opts o = { tz_cases[i].fmt, Z8 };
		res[i] = INT64_MIN;
		if (timeparse_parse(tz_cases[i].in, strlen(tz_cases[i].in), &o, &res[i],
			     NULL) < 0)
			res[i] = INT64_MIN;
	}
}

static void test_tz_independence(void)
{
	static const char *zones[] = { "America/New_York", "Asia/Shanghai",
				       "EST5EDT,M3.2.0,M11.1.0", "UTC",
				       "Pacific/Kiritimati" };
	int64_t base[ARRAY_SIZE(tz_cases)], other[ARRAY_SIZE(tz_cases)];
	size_t i, z;
	char *old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	run_tz_cases(base);
	for (i = 0; i < ARRAY_SIZE(tz_cases); i++)
		ok(base[i] != INT64_MIN, "tz case '%s' parses", tz_cases[i].in);
	is_int(base[0], INT64_C(1701064985), "tz case 0 value");
	is_int(base[14], 1700000000, "%%s gives the epoch");
	for (z = 0; z < ARRAY_SIZE(zones); z++) {
		int same = 1;
		setenv("TZ", zones[z], 1);
		tzset();
		run_tz_cases(other);
		for (i = 0; i < ARRAY_SIZE(tz_cases); i++) {
			if (other[i] != base[i]) {
				same = 0;
				printf("# TZ=%s '%s': %lld vs %lld\n", zones[z],
				       tz_cases[i].in, (long long)other[i],
				       (long long)base[i]);
			}
		}
		ok(same, "results identical under TZ=%s", zones[z]);
	}
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

/* timeparse_detect over lists of values: the form, or two readings, or none. */
static void test_detect(void)
{
	static const struct {
		const char *vals[4];
		int rc;
		const char *form, *other;
	} cases[] = {
		{ { "04/12/2018 11:11:26 AM", "11/13/2018 01:06:56 PM", "12/31/2018 12:00:00 AM" },
		  0, "%m/%d/%Y %I:%M:%S %p", NULL },
		{ { "4/12/2018 9:05", "11/30/2018 13:06" }, 0, "%m/%d/%Y %H:%M", NULL },
		{ { "31/12/2018 09:05", "01/02/2019 13:06" }, 0, "%d/%m/%Y %H:%M", NULL },
		{ { "03/04/2023", "05/06/2023" }, -2, "%m/%d/%Y", "%d/%m/%Y" },
		{ { "01/01/2023", "02/02/2023" }, 0, "%m/%d/%Y", NULL },
		{ { "20230314140533", "20231231235959" }, 0, "%Y%m%d%H%M%S", NULL },
		{ { "14.03.2023 14:05" }, 0, "%d.%m.%Y %H:%M", NULL },
		{ { "12-Mar-2023" }, 0, "%d-%b-%Y", NULL },
		{ { "04/12/2018 11:11:26 AM", "yesterday" }, -1, NULL, NULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = 0, lens[4];
		struct timeparse_detected d;
		int rc;

		while (n < 4 && cases[i].vals[n]) {
			lens[n] = strlen(cases[i].vals[n]);
			n++;
		}
		rc = timeparse_detect(cases[i].vals, lens, n, &d);
		ok(rc == cases[i].rc &&
		   (!cases[i].form || (d.form && strcmp(d.form, cases[i].form) == 0)) &&
		   (!cases[i].other || (d.other && strcmp(d.other, cases[i].other) == 0)),
		   "detect '%s': %d %s%s%s", cases[i].vals[0], rc, d.form ? d.form : "-",
		   d.other ? " or " : "", d.other ? d.other : "");
	}
	{
		const char *v[] = { "03/04/2023" };
		size_t l[] = { 10 };
		struct timeparse_detected d;
		char t1[TIMEPARSE_TEXT_LEN], t2[TIMEPARSE_TEXT_LEN];
		timeparse_detect(v, l, 1, &d);
		timeparse_format(d.t1, 0, t1);
		timeparse_format(d.t2, 0, t2);
		ok(d.example == 0 && strcmp(t1, "2023-03-04 00:00:00") == 0 &&
		   strcmp(t2, "2023-04-03 00:00:00") == 0, "the two readings: %s, %s", t1, t2);
	}
}

/* The store's own text read fast: the same seconds as the general parser,
 * every day of 1900-2199 at a few times of day and in two zones; anything
 * else is left to the general parser. */
static void test_canonical(void)
{
	static const char *const bad[] = { "2023-02-29 00:00:00", "2023-13-01 00:00:00",
		"2023-01-01 24:00:00", "2023-01-01T00:00:00", "1899-12-31 23:59:59",
		"2200-01-01 00:00:00", "2023-01-01 00:00", "2023-01-01 00:00:0x" };
	struct timeparse_opts o = { NULL, 480 };
	char txt[TIMEPARSE_TEXT_LEN];
	int64_t a, b;
	long diff = 0;

	for (int64_t t = -2208988800LL + 86400; t < 7258118400LL - 86400; t += 86400 + 3599) {
		for (int zone = -300; zone <= 480; zone += 780) {
			o.zone_min = zone;
			timeparse_format(t, zone, txt);
			if (timeparse_canonical(txt, strlen(txt), zone, &a) < 0 ||
			    timeparse_parse(txt, strlen(txt), &o, &b, NULL) < 0 || a != b || a != t)
				diff++;
		}
	}
	ok(diff == 0, "canonical times read as the general parser reads them (%ld differ)", diff);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(timeparse_canonical(bad[i], strlen(bad[i]), 0, &a) < 0, "not canonical: %s", bad[i]);
}

int main(void)
{
	test_canonical();
	test_detect();
	test_text_forms();
	test_leap_years();
	test_numbers();
	test_bad_forms();
	test_date_format();
	test_zone();
	test_format();
	test_calendar();
	test_tz_independence();
	return tap_done();
}
