/* calendar: the built-in holiday schedules, calendar.csv, work hours,
 * working-time arithmetic and limits. */
#include "common.h"

#include <unistd.h>

#include "calendar.h"
#include "msg.h"
#include "tap.h"
#include "timeparse.h"

static int64_t D(int y, unsigned m, unsigned d)
{
	return timeparse_days_from_civil(y, m, d);
}

/* local seconds of a civil time */
static int64_t T(int y, unsigned m, unsigned d, int hh, int mm)
{
	return D(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static const char *fmt(int64_t t, char buf[TIMEPARSE_TEXT_LEN])
{
	if (t == CALENDAR_NEVER)
		return "never";
	timeparse_format(t, 0, buf);
	return buf;
}

#define is_time(got, want, ...)                                                \
	do {                                                                   \
		char g1_[TIMEPARSE_TEXT_LEN], w1_[TIMEPARSE_TEXT_LEN];                       \
		is_str(fmt((got), g1_), fmt((want), w1_), __VA_ARGS__);        \
	} while (0)

/* Files left behind are removed at the end. */
static char tmp_paths[32][64];
static int ntmp;

static const char *write_tmp(const char *text)
{
	char *path = tmp_paths[ntmp++];
	size_t n = strlen(text);
	int fd;

	snprintf(path, 64, "%s", "/tmp/cityops-cal-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n) {
		perror("write_tmp");
		exit(1);
	}
	close(fd);
	return path;
}

static void day_is(const struct calendar *c, int y, unsigned m, unsigned d,
		   int want, const char *why)
{
	int got = calendar_is_workday(c, D(y, m, d));
	ok(got == want, "%04d-%02u-%02u is %s (%s)", y, m, d,
	   want ? "a working day" : "a day off", why);
}

/* Days off from first to last, inclusive. */
static void off_range(const struct calendar *c, int y, unsigned m, unsigned d,
		      int ndays, const char *why)
{
	int64_t d0 = D(y, m, d);
	int all = 1;
	for (int i = 0; i < ndays; i++)
		if (calendar_is_workday(c, d0 + i)) {
			int64_t yy;
			unsigned mm, dd;
			timeparse_civil_from_days(d0 + i, &yy, &mm, &dd);
			printf("# %04d-%02u-%02u is a working day\n", (int)yy, mm, dd);
			all = 0;
		}
	ok(all, "%04d-%02u-%02u and the %d days from it are off (%s)", y, m, d,
	   ndays, why);
}

static void test_2023(const struct calendar *c)
{
	/* 国办发明电〔2022〕16号, every day of it */
	off_range(c, 2022, 12, 31, 3, "元旦 12-31..01-02");
	off_range(c, 2023, 1, 21, 7, "春节 01-21..01-27");
	day_is(c, 2023, 1, 28, 1, "春节 make-up Saturday");
	day_is(c, 2023, 1, 29, 1, "春节 make-up Sunday");
	off_range(c, 2023, 4, 5, 1, "清明 04-05");
	off_range(c, 2023, 4, 29, 5, "劳动节 04-29..05-03");
	day_is(c, 2023, 4, 23, 1, "劳动节 make-up Sunday");
	day_is(c, 2023, 5, 6, 1, "劳动节 make-up Saturday");
	off_range(c, 2023, 6, 22, 3, "端午 06-22..06-24");
	day_is(c, 2023, 6, 25, 1, "端午 make-up Sunday");
	off_range(c, 2023, 9, 29, 8, "中秋/国庆 09-29..10-06");
	day_is(c, 2023, 10, 7, 1, "国庆 make-up Saturday");
	day_is(c, 2023, 10, 8, 1, "国庆 make-up Sunday");
	/* each listed weekday, one by one */
	{
		static const unsigned char off[][2] = {
			{ 1, 2 }, { 1, 23 }, { 1, 24 }, { 1, 25 }, { 1, 26 },
			{ 1, 27 }, { 4, 5 }, { 5, 1 }, { 5, 2 }, { 5, 3 },
			{ 6, 22 }, { 6, 23 }, { 9, 29 }, { 10, 2 }, { 10, 3 },
			{ 10, 4 }, { 10, 5 }, { 10, 6 },
		};
		for (size_t i = 0; i < ARRAY_SIZE(off); i++)
			day_is(c, 2023, off[i][0], off[i][1], 0,
			       "a weekday holiday of 2023");
	}
	/* ordinary days around them */
	day_is(c, 2023, 1, 3, 1, "Tuesday after 元旦");
	day_is(c, 2023, 1, 20, 1, "Friday before 春节");
	day_is(c, 2023, 1, 30, 1, "Monday after 春节");
	day_is(c, 2023, 4, 4, 1, "Tuesday before 清明");
	day_is(c, 2023, 4, 22, 0, "an ordinary Saturday");
	day_is(c, 2023, 5, 4, 1, "Thursday after 劳动节");
	day_is(c, 2023, 9, 28, 1, "Thursday before 中秋");
	day_is(c, 2023, 10, 9, 1, "Monday after 国庆");
	day_is(c, 2023, 11, 24, 1, "an ordinary Friday");
	day_is(c, 2023, 11, 25, 0, "an ordinary Saturday");
	day_is(c, 2023, 11, 26, 0, "an ordinary Sunday");
	day_is(c, 2023, 11, 27, 1, "an ordinary Monday");
	is_str(calendar_day_name(c, D(2023, 10, 1)), "中秋节、国庆节", "the name of 2023-10-01");
	is_str(calendar_day_name(c, D(2023, 1, 28)), "春节", "the name of a make-up day");
	ok(calendar_day_name(c, D(2023, 11, 27)) == NULL, "an ordinary day has no name");
}

static void test_other_years(const struct calendar *c)
{
	/* 2019 */
	day_is(c, 2018, 12, 29, 1, "2019 元旦 make-up Saturday");
	day_is(c, 2018, 12, 31, 0, "2019 元旦 Monday");
	off_range(c, 2019, 2, 4, 7, "2019 春节");
	day_is(c, 2019, 2, 2, 1, "2019 春节 make-up Saturday");
	day_is(c, 2019, 2, 3, 1, "2019 春节 make-up Sunday");
	off_range(c, 2019, 5, 1, 4, "2019 劳动节, as changed in March 2019");
	day_is(c, 2019, 4, 28, 1, "2019 劳动节 make-up Sunday");
	day_is(c, 2019, 5, 5, 1, "2019 劳动节 make-up Sunday");
	day_is(c, 2019, 9, 29, 1, "2019 国庆 make-up Sunday");
	day_is(c, 2019, 10, 12, 1, "2019 国庆 make-up Saturday");
	/* 2020, the extended Spring Festival */
	off_range(c, 2020, 1, 24, 10, "2020 春节 extended to 02-02");
	day_is(c, 2020, 1, 31, 0, "2020 春节 extension Friday");
	day_is(c, 2020, 2, 1, 0, "2020-02-01 make-up Saturday cancelled");
	day_is(c, 2020, 2, 3, 1, "2020-02-03 back to work");
	day_is(c, 2020, 1, 19, 1, "2020 春节 make-up Sunday");
	off_range(c, 2020, 10, 1, 8, "2020 国庆/中秋");
	day_is(c, 2020, 10, 10, 1, "2020 国庆 make-up Saturday");
	/* 2021, 2022 */
	day_is(c, 2021, 9, 18, 1, "2021 中秋 make-up Saturday");
	off_range(c, 2021, 9, 19, 3, "2021 中秋");
	day_is(c, 2022, 4, 2, 1, "2022 清明 make-up Saturday");
	day_is(c, 2022, 10, 8, 1, "2022 国庆 make-up Saturday");
	day_is(c, 2022, 10, 9, 1, "2022 国庆 make-up Sunday");
	/* 2024 */
	day_is(c, 2024, 2, 4, 1, "2024 春节 make-up Sunday");
	day_is(c, 2024, 2, 18, 1, "2024 春节 make-up Sunday");
	off_range(c, 2024, 2, 10, 8, "2024 春节 02-10..02-17");
	day_is(c, 2024, 2, 9, 1, "2024 除夕 Friday is a working day");
	day_is(c, 2024, 4, 7, 1, "2024 清明 make-up Sunday");
	day_is(c, 2024, 1, 1, 0, "2024 元旦");
	day_is(c, 2024, 6, 10, 0, "2024 端午 Monday");
	day_is(c, 2024, 9, 14, 1, "2024 中秋 make-up Saturday");
	day_is(c, 2024, 10, 12, 1, "2024 国庆 make-up Saturday");
	/* 2025 */
	day_is(c, 2025, 1, 26, 1, "2025 春节 make-up Sunday");
	day_is(c, 2025, 2, 8, 1, "2025 春节 make-up Saturday");
	off_range(c, 2025, 1, 28, 8, "2025 春节 01-28..02-04");
	off_range(c, 2025, 5, 1, 5, "2025 劳动节 05-01..05-05");
	day_is(c, 2025, 4, 27, 1, "2025 劳动节 make-up Sunday");
	day_is(c, 2025, 5, 10, 0, "2025-05-10 an ordinary Saturday");
	day_is(c, 2025, 6, 2, 0, "2025 端午 Monday");
	off_range(c, 2025, 10, 1, 8, "2025 国庆/中秋");
	day_is(c, 2025, 9, 28, 1, "2025 国庆 make-up Sunday");
	day_is(c, 2025, 10, 11, 1, "2025 国庆 make-up Saturday");
	/* 2026 */
	off_range(c, 2026, 1, 1, 3, "2026 元旦");
	day_is(c, 2026, 1, 4, 1, "2026 元旦 make-up Sunday");
	off_range(c, 2026, 2, 15, 9, "2026 春节 02-15..02-23");
	day_is(c, 2026, 2, 14, 1, "2026 春节 make-up Saturday");
	day_is(c, 2026, 2, 28, 1, "2026 春节 make-up Saturday");
	off_range(c, 2026, 4, 4, 3, "2026 清明");
	off_range(c, 2026, 5, 1, 5, "2026 劳动节");
	day_is(c, 2026, 5, 9, 1, "2026 劳动节 make-up Saturday");
	day_is(c, 2026, 6, 19, 0, "2026 端午 Friday");
	day_is(c, 2026, 9, 25, 0, "2026 中秋 Friday");
	off_range(c, 2026, 10, 1, 7, "2026 国庆");
	day_is(c, 2026, 9, 20, 1, "2026 国庆 make-up Sunday");
	day_is(c, 2026, 10, 10, 1, "2026 国庆 make-up Saturday");
	day_is(c, 2026, 10, 8, 1, "2026-10-08 Thursday after 国庆");
	/* no data: Monday to Friday */
	day_is(c, 2027, 10, 1, 1, "2027-10-01, a Friday without a schedule");
	day_is(c, 2010, 10, 1, 1, "2010-10-01, before the table");
	ok(calendar_last_day(c) == D(2026, 10, 10), "the table ends on 2026-10-10");
}

/* The days off on weekdays minus the make-up weekend days, per year: 11
 * statutory holidays until 2024, 13 from 2025 (除夕 and 5月2日 added); 2020
 * has 2 more (春节 extended by a Friday and the cancelled make-up Saturday). */
static void test_year_totals(const struct calendar *c)
{
	static const int want[] = { 11, 13, 11, 11, 11, 11, 13, 13 };

	for (int y = 2019; y <= 2026; y++) {
		int64_t a = D(y, 1, 1), b = D(y + 1, 1, 1);
		int weekdays = 0, working = 0;
		for (int64_t d = a; d < b; d++) {
			weekdays += calendar_weekday(d) <= 5;
			working += calendar_is_workday(c, d);
		}
		is_int(weekdays - working, want[y - 2019],
		       "%d: net days off on weekdays", y);
		is_int(calendar_working_minutes_between(c, a * 86400, b * 86400),
		       (int64_t)working * 420, "%d: working minutes of the year", y);
	}
	/* every listed working day is a weekend day, every listed weekday
	 * holiday is off */
	{
		int bad = 0;
		for (int64_t d = D(2018, 12, 1); d <= D(2026, 12, 31); d++)
			if (calendar_day_name(c, d) && calendar_is_workday(c, d) &&
			    calendar_weekday(d) <= 5)
				bad++;
		is_int(bad, 0, "make-up days all fall on weekends");
	}
}

static void test_arith(const struct calendar *c)
{
	ok(calendar_weekday(D(2023, 11, 27)) == 1 && calendar_weekday(D(2023, 11, 26)) == 7 &&
	   calendar_weekday(0) == 4 && calendar_weekday(-1) == 3,
	   "weekdays (1970-01-01 a Thursday)");
	/* working days */
	is_time(calendar_add_working_days(c, T(2023, 9, 28, 10, 0), 2),
		T(2023, 10, 8, 10, 0), "2 wd from 2023-09-28 10:00: the make-up Sunday");
	is_time(calendar_add_working_days(c, T(2023, 9, 28, 10, 0), 1),
		T(2023, 10, 7, 10, 0), "1 wd from 2023-09-28 10:00: the make-up Saturday");
	is_time(calendar_add_working_days(c, T(2023, 9, 28, 10, 0), 3),
		T(2023, 10, 9, 10, 0), "3 wd from 2023-09-28 10:00");
	is_time(calendar_add_working_days(c, T(2023, 9, 28, 10, 0), 0),
		T(2023, 9, 28, 10, 0), "0 wd is the start");
	is_time(calendar_add_working_days(c, T(2023, 11, 25, 21, 15), 1),
		T(2023, 11, 27, 21, 15), "1 wd from a Saturday evening: Monday, same clock");
	is_time(calendar_add_working_days(c, T(2023, 11, 24, 9, 0), 5),
		T(2023, 12, 1, 9, 0), "5 wd from a Friday: the next Friday");
	/* working hours */
	is_time(calendar_add_working_minutes(c, T(2023, 11, 24, 16, 0), 4 * 60),
		T(2023, 11, 27, 10, 30), "Friday 16:00 + 4wh is Monday 10:30");
	is_time(calendar_add_working_minutes(c, T(2023, 9, 28, 17, 0), 4 * 60),
		T(2023, 10, 7, 11, 30), "2023-09-28 17:00 + 4wh is 2023-10-07 11:30");
	is_time(calendar_add_working_minutes(c, T(2023, 9, 28, 17, 0), 12 * 60),
		T(2023, 10, 8, 15, 0), "2023-09-28 17:00 + 12wh is 2023-10-08 15:00");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 27, 12, 30), 60),
		T(2023, 11, 27, 15, 30), "a start at 12:30 counts from 14:30");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 27, 7, 0), 60),
		T(2023, 11, 27, 9, 30), "a start at 07:00 counts from 08:30");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 25, 10, 0), 60),
		T(2023, 11, 27, 9, 30), "a Saturday start counts from Monday 08:30");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 27, 11, 0), 120),
		T(2023, 11, 27, 15, 30), "across the lunch break");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 24, 16, 0), 120),
		T(2023, 11, 24, 18, 0), "a count ending at 18:00 gives 18:00");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 24, 18, 0), 1),
		T(2023, 11, 27, 8, 31), "Friday 18:00 + 1 minute is Monday 08:31");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 24, 16, 0), 0),
		T(2023, 11, 24, 16, 0), "0 minutes is the start");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 27, 8, 30), 5 * 420),
		T(2023, 12, 1, 18, 0), "5 whole working days from Monday 08:30");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 27, 9, 0) + 30, 1),
		T(2023, 11, 27, 9, 1) + 30, "seconds are kept inside working hours");
	is_time(calendar_next_working_time(c, T(2023, 11, 27, 12, 0)),
		T(2023, 11, 27, 14, 30), "next working time after 12:00 is 14:30");
	is_time(calendar_next_working_time(c, T(2023, 11, 27, 10, 0)),
		T(2023, 11, 27, 10, 0), "inside working hours: the time itself");
	is_time(calendar_next_working_time(c, T(2023, 9, 28, 18, 0)),
		T(2023, 10, 7, 8, 30), "after the last period before 国庆: the make-up Saturday");
	is_time(calendar_add_minutes(T(2023, 11, 24, 16, 0), 6 * 60),
		T(2023, 11, 24, 22, 0), "6 clock hours");
	/* between */
	is_int(calendar_working_minutes_between(c, T(2023, 9, 28, 17, 0), T(2023, 10, 7, 11, 30)),
	       240, "working minutes across 中秋/国庆");
	is_int(calendar_working_minutes_between(c, T(2023, 9, 28, 8, 30), T(2023, 10, 9, 8, 30)),
	       3 * 420, "whole days across 中秋/国庆: 09-28, 10-07, 10-08");
	is_int(calendar_working_minutes_between(c, T(2023, 11, 27, 10, 0), T(2023, 11, 27, 15, 0)),
	       150, "same day across lunch");
	is_int(calendar_working_minutes_between(c, T(2023, 11, 27, 15, 0), T(2023, 11, 27, 10, 0)),
	       0, "b before a: 0");
	is_int(calendar_working_minutes_between(c, T(2023, 11, 25, 0, 0), T(2023, 11, 27, 0, 0)),
	       0, "a weekend: 0");
	is_int(calendar_working_minutes_between(c, T(2023, 11, 24, 16, 0), T(2023, 11, 27, 10, 30)),
	       240, "Friday 16:00 to Monday 10:30");
	is_int(calendar_working_seconds_between(c, T(2023, 11, 27, 10, 0) + 10, T(2023, 11, 27, 10, 1)),
	       50, "seconds");
	/* add and between agree */
	{
		int bad = 0;
		int64_t a = T(2023, 9, 20, 7, 13);
		for (int i = 0; i < 400; i++) {
			int64_t t = calendar_next_working_time(c, a + (int64_t)i * 3607);
			int64_t m = (i * 37) % 3000 + 1;
			int64_t e = calendar_add_working_minutes(c, t, m);
			if (calendar_working_minutes_between(c, t, e) != m)
				bad++;
			if (calendar_working_minutes_between(c, t, e - 60) != m - 1)
				bad++;
		}
		is_int(bad, 0, "between(t, add(t, m)) == m for 400 starts");
	}
}

