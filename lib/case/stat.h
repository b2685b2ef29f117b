/*
 * stat.h - case-stat's work: which cases (a period, or ids), the summary of
 * the standard indicators, breakdowns by one or two keys, comparison with the
 * previous period or the year before, and report templates (DESIGN §7.3).
 *
 *   struct stat_opts o = { ... };            see the fields
 *   int st = stat_period_parse(&o, "month", "2023-11");   0 or 64 with a message
 *   st = stat_opts_check(&o);                the options together (--pivot,
 *                                            --sort): 0 or 64 with a message
 *   st = stat_run(db, &o, out);              writes the report to out (rows,
 *                                            or a JSON document or a filled
 *                                            template with out_raw); an
 *                                            exit code
 *
 * A case belongs to the period in which its by_time column (reported_at by
 * default) falls; periods are half open, [from, to).  Every rate carries its
 * numerator and denominator; a rate over nothing prints as "-" (JSON null),
 * never as a division by zero.  Values are bound into SQL, never pasted: the
 * only SQL text chosen at run time comes from fixed tables of column
 * expressions keyed by the option's word.
 *
 * A report by keys lists, for a time key (month, week, day, hour), every
 * period of the range, zero rows included, in time order; with --compare,
 * the keys of both periods (a time key's period set beside the one at the
 * same place in the other period), so that its total is the summary's.
 */
#ifndef CITYOPS_STAT_H
#define CITYOPS_STAT_H

#include "calendar.h"
#include "db.h"
#include "ids.h"
#include "out.h"
#include "timeparse.h"
#include "tmpl.h"

enum stat_report { STAT_SUMMARY, STAT_BY };
enum stat_by_time { STAT_BY_REPORTED, STAT_BY_CLOSED, STAT_BY_DUE };
enum stat_basis { STAT_BASIS_RECEIVED, STAT_BASIS_DUE };
enum stat_compare { STAT_COMPARE_NONE, STAT_COMPARE_PREV, STAT_COMPARE_YOY };
enum stat_period {
	STAT_PERIOD_NONE, STAT_PERIOD_MONTH, STAT_PERIOD_QUARTER, STAT_PERIOD_YEAR,
	STAT_PERIOD_RANGE
};

struct stat_opts {
	enum stat_report report;
	const char *keys[2];
	size_t nkeys;
	enum stat_by_time by_time;
	enum stat_basis basis;
	enum stat_compare compare;
	enum stat_period period;
	int64_t from, to;          /* Unix seconds; INT64_MIN/MAX when open */
	const struct ids *ids;     /* these cases, not a period's (NULL: none) */
	int no_cache;              /* read cases, not the facts kept per month */
	long top;
	const char *template_path;
	const struct tmpl_source *more_placeholders;  /* other domains' figures */
	size_t nmore;
	int64_t at;
	const struct calendar *cal;
	const char *sort;          /* a column, "-column" descending (NULL: the
				    * report's order) */
	int pivot;                 /* by ROWS,COLUMNS as a cross-tab */
};

/* Set the period from --month/--quarter/--year ("2023-11", "2023Q4", "2023")
 * or --from/--to (any time timeparse_parse reads); zone_min is the store's. */
int stat_period_parse(struct stat_opts *o, const char *what, const char *arg,
		      int zone_min);
/* "category,unit" -> keys; 64 with a message when a key is unknown. */
int stat_keys_parse(struct stat_opts *o, const char *arg);
int stat_opts_check(const struct stat_opts *o);
int stat_run(struct db *d, const struct stat_opts *o, struct out *out);

#endif
