/*
 * statint.h - inside case-stat: what stat.c (periods, selection, the
 * summary, templates) and statby.c (reports by keys, pivots) share.  Not an
 * API: only lib/case/stat*.c include it.
 *
 *   stat_key_find("month", 5)       the key's definition, or NULL
 *   stat_tally(c, &fact, at)        a case's counts added to c[STAT_C_N]
 *   stat_prepare(d, o, &b, &sql, tail, &st)    sql (a SELECT's columns)
 *                                   + FROM cases WHERE the selection + tail,
 *                                   prepared and bound; 0 or an exit code
 *   stat_from_facts(o, by_keys)     can the month facts answer?
 *   stat_by_rows(d, o, &b, &rows)   the rows of a report by o->keys
 *   stat_by_print(out, o, &in)      merge, fill, sort and write them
 *   stat_rows_free(&rows)
 */
#ifndef CITYOPS_STATINT_H
#define CITYOPS_STATINT_H

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "out.h"
#include "timeparse.h"
#include "case/facts.h"
#include "case/stat.h"

/* The counts of a set of cases, as stat_tally() adds them up. */
enum {
	STAT_C_RECEIVED, STAT_C_REGISTERED, STAT_C_DISPATCHED, STAT_C_CLOSED,
	STAT_C_SELF, STAT_C_VOID, STAT_C_PARKED, STAT_C_OPEN, STAT_C_OVERDUE,
	STAT_C_ONTIME_CLOSED, STAT_C_DUE, STAT_C_DUE_CLOSED, STAT_C_DUE_ONTIME,
	STAT_C_DISP, STAT_C_DISP_DONE, STAT_C_DISP_ONTIME, STAT_C_REWORKED,
	STAT_C_POSTPONED, STAT_C_N
};

/* The keys the facts of a month can give (by the time reported). */
enum stat_fact_key {
	STAT_FK_NONE, STAT_FK_CATEGORY, STAT_FK_MONTH, STAT_FK_STATE, STAT_FK_DAY,
	STAT_FK_HOUR
};

/* Keys that name a time: their rows go in time order, every period. */
enum stat_time_key {
	STAT_TK_NONE, STAT_TK_MONTH, STAT_TK_WEEK, STAT_TK_DAY, STAT_TK_HOUR
};

struct stat_key {
	const char *name;
	const char *zh;
	const char *expr[3];  /* by reported, closed, due */
	enum stat_fact_key fact_key;
	enum stat_time_key time_key;
};

const struct stat_key *stat_key_find(const char *s, size_t n);

/* A period's bounds as the store writes times, for binding. */
struct stat_bounds {
	char from[TIMEPARSE_TEXT_LEN], to[TIMEPARSE_TEXT_LEN], at[TIMEPARSE_TEXT_LEN];
	char mfrom[8], mto[8];
};

int stat_prepare(struct db *d, const struct stat_opts *o, const struct stat_bounds *b,
		 struct buf *sql, const char *tail, sqlite3_stmt **st);
int stat_from_facts(const struct stat_opts *o, int by_keys);
void stat_tally(long long *c, const struct fact *f, int64_t at);

/* A row of a report by keys: its key values (NULL: none) and counts. */
struct stat_row {
	double sk[3];          /* the sort key, see statby.c (first: a pivot's rows
				* sort by the same comparison) */
	double kr[2], gr[2];   /* each key's rank: by value, in the report's order */
	char *k[2];
	int64_t id[2];         /* the keys as numbers, while rows come from facts */
	long long c[STAT_C_N];
	long long prev;        /* received in the period compared with */
};

struct stat_rows {
	struct stat_row *v;
	size_t n, cap;
};

int stat_by_rows(struct db *d, const struct stat_opts *o,
		 const struct stat_bounds *b, struct stat_rows *rows);
void stat_rows_free(struct stat_rows *rows);

/* What a report by keys is made of: the rows of the period and of the one
 * compared with (NULL: no --compare), and both periods' bounds in Unix
 * seconds (INT64_MIN / INT64_MAX: open; then the cases say). */
struct stat_by_input {
	struct stat_rows *rows, *prev;
	int64_t from, to, pfrom, pto;
	int zone;
	const char *prev_name;    /* "2023-10-01 00:00:00 to ..." for messages */
};

int stat_by_print(struct out *out, const struct stat_opts *o,
		  struct stat_by_input *in);

/* A figure as text: kind 0 a count, 1 a rate, 2 hours; NAN is "-" (JSON:
 * null). */
void stat_fmt_metric(char *buf, size_t n, int kind, double v, int json);

#endif
