/*
 * batch.h - a run's row in batches (DESIGN §5): which tool, on what, when,
 * and what it did.  Both calls run inside the caller's transaction, so the
 * row lands with the run's writes or not at all.
 *
 *   struct batch b;
 *   if (batch_begin(d, &b, "case-import", "june.csv") < 0)   db_fail() it
 *   ... b.id goes into the rows the run writes; count into b.read etc.
 *   if (batch_end(d, &b) < 0)                                db_fail() it
 *
 * batch_end() sets finished_at (now), the counts, and status: "ok", or
 * "partial" when b.rejected is not 0.
 */
#ifndef CITYOPS_BATCH_H
#define CITYOPS_BATCH_H

#include "db.h"

struct batch {
	sqlite3_int64 id;
	long long read, inserted, updated, unchanged, rejected;
};

int batch_begin(struct db *d, struct batch *b, const char *tool,
		const char *source);
int batch_end(struct db *d, const struct batch *b);

#endif
