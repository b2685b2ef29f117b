/*
 * timeparse.h - dates and times in, store-zone text out (DESIGN §3).
 *
 * The store keeps time as "YYYY-MM-DD HH:MM:SS" in its zone (meta.timezone,
 * default +08:00, no DST).  timeparse_parse() reads any common form and
 * yields Unix seconds (UTC); timeparse_format() writes Unix seconds as
 * store-zone text.  Nothing here reads the process TZ: mktime/localtime are
 * never used.
 *
 * Accepted (surrounding spaces ignored):
 *   2023-11-27 14:03[:05[.fff]]   2023/11/27 14:03   2023.11.27 14:03
 *   2023-11-27  2023/11/27  2023年11月27日 [14时03分[05秒]]  [14:03[:05]]
 *   ISO 8601: 2023-11-27T14:03:05[.fff][Z|+08:00|+0800|+08]
 *   any of the above followed by a space and Z / UTC / an offset
 *   months and days may lack a leading zero (2023/1/5 9:03)
 *   Unix epoch seconds (9 to 11 digits; 12-13 digits: milliseconds)
 *   Excel serial days (1 to 6 digits with an optional fraction, < 2958466)
 *   YYYYMMDD (8 digits)
 * A time without zone is civil time in the store's zone.  With
 * opts->date_format (strptime format, e.g. "%m/%d/%Y %I:%M:%S %p"), only that
 * format is tried; %z in it is honoured.
 *
 * Validation: month 1-12, day within the month (leap years), hour 0-23
 * (24:00:00 is accepted as the next midnight), minute 0-59, second 0-60,
 * year 1900-2199.  On error timeparse_parse() returns -1 and *why (if not
 * NULL) points to a static reason such as "invalid date" or "unrecognised
 * time".
 *
 * Calendar helpers are exact over the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil).
 */
#ifndef CITYOPS_TIMEPARSE_H
#define CITYOPS_TIMEPARSE_H

#define TIMEPARSE_TEXT_LEN 20 /* "YYYY-MM-DD HH:MM:SS" + NUL */

struct timeparse_opts {
	const char *date_format;  /* NULL: automatic */
	int zone_min;             /* store zone offset east of UTC, minutes */
};

int timeparse_parse(const char *s, size_t n, const struct timeparse_opts *o, int64_t *out,
	     const char **why);
/*
 * A time of an input column: in the user's --date-format (o->date_format),
 * else in the form detected for the column (NULL: none, see
 * timeparse_detect), and in any automatic form as well, so that a file
 * whose column mixes the two reads whole.  0, or -1 with *why saying what
 * was wrong (the automatic forms' reason when the format was not the
 * user's).
 */
int timeparse_read(const char *s, size_t n, const struct timeparse_opts *o,
		   const char *detected, int64_t *out, const char **why);
void timeparse_format(int64_t t, int zone_min, char out[TIMEPARSE_TEXT_LEN]);
/* "+08:00", "+0800", "+08", "Z", "UTC" -> minutes; -1 on error */
int timeparse_zone(const char *s, int *minutes);

/*
 * Which strptime form reads every one of vals (values that no automatic
 * form reads, e.g. NYC's "04/12/2018 11:11:26 AM")?  Tried in turn: month
 * and day first with / - or . ("%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M",
 * "%m/%d/%y", "%d.%m.%Y" ...), "%Y%m%d%H%M%S", English month names
 * ("%d-%b-%Y", "%b %d, %Y").  0: d->form reads them all, and any other
 * form that does reads them alike.  -2: two forms read them differently
 * (every day 12 or less: both %m/%d and %d/%m fit): d->form and d->other,
 * and vals[d->example] read as d->t1 and d->t2.  -1: no form reads them
 * all.  strptime is used in the C locale (%p is AM/PM, %b English) here
 * and for --date-format.
 */
struct timeparse_detected {
	const char *form, *other;
	size_t example;
	int64_t t1, t2;
};
int timeparse_detect(const char *const *vals, const size_t *lens, size_t n,
	      struct timeparse_detected *d);

int64_t timeparse_days_from_civil(int64_t y, unsigned m, unsigned d);
void timeparse_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
int timeparse_days_in_month(int64_t y, unsigned m);

/* The store's own text, "2023-07-01 10:00:00" in the zone, read without the
 * general parser (the inverse of timeparse_format, years 1900-2199) into
 * Unix seconds; -1 when s is not exactly that form (n == 19) or not a valid
 * time, for the caller's general path.  Stored times and most exports are
 * in it: the readers of every domain try it first. */
int timeparse_canonical(const char *s, size_t n, int zone_min, int64_t *t);

#endif
