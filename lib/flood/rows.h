/*
 * rows.h - new readings on their way into the store, a block at a time.
 *
 *   struct flood_rows *b = flood_rows_new(db);     NULL: a store error
 *                                                  (db_fail() says which)
 *   if (flood_rows_add(b, st->id, at, cm, quality, qlen, bad) > 0)
 *           the block is full: flood_rows_flush()
 *   rc = flood_rows_flush(b, batch);  the block's readings in one INSERT,
 *                                     0, or -1 on a store error; empty now
 *   flood_rows_discard(b);            empty it without writing (a file
 *                                     rolled back)
 *   flood_rows_free(b);
 *
 * The readings of a block must be new to the store (no reading of that
 * station at that time stored): they go in with a plain INSERT, without
 * OR IGNORE, so that one that is not new makes the flush fail instead of
 * vanishing.  The block is read by the INSERT through an eponymous virtual
 * table ("flood_rows", direct only: no view or trigger can name it), so a
 * block of FLOOD_ROWS_MAX readings costs one statement, not one each.
 * Strings are copied: station ids, at (19 bytes), quality; bad must be a
 * static string (a reason from eval.h).  Memory: one block, whatever the
 * input.
 */
#ifndef CITYOPS_FLOOD_ROWS_H
#define CITYOPS_FLOOD_ROWS_H

#include <stddef.h>

#include "db.h"

#define FLOOD_ROWS_MAX 4096

struct flood_rows;

struct flood_rows *flood_rows_new(struct db *d);
int flood_rows_add(struct flood_rows *b, const char *station, const char *at,
		   double cm, const char *quality, size_t qlen, const char *bad);
size_t flood_rows_count(const struct flood_rows *b);
int flood_rows_flush(struct flood_rows *b, sqlite3_int64 batch);
void flood_rows_discard(struct flood_rows *b);
void flood_rows_free(struct flood_rows *b);

#endif
