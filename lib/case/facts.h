/*
 * facts.h - a case as case-stat counts it, and the store's per-month cache
 * of them (table stat_months, schema v3).
 *
 * case-stat needs of a case only its state, which of its times are set,
 * whether it was closed and handled in time, its counters, its category and
 * three times.  A fact holds that in 32 bytes.  The facts of the cases
 * reported in one month are kept as one blob in stat_months, so a report on
 * a year reads twelve blobs instead of a million rows; triggers on cases
 * delete a month's blob in the same transaction as any write that changes
 * what it holds, so a blob that is there is never stale.
 *
 *   struct fact f;
 *   const char *category;
 *   facts_from_row(st, zone_min, &f, &category);  columns FACT_COLUMNS of cases
 *
 *   int st = facts_each_month(d, "2023-01", "2024-01", fn, ctx);
 *        calls fn(ctx, &month) for each month in [from, to), in order, all
 *        read in one snapshot of the store.  A month not in stat_months is
 *        read from cases and then kept, as a best effort that never waits
 *        for a lock: when another process writes meanwhile, or the store
 *        is read-only, the figures are still right and the next run builds
 *        the month again.
 *        Returns 0 or an exit code after a message.
 *
 * Times are Unix seconds, FACT_NONE when absent or unreadable.  The blob is
 * in the machine's byte order with a header that says so; a blob from
 * another machine, zone or format is rebuilt, never misread.
 */
#ifndef CITYOPS_FACTS_H
#define CITYOPS_FACTS_H

#include <stdint.h>

#include <sqlite3.h>

#include "db.h"

#define FACT_NONE INT64_MIN
#define FACT_NO_CATEGORY UINT32_MAX

/* the state (enum case_state) in the low three bits of flags */
#define FACT_STATE 7u
#define FACT_REGISTERED_AT (1u << 3)
#define FACT_DISPATCHED_AT (1u << 4)
#define FACT_HANDLED_AT (1u << 5)
#define FACT_SELF (1u << 6)            /* self_disposed */
#define FACT_REWORKED (1u << 7)        /* reworks > 0 */
#define FACT_POSTPONED (1u << 8)       /* postponements > 0 */
#define FACT_CLOSED_ONTIME (1u << 9)   /* no due time, or closed_at <= due_at */
#define FACT_DONE_ONTIME (1u << 10)    /* handled (else closed) by the due time,
					* or done with no due time */

struct fact {
	int64_t reported, closed, due;
	uint32_t flags;
	uint32_t cat;     /* index into fact_month.cats, or FACT_NO_CATEGORY */
};

struct fact_month {
	char month[8];            /* "YYYY-MM" */
	int monthno;              /* year * 12 + month - 1 */
	const struct fact *v;
	size_t n;
	char **cats;
	size_t ncats;
};

#define FACT_COLUMNS \
	"state, registered_at, dispatched_at, handled_at, closed_at, due_at," \
	" self_disposed, reworks, postponements, reported_at, category"

void facts_from_row(sqlite3_stmt *st, int zone_min, struct fact *f,
		   const char **category);

typedef void fact_month_fn(void *ctx, const struct fact_month *m);
int facts_each_month(struct db *d, const char *from, const char *to,
		     fact_month_fn *fn, void *ctx);

#endif
