/*
 * firstload.h - a first load into a store that does not exist yet: built in
 * a side file with no journal, made durable, then put in place at once, so
 * that the store appears whole or not at all (DESIGN §5, §8).
 *
 *   struct firstload *fl;
 *   struct db *d;
 *   int st = firstload_begin(store, busy_ms, &d, &fl);
 *        1: d is open on STORE-load (16 KiB pages, journal off, the schema
 *           made): load it, in one transaction, then
 *               st = firstload_commit(fl, &d);   0 the store is in place (d
 *                                                is NULL: open it as usual);
 *                                                1 a store appeared there in
 *                                                the meantime (another tool
 *                                                made it): nothing was put in
 *                                                place, load into that one
 *           or, when the load failed, firstload_abort(fl, &d);
 *        0: the store exists (now): open it as usual
 *        or minus an exit code (message printed): 73 the side file cannot
 *           be made, 75 another run held it past the busy timeout
 *
 * Without a journal nothing can be rolled back: a load that fails is
 * dropped with its side file.  The side file is locked (flock) while it is
 * built, so two first loads of one store take turns: the second finds the
 * store there when its turn comes.  A side file left by a crash is taken
 * over and emptied by the next first load.  The store is linked into place
 * (link(2), which never replaces a file), so a store that another process
 * made meanwhile is never overwritten.
 */
#ifndef CITYOPS_CASE_FIRSTLOAD_H
#define CITYOPS_CASE_FIRSTLOAD_H

#include "db.h"

struct firstload;

int firstload_begin(const char *store, int busy_ms, struct db **d,
		    struct firstload **fl);
int firstload_commit(struct firstload *fl, struct db **d);
void firstload_abort(struct firstload *fl, struct db **d);

#endif
