/*
 * calendar.h - the working calendar and working-time arithmetic (DESIGN §6
 * calendar.csv, §7.2 due_at).
 *
 * A day is a working day when it is Monday to Friday and not a holiday, or
 * when it is listed as a make-up working day (调休, 补班).  Built in are the
 * State Council (国务院办公厅) holiday schedules, make-up days included, from
 * 2019 to the latest published year (calendar_write_builtin() prints them); a
 * calendar.csv adds days or overrides built-in ones.  Days outside every
 * table follow the Monday-to-Friday rule.
 *
 *   struct calendar *c;
 *   int st = calendar_load(&c, path_or_NULL, hours_or_NULL);
 *           0, or an exit code after a message: 64 bad work hours (a usage
 *           error), 66 the file cannot be opened, 78 a bad file
 *           ("calendar.csv:7: unknown kind 'x'"), 74 a read error
 *   ...
 *   calendar_free(c);
 *
 * calendar.csv: a header and the columns date, kind, name (also 日期, 类型,
 * 名称).  date is anything timeparse_parse() reads as a date without a time of day
 * (2023-10-07, 2023/10/7, 2023年10月7日, 20231007); kind is holiday (also
 * 假日, 休, 放假, 节假日, rest, off) or workday (also 班, 补班, 工作日, 上班,
 * work); name is optional.  A row whose date starts with '#' is a comment.
 * The file wins over the built-in table, and a later row over an earlier one.
 *
 * Work hours default to CALENDAR_DEFAULT_HOURS, "08:30-12:00,14:30-18:00": 1 to
 * 4 periods HH:MM-HH:MM (the last may end at 24:00), in order and not
 * overlapping, separated by ',' or ';'.  They are the same on every working
 * day, make-up days included.
 *
 * Days are civil days since 1970-01-01 (timeparse_days_from_civil()).  Times are
 * "local seconds": civil seconds since 1970-01-01 00:00 in the store's zone.
 * The caller converts, local = epoch + zone_min * 60 and back.  Every
 * function below takes and returns local seconds.
 *
 *   calendar_is_workday(c, day)         1 working day, 0 not
 *   calendar_day_name(c, day)           the table's name for the day ("国庆节")
 *                                  when the table lists it, else NULL
 *   calendar_weekday(day)               1 Monday .. 7 Sunday
 *   calendar_last_day(c)                the last day any table lists: later days
 *                                  follow Monday to Friday only (a tool may
 *                                  warn that the schedule is not known)
 *   calendar_next_working_time(c, t)    t itself when inside working hours, else
 *                                  the start of the next working period
 *   calendar_add_working_days(c, t, n)  the same clock time on the n-th working
 *                                  day after t's day (t's own day need not be
 *                                  one); n <= 0 gives t
 *   calendar_add_working_minutes(c, t, m)
 *                                  the instant at which m minutes inside
 *                                  working hours have passed, counted from t,
 *                                  or from the next working period when t is
 *                                  outside one; a count that ends exactly at
 *                                  a period's end gives that end (Friday 16:00
 *                                  + 120 gives Friday 18:00); m <= 0 gives t.
 *                                  n working hours are n * 60 minutes.
 *   calendar_add_minutes(t, m)          t + m minutes (clock time, no calendar)
 *   calendar_working_seconds_between(c, a, b), calendar_working_minutes_between()
 *                                  working time in [a, b), 0 when b <= a;
 *                                  minutes are rounded down.  Whole days are
 *                                  counted arithmetically, not one by one.
 *
 * Lookups are O(1) (one byte per day over the tables' span): a router calls
 * them for every case.  The add functions return CALENDAR_NEVER (INT64_MAX) when
 * the answer lies more than CALENDAR_HORIZON_DAYS after t, or when
 * CALENDAR_GAP_DAYS days in a row have no working day; they never loop forever.
 *
 * Limits, as written in classes.csv and rules.csv: a number and a unit,
 * "4wh" working hours, "2wd" working days, "6h" hours, also "4工作时",
 * "2工作日", "6小时" ("4 wh", "2个工作日" too; units ignore ASCII case).
 *
 *   struct calendar_limit l;
 *   if (calendar_parse_limit("4wh", &l) < 0) ...       0 ok, -1 bad
 * A limit is at most ten years (CALENDAR_LIMIT_MAX_DAYS working days,
 * CALENDAR_LIMIT_MAX_HOURS hours or working hours): no deadline lies further
 * ahead, and a longer one (100000wd) would pass the calendar's horizon and
 * leave a case without a due time.  calendar_limit_valid() checks one built by
 * hand.
 *   due = calendar_apply_limit(c, start, &l);          CALENDAR_NEVER as above
 *   calendar_format_limit(&l, buf, sizeof buf);        "4wh", "2wd", "6h"
 * A class (case/taxonomy.h) keeps its limit as a struct calendar_limit.
 *
 * calendar_write_builtin(f) writes the built-in table as calendar.csv text (one
 * row per listed day); the output loads back with calendar_load().
 */
#ifndef CITYOPS_CALENDAR_H
#define CITYOPS_CALENDAR_H

#define CALENDAR_DEFAULT_HOURS "08:30-12:00,14:30-18:00"
#define CALENDAR_NEVER INT64_MAX
#define CALENDAR_HORIZON_DAYS 36600 /* about 100 years */
#define CALENDAR_GAP_DAYS 3660      /* about 10 years */
#define CALENDAR_MAX_PERIODS 4
#define CALENDAR_LIMIT_MAX_DAYS 3660
#define CALENDAR_LIMIT_MAX_HOURS 87840
/* for messages: what a limit looks like */
#define CALENDAR_LIMIT_HELP "e.g. 4wh, 2wd or 6h; at most 3660wd, 87840wh or 87840h"

enum calendar_unit { CALENDAR_WORKING_HOURS, CALENDAR_WORKING_DAYS, CALENDAR_HOURS };

struct calendar_limit {
	enum calendar_unit unit;
	int n;
};

struct calendar;

int calendar_load(struct calendar **out, const char *path,
		  const char *work_hours);
void calendar_free(struct calendar *c);

int calendar_is_workday(const struct calendar *c, int64_t day);
const char *calendar_day_name(const struct calendar *c, int64_t day);
int calendar_weekday(int64_t day);
int64_t calendar_last_day(const struct calendar *c);

int64_t calendar_next_working_time(const struct calendar *c, int64_t t);
int64_t calendar_add_working_days(const struct calendar *c, int64_t t, int n);
int64_t calendar_add_working_minutes(const struct calendar *c, int64_t t,
				int64_t minutes);
int64_t calendar_add_minutes(int64_t t, int64_t minutes);
int64_t calendar_working_seconds_between(const struct calendar *c, int64_t a,
				    int64_t b);
int64_t calendar_working_minutes_between(const struct calendar *c, int64_t a,
				    int64_t b);

int calendar_parse_limit(const char *s, struct calendar_limit *out);
int calendar_limit_valid(const struct calendar_limit *l);
int64_t calendar_apply_limit(const struct calendar *c, int64_t t,
			const struct calendar_limit *l);
void calendar_format_limit(const struct calendar_limit *l, char *buf, size_t n);

int calendar_write_builtin(FILE *f);

#endif
