/*
 * stat.h - case-stat's work: which cases (a period, or ids), the summary of
 * the standard indicators, breakdowns by one or two keys, comparison with the
 * previous period or the year before, and report templates (DESIGN §7.3).
 *
 *   struct stat_opts o = { ... };            see the fields
 *   int st = stat_period_parse(&o, "month", "2023-11");   0 or 64 with a message
 *   st = stat_run(db, &o);                   prints the report; an exit code
 *
 * A case belongs to the period in which its by_time column (reported_at by
 * default) falls; periods are half open, [from, to).  Every rate carries its
 * numerator and denominator; a rate over nothing prints as "-" (JSON null),
 * never as a division by zero.  Values are bound into SQL, never pasted: the
 * only SQL text chosen at run time comes from fixed tables of column
 * expressions keyed by the option's word.
 */
#ifndef CITYOPS_STAT_H
#define CITYOPS_STAT_H

#include "calendar.h"
#include "db.h"
#include "opt.h"
#include "timeparse.h"

enum stat_report { STAT_SUMMARY, STAT_BY };
enum stat_by_time { BY_REPORTED, BY_CLOSED, BY_DUE };
enum stat_basis { BASIS_RECEIVED, BASIS_DUE };
enum stat_compare { COMPARE_NONE, COMPARE_PREV, COMPARE_YOY };
enum stat_period { PERIOD_NONE, PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR, PERIOD_RANGE };

struct stat_opts {
	const struct opt_common *co;
	enum stat_report report;
	const char *keys[2];
	size_t nkeys;
	enum stat_by_time by_time;
	enum stat_basis basis;
	enum stat_compare compare;
	enum stat_period period;
	int64_t from, to;          /* Unix seconds; INT64_MIN/MAX when open */
	int ids_from_stdin;
	int no_cache;              /* read cases, not the facts kept per month */
	long top;
	const char *template_path;
	int64_t at;
	const struct calendar *cal;
	enum out_format out_format;
};

/* Set the period from --month/--quarter/--year ("2023-11", "2023Q4", "2023")
 * or --from/--to (any time timeparse_parse reads); zone_min is the store's. */
int stat_period_parse(struct stat_opts *o, const char *what, const char *arg,
		      int zone_min);
/* "category,unit" -> keys; 64 with a message when a key is unknown. */
int stat_keys_parse(struct stat_opts *o, const char *arg);
int stat_run(struct db *d, const struct stat_opts *o);

#endif