static void test_limits(const struct calendar *c)
{
	static const struct {
		const char *s;
		enum calendar_unit u;
		int n;
	} good[] = {
		{ "4wh", CALENDAR_WORKING_HOURS, 4 },   { "2wd", CALENDAR_WORKING_DAYS, 2 },
		{ "6h", CALENDAR_HOURS, 6 },            { "4工作时", CALENDAR_WORKING_HOURS, 4 },
		{ "2工作日", CALENDAR_WORKING_DAYS, 2 }, { "6小时", CALENDAR_HOURS, 6 },
		{ "4 wh", CALENDAR_WORKING_HOURS, 4 },  { " 24WH ", CALENDAR_WORKING_HOURS, 24 },
		{ "2个工作日", CALENDAR_WORKING_DAYS, 2 }, { "0h", CALENDAR_HOURS, 0 },
		{ "3660wd", CALENDAR_WORKING_DAYS, 3660 }, { "87840wh", CALENDAR_WORKING_HOURS, 87840 },
		{ "87840h", CALENDAR_HOURS, 87840 },
	};
	static const char *const bad[] = { "4x", "", "wh", "4", "-1wh", "4wh x",
					   "100001wh", "4.5wh", "4 w h", "wh4",
					   "3661wd", "87841wh", "87841h", "100000wd",
					   "0x4h" };
	struct calendar_limit l;
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		memset(&l, 0xff, sizeof l);
		ok(calendar_parse_limit(good[i].s, &l) == 0 && l.unit == good[i].u &&
		   l.n == good[i].n, "limit '%s'", good[i].s);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(calendar_parse_limit(bad[i], &l) < 0, "bad limit '%s'", bad[i]);
	ok(calendar_parse_limit(NULL, &l) < 0, "NULL limit");

	calendar_parse_limit("4工作时", &l);
	calendar_format_limit(&l, buf, sizeof buf);
	is_str(buf, "4wh", "4工作时 prints as 4wh");
	is_time(calendar_apply_limit(c, T(2023, 9, 28, 17, 0), &l), T(2023, 10, 7, 11, 30),
		"apply 4wh across 国庆");
	calendar_parse_limit("2wd", &l);
	is_time(calendar_apply_limit(c, T(2023, 9, 28, 10, 0), &l), T(2023, 10, 8, 10, 0),
		"apply 2wd across 国庆");
	calendar_parse_limit("6小时", &l);
	is_time(calendar_apply_limit(c, T(2023, 9, 28, 20, 0), &l), T(2023, 9, 29, 2, 0),
		"apply 6h: clock hours, holiday or not");
}

