/*
 * eval.c - one station's state machine (see eval.h).
 */
#include "common.h"

#include <math.h>

#include "flood/eval.h"

const char *const flood_event_names[FE_NKINDS] = {
	"opened", "escalated", "deescalated", "cleared", "stale", "back",
	"rising", "bad", "rise_end",
};

void flood_state_init(struct flood_state *s)
{
	memset(s, 0, sizeof *s);
	s->last_at = s->good_at = s->level_at = s->peak_at = s->jump_at = FLOOD_NONE;
}

/* Readings closer than this to the window's newest are not added: the
 * window holds 30 minutes in at most FLOOD_WINDOW_MAX points. */
#define WINDOW_STEP (FLOOD_WINDOW_S / (FLOOD_WINDOW_MAX - 8))

void flood_window_add(struct flood_state *s, int64_t t, double cm)
{
	unsigned i;

	if (s->win_n) {
		unsigned last = (s->win_head + s->win_n - 1) % FLOOD_WINDOW_MAX;
		if (t - s->win_t[last] < WINDOW_STEP)
			return;
	}
	while (s->win_n && (s->win_t[s->win_head] <= t - FLOOD_WINDOW_S ||
			    s->win_n == FLOOD_WINDOW_MAX)) {
		s->win_nz -= s->win_v[s->win_head] != 0;
		s->win_head = (s->win_head + 1) % FLOOD_WINDOW_MAX;
		s->win_n--;
	}
	i = (s->win_head + s->win_n) % FLOOD_WINDOW_MAX;
	s->win_t[i] = t;
	s->win_v[i] = cm;
	s->win_n++;
	s->win_nz += cm != 0;
}

/* A window of zeros (a dry road: most of the year) inside (t - 30 min, t]:
 * the slope below is exactly +0 then (every product and sum a zero), so
 * only whether it is one is worked out.  1 done, 0 not such a window. */
static int flat_zero(const struct flood_state *s, int64_t t, int *ok)
{
	int64_t first, last;

	if (s->win_nz || !s->win_n)
		return 0;
	first = s->win_t[s->win_head];
	last = s->win_t[(s->win_head + s->win_n - 1) % FLOOD_WINDOW_MAX];
	if (first <= t - FLOOD_WINDOW_S || last > t)
		return 0;
	*ok = s->win_n >= 3 && last - first >= 600;
	return 1;
}

double flood_window_rate(const struct flood_state *s, int64_t t, int *ok)
{
	double n = 0, st = 0, sv = 0, stt = 0, stv = 0, d;
	int64_t first = FLOOD_NONE, last = FLOOD_NONE;

	if (flat_zero(s, t, ok))
		return 0;

	for (unsigned k = 0; k < s->win_n; k++) {
		unsigned i = (s->win_head + k) % FLOOD_WINDOW_MAX;
		if (s->win_t[i] <= t - FLOOD_WINDOW_S || s->win_t[i] > t)
			continue;
		/* minutes from t: small numbers keep the sums exact enough */
		double x = (double)(s->win_t[i] - t) / 60, y = s->win_v[i];
		if (first == FLOOD_NONE)
			first = s->win_t[i];
		last = s->win_t[i];
		n++;
		st += x;
		sv += y;
		stt += x * x;
		stv += x * y;
	}
	*ok = 0;
	if (n < 3 || last - first < 600)
		return 0;
	d = n * stt - st * st;
	if (d <= 0)
		return 0;
	*ok = 1;
	return (n * stv - st * sv) / d * 60;
}

const char *flood_static_bad(const struct station *st, double cm)
{
	if (cm < 0 && st->kind != STATION_RIVER)
		return "negative";
	if (st->has_max && cm > st->max_cm)
		return "above max_cm";
	return NULL;
}

static int emit_ev(flood_emit_fn emit, void *ctx, struct flood_state *s,
		   const struct flood_event *e)
{
	if (emit(ctx, e) < 0) {
		s->failed = 1;
		return -1;
	}
	return 0;
}

/* A jump from the last plausible reading?  Three jumps in a row that agree
 * among themselves are the new level. */
static const char *jump(const struct station *st, struct flood_state *s,
			int64_t t, double cm)
{
	double dt, allowed;

	if (s->good_at == FLOOD_NONE)
		return NULL;
	dt = (double)(t - s->good_at) / 60;
	allowed = st->jump_cm_per_min * (dt > 1 ? dt : 1);
	if (fabs(cm - s->good_cm) <= allowed) {
		s->jump_n = 0;
		return NULL;
	}
	if (s->jump_n) {
		double dj = (double)(t - s->jump_at) / 60;
		if (fabs(cm - s->jump_cm) <= st->jump_cm_per_min * (dj > 1 ? dj : 1))
			s->jump_n++;
		else
			s->jump_n = 1;
	} else {
		s->jump_n = 1;
	}
	s->jump_cm = cm;
	s->jump_at = t;
	if (s->jump_n >= FLOOD_BAD_STREAK) {
		s->jump_n = 0;
		s->win_n = s->win_nz = 0;  /* the old level says nothing about the new */
		return NULL;
	}
	return "jump";
}

