/*
 * check.h - a flood-check run: readings into the store, each station's
 * state machine (eval.h) over them in time order, the transitions out.
 *
 *   struct flood_run *r = flood_check_begin(db, &opts, &status);
 *           takes the store's write lock (BEGIN IMMEDIATE) and loads every
 *           station's state; NULL with status after a message
 *   st = flood_check_file(r, path);    one input file ("-": stdin): all its
 *           readings or, after a bad row without keep_going, none (65)
 *   st = flood_check_end(r, out, &found);
 *           the clock (stale stations at opts.at), the transitions of this
 *           run (and, with a hook, those whose hook failed before) to out,
 *           commit (dry_run: roll back), then the hook once per transition;
 *           found: an alert at or above opts.fail_on is open.  Frees r.
 *
 * State between runs lives in flood_state, one row per station; evaluation
 * streams each station's readings in time order with memory bounded by the
 * number of stations.  Readings already in the store are ignored (the key
 * is time and station), readings older than the station's newest evaluated
 * one are stored but never evaluated (an old reading never re-opens a
 * closed alert), and a file whose readings of one station come out of
 * order has that station evaluated again, in time order, from the store.
 *
 * Writing: a reading newer than every reading stored before the run and
 * than every one of its station stored by the run cannot be a duplicate;
 * such readings go in by blocks (rows.h) without a search for one.  Any
 * other goes in alone with INSERT OR IGNORE, after the block.  A year of
 * one-minute readings of the 11 stations, in time order, takes the first
 * way; a cron run's handful either.
 */
#ifndef CITYOPS_FLOOD_CHECK_H
#define CITYOPS_FLOOD_CHECK_H

#include <stdint.h>

#include "db.h"
#include "flood/eval.h"
#include "flood/input.h"
#include "flood/message.h"
#include "flood/notify.h"
#include "flood/station.h"
#include "out.h"

struct flood_check_opts {
	const struct stations *ss;
	const struct flood_msgs *msgs;
	struct flood_rules rules;
	struct flood_in_opts in;        /* zone_min is the store's */
	const char *rejects;
	int keep_going;
	int dry_run;
	int progress;
	int64_t at;                     /* the clock */
	const struct flood_hook *hook;  /* --exec, or NULL */
	int fail_on;                    /* level 1..4, 0: none */
};

struct flood_run;
struct flood_run *flood_check_begin(struct db *d, const struct flood_check_opts *o,
				    int *status);
int flood_check_file(struct flood_run *r, const char *path);
int flood_check_end(struct flood_run *r, struct out *out, int *found);

/* The columns of the transitions (and of the hook's environment). */
extern const struct out_col flood_event_cols[];
extern const size_t flood_event_ncols;

/* Load the state of station st from the store (and rebuild its rate
 * window): 0, or -1 on a store error.  For --status too. */
int flood_state_load(struct db *d, const struct station *st, struct flood_state *s,
		     int64_t ids[4]);

#endif