static void test_hours(void)
{
	struct calendar *c;
	static const char *const bad[] = {
		"", "9-17", "09:00", "09:00-", "12:00-08:00", "08:00-08:00",
		"08:00-12:00,11:00-13:00", "14:00-18:00,08:00-12:00",
		"00:00-01:00,02:00-03:00,04:00-05:00,06:00-07:00,08:00-09:00",
		"25:00-26:00", "08:60-09:00", "24:00-24:00", "08:00-12:00,",
		"08:00-12:00 x",
	};

	fprintf(stderr, "# the errors below are expected\n");
	ok(calendar_load(&c, NULL, "09:00-17:00") == 0, "work hours 09:00-17:00");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 24, 16, 0), 4 * 60),
		T(2023, 11, 27, 12, 0), "09:00-17:00: Friday 16:00 + 4wh is Monday 12:00");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 27, 12, 30), 60),
		T(2023, 11, 27, 13, 30), "09:00-17:00: no lunch break");
	is_int(calendar_working_minutes_between(c, T(2023, 11, 27, 0, 0), T(2023, 12, 4, 0, 0)),
	       5 * 480, "09:00-17:00: a week is 40 hours");
	calendar_free(c);

	ok(calendar_load(&c, NULL, " 8:00-12:00 ; 13:00-17:30,19:00-24:00") == 0,
	   "three periods, one ending at 24:00");
	is_time(calendar_add_working_minutes(c, T(2023, 11, 27, 23, 0), 120),
		T(2023, 11, 28, 9, 0), "a period ending at midnight");
	calendar_free(c);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		c = NULL;
		is_int(calendar_load(&c, NULL, bad[i]), EXIT_USAGE, "bad work hours '%s'",
		       bad[i]);
		ok(c == NULL, "nothing loaded for '%s'", bad[i]);
	}
}

