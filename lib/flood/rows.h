/*
 * rows.h - new readings on their way into the store, a block at a time,
 * written by a thread of their own while the caller reads on.
 *
 *   struct flood_rows *b = flood_rows_new(db);     NULL: a store error
 *                                                  (db_fail() says which)
 *   flood_rows_start(b, batch);       the readings that follow are of batch
 *   rc = flood_rows_add(b, st->id, at, cm, quality, qlen, bad);
 *           0, or -1: a block written meanwhile failed (a store error)
 *   rc = flood_rows_sync(b);          wait until no block is being written:
 *                                     0, or -1 when one failed.  Call it
 *                                     before any other use of the store
 *   rc = flood_rows_flush(b);         write what is left and wait: 0 / -1
 *   flood_rows_discard(b);            wait, and drop what is left (a file
 *                                     rolled back) and a failure
 *   why = flood_rows_why(b);          after a failure: its reason, or NULL
 *                                     when SQLite's (sqlite3_errmsg) is it
 *   flood_rows_free(b);
 *
 * A full block of FLOOD_ROWS_MAX readings goes to the writer thread
 * (started with the first) and the caller fills the other, so parsing and
 * evaluating go on while SQLite inserts: the store is the writer's from the
 * hand-over to the next flood_rows_sync(), the caller's the rest of the
 * time (one connection, never used by both at once).  A block is one
 * INSERT ... SELECT over an eponymous virtual table ("flood_rows", direct
 * only: no view or trigger can name it), not a statement per reading.
 *
 * The readings must be new to the store (no reading of that station at
 * that time stored): the write fails unless it stored every one of them,
 * so one that is not new cannot vanish.  (OR IGNORE, not a plain INSERT:
 * a plain INSERT ... SELECT may abort half-way, so SQLite keeps a
 * statement journal of every page it changes, as much again as the
 * readings themselves.)  at (19
 * bytes) and quality are copied; station must outlive the block (a
 * station's id), bad be a static string (a reason from eval.h).  Memory:
 * two blocks, whatever the input.
 */
#ifndef CITYOPS_FLOOD_ROWS_H
#define CITYOPS_FLOOD_ROWS_H

#include <stddef.h>

#include "db.h"

#define FLOOD_ROWS_MAX 4096

struct flood_rows;

struct flood_rows *flood_rows_new(struct db *d);
void flood_rows_start(struct flood_rows *b, sqlite3_int64 batch);
int flood_rows_add(struct flood_rows *b, const char *station, const char *at,
		   double cm, const char *quality, size_t qlen, const char *bad);
int flood_rows_sync(struct flood_rows *b);
const char *flood_rows_why(const struct flood_rows *b);
int flood_rows_flush(struct flood_rows *b);
void flood_rows_discard(struct flood_rows *b);
void flood_rows_free(struct flood_rows *b);

#endif