static void base_event(struct flood_event *e, const struct flood_state *s,
		       enum flood_event_kind k, int64_t t, double cm)
{
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->at = t;
	e->cm = cm;
	e->has_cm = 1;
	e->rate = s->rate;
	e->has_rate = s->has_rate;
	e->level = s->level;
	e->from = s->level;
	e->peak = s->peak_cm;
}

/* stale between readings, then back; -1 on a store error */
static int gap(const struct station *st, struct flood_state *s, int64_t t,
	       double cm, flood_emit_fn emit, void *ctx)
{
	struct flood_event e;

	if (flood_eval_clock(st, s, t, emit, ctx) < 0)
		return -1;
	if (s->stale) {
		s->stale = 0;
		base_event(&e, s, FE_BACK, t, cm);
		e.since = s->last_at;
		e.ended = FE_STALE;
		if (emit_ev(emit, ctx, s, &e) < 0)
			return -1;
	}
	return 0;
}

static int bad_reading(struct flood_state *s, int64_t t, double cm,
		       const char *why, flood_emit_fn emit, void *ctx)
{
	struct flood_event e;

	s->bad_n++;
	if (s->bad_n >= FLOOD_BAD_STREAK && !s->bad) {
		s->bad = 1;
		base_event(&e, s, FE_BAD, t, cm);
		e.why = why;
		if (emit_ev(emit, ctx, s, &e) < 0)
			return -1;
	}
	return 0;
}

static int rise_step(const struct station *st, struct flood_state *s, int64_t t,
		     double cm, flood_emit_fn emit, void *ctx)
{
	struct flood_event e;

	if (s->has_rate && s->rate >= st->rise_cm_per_h && !s->rising) {
		s->rising = 1;
		base_event(&e, s, FE_RISING, t, cm);
		return emit_ev(emit, ctx, s, &e);
	}
	if (s->rising && (!s->has_rate || s->rate < st->rise_cm_per_h / 2)) {
		s->rising = 0;
		base_event(&e, s, FE_RISE_END, t, cm);
		return emit_ev(emit, ctx, s, &e);
	}
	return 0;
}

static int level_step(const struct station *st, const struct flood_rules *ru,
		      struct flood_state *s, int64_t t, double cm,
		      flood_emit_fn emit, void *ctx)
{
	struct flood_event e;
	int confirmed = 0, hold = 0, now;

	for (int l = 1; l <= FLOOD_NLEVELS; l++) {
		if (cm >= st->thr[l]) {
			if (!s->run_n[l])
				s->run_from[l] = t;
			if (s->run_n[l] < 1000000)
				s->run_n[l]++;
			if (s->run_n[l] >= ru->min_n && t - s->run_from[l] >= ru->min_s)
				confirmed = l;
		} else {
			s->run_n[l] = 0;
			s->run_from[l] = FLOOD_NONE;
		}
	}
	for (int l = 1; l <= s->level; l++)
		if (cm >= st->thr[l] - st->clear_cm)
			hold = l;
	now = confirmed > hold ? confirmed : hold;
	if (s->level && cm > s->peak_cm) {
		s->peak_cm = cm;
		s->peak_at = t;
	}
	if (now == s->level)
		return 0;
	base_event(&e, s, !s->level ? FE_OPENED : now > s->level ? FE_ESCALATED :
		   now ? FE_DEESCALATED : FE_CLEARED, t, cm);
	e.level = now ? now : s->level;
	e.from = s->level;
	if (!s->level) {
		s->level_at = t;
		s->peak_cm = cm;
		s->peak_at = t;
	}
	s->level = now;
	return emit_ev(emit, ctx, s, &e);
}

const char *flood_eval_reading(const struct station *st, const struct flood_rules *ru,
			       struct flood_state *s, int64_t t, double cm,
			       const char *why, flood_emit_fn emit, void *ctx)
{
	struct flood_event e;

	if (gap(st, s, t, cm, emit, ctx) < 0)
		return NULL;
	s->last_at = t;
	if (!why)
		why = jump(st, s, t, cm);
	if (why) {
		bad_reading(s, t, cm, why, emit, ctx);
		return why;
	}
	s->bad_n = 0;
	s->good_at = t;
	s->good_cm = cm;
	if (s->bad) {
		s->bad = 0;
		base_event(&e, s, FE_BACK, t, cm);
		e.ended = FE_BAD;
		if (emit_ev(emit, ctx, s, &e) < 0)
			return NULL;
	}
	flood_window_add(s, t, cm);
	s->rate = flood_window_rate(s, t, &s->has_rate);
	/* the level first: its message carries the trend */
	if (level_step(st, ru, s, t, cm, emit, ctx) < 0)
		return NULL;
	rise_step(st, s, t, cm, emit, ctx);
	return NULL;
}

int flood_eval_clock(const struct station *st, struct flood_state *s, int64_t now,
		     flood_emit_fn emit, void *ctx)
{
	struct flood_event e;
	int64_t limit = (int64_t)st->stale_min * 60;

	if (s->last_at == FLOOD_NONE || s->stale || now - s->last_at < limit)
		return 0;
	s->stale = 1;
	memset(&e, 0, sizeof e);
	e.kind = FE_STALE;
	e.at = s->last_at + limit;
	e.since = s->last_at;
	e.level = e.from = s->level;
	e.cm = s->good_cm;
	e.has_cm = s->good_at != FLOOD_NONE;
	return emit_ev(emit, ctx, s, &e);
}