static void test_files(void)
{
	struct calendar *c = NULL;
	const char *p;

	p = write_tmp("date,kind,name\n"
		      "2023-11-27,holiday,县庆\n"
		      "2023-11-25,workday,补班\n"
		      "# a comment,,\n"
		      "2023-10-07, holiday ,not a make-up day after all\n"
		      "2023-10-07,Holiday,said twice: the later row wins\n"
		      "2027-10-01,holiday,\n");
	is_int(calendar_load(&c, p, NULL), 0, "an override file loads");
	if (c) {
		day_is(c, 2023, 11, 27, 0, "added holiday");
		day_is(c, 2023, 11, 25, 1, "added make-up Saturday");
		day_is(c, 2023, 10, 7, 0, "built-in make-up day overridden");
		day_is(c, 2023, 10, 8, 1, "other built-in days kept");
		day_is(c, 2023, 10, 2, 0, "built-in holidays kept");
		is_str(calendar_day_name(c, D(2023, 11, 27)), "县庆", "the file's name");
		is_str(calendar_day_name(c, D(2023, 10, 7)), "said twice: the later row wins",
		       "the later row wins");
		ok(calendar_day_name(c, D(2027, 10, 1)) == NULL, "an empty name");
		day_is(c, 2027, 10, 1, 0, "a holiday after the built-in years");
		ok(calendar_last_day(c) == D(2027, 10, 1), "the table now ends in 2027");
		is_time(calendar_add_working_minutes(c, T(2023, 11, 24, 16, 0), 4 * 60),
			T(2023, 11, 25, 10, 30), "Friday + 4wh with a make-up Saturday");
		is_time(calendar_add_working_days(c, T(2023, 11, 24, 9, 0), 2),
			T(2023, 11, 28, 9, 0), "Friday + 2wd: Saturday, then Tuesday");
		calendar_free(c);
	}

	p = write_tmp("日期,类型,名称\n"
		      "2023/12/1,休,测试\n"
		      "2023年12月2日,补班,测试\n"
		      "20231204,假日,\n"
		      "2023-12-05,放假,\n"
		      "2023-12-09,班,\n"
		      "2023-12-10,工作日,\n");
	c = NULL;
	is_int(calendar_load(&c, p, NULL), 0, "a file with Chinese headers and kinds");
	if (c) {
		day_is(c, 2023, 12, 1, 0, "休");
		day_is(c, 2023, 12, 2, 1, "补班");
		day_is(c, 2023, 12, 4, 0, "假日");
		day_is(c, 2023, 12, 5, 0, "放假");
		day_is(c, 2023, 12, 9, 1, "班");
		day_is(c, 2023, 12, 10, 1, "工作日");
		calendar_free(c);
	}

	p = write_tmp("date,kind,name\n");
	c = NULL;
	is_int(calendar_load(&c, p, NULL), 0, "a header alone: no overrides");
	if (c) {
		day_is(c, 2023, 10, 2, 0, "built-in days still there");
		calendar_free(c);
	}

	p = write_tmp("");
	c = NULL;
	is_int(calendar_load(&c, p, NULL), 0, "an empty file: no overrides");
	calendar_free(c);

	p = write_tmp("日期\t类型\n2023-12-01\t休\n");
	c = NULL;
	is_int(calendar_load(&c, p, NULL), 0, "a TSV file");
	if (c) {
		day_is(c, 2023, 12, 1, 0, "from a TSV file");
		calendar_free(c);
	}

	/* bad files */
	fprintf(stderr, "# the errors below are expected\n");
	p = write_tmp("day,kind\n");
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "a header without date: 78");
	p = write_tmp("date,kind,name\n2023-11-27,holiday,a\n2023-11-28,x,b\n");
	c = NULL;
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "unknown kind: 78");
	ok(c == NULL, "nothing loaded");
	p = write_tmp("date,kind,name\n2023-02-30,holiday,a\n");
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "bad date 2023-02-30: 78");
	p = write_tmp("date,kind,name\nsoon,holiday,a\n");
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "bad date 'soon': 78");
	p = write_tmp("date,kind,name\n2023-11-27 09:00,holiday,a\n");
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "a date with a time: 78");
	p = write_tmp("date,kind,name\n,holiday,a\n");
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "missing date: 78");
	p = write_tmp("day,kind,name\n2023-11-27,holiday,a\n");
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "no date column: 78");
	p = write_tmp("date,name\n2023-11-27,a\n");
	is_int(calendar_load(&c, p, NULL), EXIT_CONFIG, "no kind column: 78");
	is_int(calendar_load(&c, "/nonexistent/calendar.csv", NULL), EXIT_NO_INPUT,
	       "a missing file: 66");
	is_int(calendar_load(&c, "/nonexistent/calendar.csv", "x"), EXIT_USAGE,
	       "bad work hours come first: 64");
}

