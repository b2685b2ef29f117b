/*
 * eval.h - one station's evaluation: the state machine that turns readings,
 * in time order, into transitions (DESIGN §7.5).  Pure: no store, no
 * output; check.c keeps the state in the store between runs and writes
 * what it emits.
 *
 *   struct flood_state s;  flood_state_init(&s);
 *   flood_window_add(&s, t, cm);     rebuild the rate window (readings of
 *                                    the last 30 minutes) after a load
 *   const char *bad = flood_eval_reading(st, &rules, &s, t, cm, why, emit, ctx);
 *                                    a reading newer than s.last_at; why is
 *                                    its static reason to be bad (negative,
 *                                    above max_cm) or NULL; returns the
 *                                    reason it was bad (why, or a jump), NULL
 *                                    when it was used for the level
 *   flood_eval_clock(st, &rules, &s, now, emit, ctx);   stale at time now
 *
 * The level alert enters level L when min_n readings in a row (and at least
 * min_s seconds from the first of them) reach thr[L]; it stays at L while
 * readings are at least thr[L] - clear_cm; so a level oscillating around a
 * threshold gives one alert, not many.  Entering a higher level is
 * "escalated", leaving to a lower one "deescalated", leaving all "cleared".
 * The rate of rise is the least-squares slope of the plausible readings of
 * the last 30 minutes (at least 3 readings over at least 10 minutes):
 * "rising" when it reaches rise_cm_per_h; the rise alert ends, silently,
 * when it falls below half that.  "stale" when no reading came for
 * stale_min minutes (between readings, or at the clock), "back" with the
 * next reading.  Implausible readings are not used for the level: three in
 * a row are "bad", the next plausible one "back".  A jump is a change from
 * the last plausible reading faster than jump_cm_per_min (per minute, at
 * least one); three readings in a row that agree with one another but not
 * with the last plausible one are taken as the new level (a sensor moved).
 *
 * emit(ctx, e) returns 0, or -1 to stop (a store error): the functions
 * return -1 then (flood_eval_reading returns NULL and sets s.failed).
 */
#ifndef CITYOPS_FLOOD_EVAL_H
#define CITYOPS_FLOOD_EVAL_H

#include <stdint.h>

#include "flood/station.h"

#define FLOOD_NONE INT64_MIN
#define FLOOD_WINDOW_S 1800
#define FLOOD_WINDOW_MAX 128
#define FLOOD_BAD_STREAK 3

enum flood_event_kind {
	FE_OPENED, FE_ESCALATED, FE_DEESCALATED, FE_CLEARED, FE_STALE,
	FE_BACK, FE_RISING, FE_BAD, FE_RISE_END,   /* FE_RISE_END is not shown */
	FE_NKINDS
};

struct flood_rules {
	int min_n;          /* readings in a row before entering a level */
	int64_t min_s;      /* and seconds from the first of them */
};

struct flood_state {
	int64_t last_at;             /* newest reading evaluated, FLOOD_NONE */
	int64_t good_at;             /* newest plausible reading */
	double good_cm;
	int level;                   /* the level alert, 0 none */
	int64_t level_at;
	double peak_cm;
	int64_t peak_at;
	int run_n[FLOOD_NLEVELS + 1];
	int64_t run_from[FLOOD_NLEVELS + 1];
	int stale, bad, rising;
	int bad_n, jump_n;
	double jump_cm;
	int64_t jump_at;
	/* the rate window: not stored, rebuilt from readings */
	int64_t win_t[FLOOD_WINDOW_MAX];
	double win_v[FLOOD_WINDOW_MAX];
	unsigned win_head, win_n;
	unsigned win_nz;             /* points whose value is not 0 */
	double rate;                 /* cm/h */
	int has_rate;
	int failed;
};

struct flood_event {
	enum flood_event_kind kind;
	int level;                   /* the level now (cleared: the level left) */
	int from;                    /* the level before */
	int64_t at;
	double cm;
	int has_cm;
	double rate;
	int has_rate;
	double peak;                 /* the level alert's highest reading */
	int64_t since;               /* stale: the last reading */
	const char *why;             /* bad: the reason of the last one */
	enum flood_event_kind ended; /* back: FE_STALE or FE_BAD */
};

typedef int (*flood_emit_fn)(void *ctx, const struct flood_event *e);

void flood_state_init(struct flood_state *s);
void flood_window_add(struct flood_state *s, int64_t t, double cm);
/* The slope of the window at time t, cm/h: 0 and *ok = 1, or *ok = 0. */
double flood_window_rate(const struct flood_state *s, int64_t t, int *ok);
const char *flood_eval_reading(const struct station *st, const struct flood_rules *ru,
			       struct flood_state *s, int64_t t, double cm,
			       const char *why, flood_emit_fn emit, void *ctx);
int flood_eval_clock(const struct station *st, struct flood_state *s, int64_t now,
		     flood_emit_fn emit, void *ctx);
/* Is the reading implausible whatever came before?  The reason, or NULL. */
const char *flood_static_bad(const struct station *st, double cm);

extern const char *const flood_event_names[FE_NKINDS];

#endif
