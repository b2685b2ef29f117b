/*
 * normalise.h - a case export's record, as case-import stores it: the fields
 * of DESIGN §5 with their Chinese and English aliases, and the checks and
 * conversions of DESIGN §7.1 (times in the store's zone, coordinates,
 * kind and class through the taxonomy, states in Chinese, English or codes).
 *
 *   struct normaliser n = { tax, &tpo, src, now, source };
 *   struct crow row;  struct buf data = BUF_INIT;
 *   normalise_record(&n, &rec, rc, &row, &data, raw_csv, ctx);
 *                                       rc as rec_next() gave it
 *   row.bad: the first reason the row is refused is its text column T_REASON
 *   crow_col(&row, &data, T_ID, &len): a text column, NULL when absent
 *
 * A row's text lives in a shared buffer (data) at row.off[c], row.len[c]
 * bytes; CROW_NONE as a length is "no value".  What the record does not say
 * stays without a value, so that an update can leave it as the store has
 * it: kind and class when no kind, class or category column gave one; the
 * state when neither a state nor a closed_at did; self_disposed, reworks
 * and postponements (CROW_ABSENT) when their columns did not.  A new case
 * takes the defaults: event, registered, 0.  The reader thread fills a
 * block of rows and their buffer, the writer thread stores them.
 */
#ifndef CITYOPS_CASE_NORMALISE_H
#define CITYOPS_CASE_NORMALISE_H

#include <stdint.h>

#include "buf.h"
#include "rec.h"
#include "timeparse.h"
#include "case/taxonomy.h"

/* Input fields, in this order (import_fields[]). */
enum {
	F_ID, F_SOURCE, F_KIND, F_CLASS_CODE, F_BIG_CLASS, F_SMALL_CLASS,
	F_CATEGORY, F_DESCRIPTION, F_ADDRESS, F_DISTRICT, F_STREET, F_COMMUNITY,
	F_GRID, F_LON, F_LAT, F_OBJECT_ID, F_REPORTER, F_REPORTED_AT,
	F_REGISTERED_AT, F_DISPATCHED_AT, F_HANDLED_AT, F_CLOSED_AT, F_DUE_AT,
	F_STATE, F_UNIT, F_SELF_DISPOSED, F_REWORKS, F_POSTPONEMENTS,
	F_TICKET_ID, NFIELDS
};

/* Text columns of a normalised row: T_ID .. T_TICKET_ID are bound to the
 * insert in this order. */
enum {
	T_ID, T_SOURCE, T_KIND, T_CLASS_CODE, T_BIG_CLASS, T_SMALL_CLASS,
	T_DESCRIPTION, T_ADDRESS, T_DISTRICT, T_STREET, T_COMMUNITY, T_GRID,
	T_OBJECT_ID, T_REPORTER, T_REPORTED_AT, T_REGISTERED_AT,
	T_DISPATCHED_AT, T_HANDLED_AT, T_CLOSED_AT, T_DUE_AT, T_STATE, T_UNIT,
	T_TICKET_ID, T_CATEGORY, T_DUPLICATE_OF, T_REASON, T_RAW, NTEXT
};

#define CROW_NONE UINT32_MAX
#define CROW_ABSENT (-1)

/* The five times a case's steps carry, then due_at: their names, input
 * fields and text columns. */
#define CROW_NTIMES 6
extern const char *const crow_time_names[CROW_NTIMES];
extern const int crow_time_cols[CROW_NTIMES];

struct crow {
	long line;
	int bad;
	int warn_order;          /* the time (index) that is before reported_at */
	int has_xy;
	int self_disposed, reworks, postponements;
	double lon, lat;
	int64_t t_reported;
	uint32_t off[NTEXT], len[NTEXT];
};

struct normaliser {
	const struct taxonomy *tax;
	const struct timeparse_opts *tpo;   /* date_format: --date-format */
	const struct rec_src *src;          /* the time forms rec detected */
	int64_t now;                 /* a time after now + 1 day is refused */
	const char *source;          /* for rows that name none */
};

extern const struct rec_field import_fields[NFIELDS];

/* rc 2 is a bad record (in->reason); raw_csv(ctx, buf) gives the record as
 * read, for the rejects file, and is called only for a bad row. */
void normalise_record(const struct normaliser *n, const struct rec *in, int rc,
		      struct crow *row, struct buf *data,
		      void (*raw_csv)(void *ctx, struct buf *out), void *ctx);
const char *crow_col(const struct crow *row, const struct buf *data, int c,
		     size_t *len);

#endif