/* The built-in table printed and loaded back as a file gives the same
 * calendar; a file with ten years off gives CALENDAR_NEVER, not a hang. */
static void test_builtin_text(const struct calendar *c)
{
	char path[] = "/tmp/cityops-cal-XXXXXX";
	struct calendar *c2 = NULL;
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int diff = 0, lines = 0;

	if (!f) {
		perror("fdopen");
		exit(1);
	}
	ok(calendar_write_builtin(f) == 0, "the built-in table is written");
	fclose(f);
	f = fopen(path, "r");
	{
		char line[256];
		while (f && fgets(line, sizeof line, f))
			lines++;
		if (f)
			fclose(f);
	}
	ok(lines > 250, "it has a row per listed day (%d rows)", lines - 1);
	is_int(calendar_load(&c2, path, NULL), 0, "and loads back as calendar.csv");
	if (c2) {
		for (int64_t d = D(2018, 12, 1); d <= D(2026, 12, 31); d++) {
			const char *a = calendar_day_name(c, d), *b = calendar_day_name(c2, d);
			if (calendar_is_workday(c, d) != calendar_is_workday(c2, d) ||
			    (!a) != (!b) || (a && strcmp(a, b) != 0))
				diff++;
		}
		is_int(diff, 0, "with the same days and names");
		calendar_free(c2);
	}
	unlink(path);

	{
		struct calendar *c3 = NULL;
		FILE *g;
		char p3[] = "/tmp/cityops-cal-XXXXXX";
		int fd3 = mkstemp(p3);
		g = fd3 >= 0 ? fdopen(fd3, "w") : NULL;
		if (!g) {
			perror("fdopen");
			exit(1);
		}
		fputs("date,kind,name\n", g);
		for (int64_t d = D(2030, 1, 1); d < D(2030, 1, 1) + 4000; d++) {
			int64_t y;
			unsigned m, dd;
			timeparse_civil_from_days(d, &y, &m, &dd);
			fprintf(g, "%04d-%02u-%02u,holiday,x\n", (int)y, m, dd);
		}
		fclose(g);
		is_int(calendar_load(&c3, p3, NULL), 0, "a file with 4000 days off");
		if (c3) {
			ok(calendar_add_working_days(c3, T(2029, 12, 31, 9, 0), 1) == CALENDAR_NEVER,
			   "no working day for 10 years: CALENDAR_NEVER (days)");
			ok(calendar_add_working_minutes(c3, T(2029, 12, 31, 18, 0), 60) == CALENDAR_NEVER,
			   "no working day for 10 years: CALENDAR_NEVER (minutes)");
			ok(calendar_next_working_time(c3, T(2029, 12, 31, 18, 0)) == CALENDAR_NEVER,
			   "no working day for 10 years: CALENDAR_NEVER (next)");
			is_int(calendar_working_minutes_between(c3, T(2030, 1, 1, 0, 0),
							   T(2040, 1, 1, 0, 0)),
			       0, "and no working minutes in it");
			calendar_free(c3);
		}
		unlink(p3);
	}
	ok(calendar_add_working_minutes(c, T(2023, 1, 1, 0, 0), INT64_MAX / 2) == CALENDAR_NEVER,
	   "an absurd count: CALENDAR_NEVER");
	ok(calendar_add_working_days(c, CALENDAR_NEVER, 3) == CALENDAR_NEVER,
	   "CALENDAR_NEVER stays CALENDAR_NEVER");
}

int main(void)
{
	struct calendar *c = NULL;

	prog_name = "test_calendar";
	ok(calendar_load(&c, NULL, NULL) == 0 && c, "the built-in calendar loads");
	if (!c)
		return tap_done();
	test_2023(c);
	test_other_years(c);
	test_year_totals(c);
	test_arith(c);
	test_limits(c);
	test_hours();
	test_files();
	test_builtin_text(c);
	calendar_free(c);
	for (int i = 0; i < ntmp; i++)
		unlink(tmp_paths[i]);
	return tap_done();
}
