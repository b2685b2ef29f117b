/*
 * test_flood_eval.c - the flood state machine (lib/flood/eval.c) and the
 * message templates (lib/flood/message.c), without a store.
 */
#include "common.h"

#include <math.h>

#include "buf.h"
#include "flood/eval.h"
#include "flood/message.h"
#include "flood/station.h"
#include "out.h"
#include "tap.h"

static char seen[64][32];
static int nseen;

static int rec_emit(void *ctx, const struct flood_event *e)
{
	(void)ctx;
	if (nseen < 64 && e->kind != FE_RISE_END)
		snprintf(seen[nseen++], sizeof seen[0], "%s:%s", flood_event_names[e->kind],
			 e->level ? flood_level_name(e->level) : "-");
	return 0;
}

static struct station underpass(void)
{
	struct station st;
	memset(&st, 0, sizeof st);
	st.id = (char *)"FX09";
	st.name = (char *)"向阳路城壕桥西侧";
	st.thr[1] = 10;
	st.thr[2] = 20;
	st.thr[3] = 25;
	st.thr[4] = 40;
	st.clear_cm = 5;
	st.rise_cm_per_h = 20;
	st.stale_min = 30;
	st.jump_cm_per_min = 30;
	st.has_max = 1;
	st.max_cm = 200;
	return st;
}

static void feed(const struct station *st, struct flood_state *s, const double *v,
		 int n, int64_t t0, int step)
{
	struct flood_rules ru = { 2, 0 };
	for (int i = 0; i < n; i++)
		flood_eval_reading(st, &ru, s, t0 + (int64_t)i * step, v[i],
				   flood_static_bad(st, v[i]), rec_emit, NULL);
}

int main(void)
{
	struct station st = underpass();
	struct flood_state s;
	struct flood_msgs *m;
	struct flood_event e;
	struct buf b = BUF_INIT;
	int ok;

	/* hysteresis: around the orange line, one alert */
	static const double osc[] = { 26, 27, 23, 26, 21, 27, 22, 26, 24, 27 };
	flood_state_init(&s);
	nseen = 0;
	feed(&st, &s, osc, 10, 1689832800, 60);
	is_int(nseen, 1, "oscillating around 25 cm with clear 5: one transition");
	is_str(seen[0], "opened:orange", "and it opens orange");

	/* a single wave does not open an alert (two readings in a row) */
	static const double wave[] = { 0, 0, 12, 0, 0 };
	flood_state_init(&s);
	nseen = 0;
	feed(&st, &s, wave, 5, 1689832800, 60);
	is_int(nseen, 0, "one reading over blue is no alert");

	/* up the ladder and down */
	static const double storm[] = { 0, 11, 12, 21, 22, 26, 27, 41, 42, 30, 18, 4 };
	flood_state_init(&s);
	nseen = 0;
	st.rise_cm_per_h = 1e5;
	feed(&st, &s, storm, 12, 1689832800, 600);
	st.rise_cm_per_h = 20;
	ok = nseen == 7 && !strcmp(seen[0], "opened:blue") && !strcmp(seen[3], "escalated:red") &&
	     !strcmp(seen[4], "deescalated:orange") && !strcmp(seen[6], "cleared:yellow");
	ok(ok, "opened, escalated x3, deescalated x2, cleared (%d: %s .. %s)", nseen,
	   seen[0], nseen ? seen[nseen - 1] : "");

	/* least squares: 1 cm a minute is 60 cm/h, whatever one outlier says */
	flood_state_init(&s);
	for (int i = 0; i < 30; i++)
		flood_window_add(&s, 1000 + i * 60, i + (i == 15 ? 3 : 0));
	double r = flood_window_rate(&s, 1000 + 29 * 60, &ok);
	ok(ok && fabs(r - 60) < 2, "rate over 30 minutes: %.2f cm/h", r);

	/* a window of zeros: +0 cm/h, a rate only from 3 readings over 10
	 * minutes; one reading that is not 0 counts while it is in the window */
	flood_state_init(&s);
	for (int i = 0; i < 30; i++)
		flood_window_add(&s, 1000 + i * 60, i % 2 ? -0.0 : 0.0);
	r = flood_window_rate(&s, 1000 + 29 * 60, &ok);
	ok(ok && r == 0 && !signbit(r), "a dry road: rate +0 (%g, ok %d)", r, ok);
	flood_state_init(&s);
	for (int i = 0; i < 10; i++)
		flood_window_add(&s, 1000 + i * 60, 0);
	r = flood_window_rate(&s, 1000 + 9 * 60, &ok);
	ok(!ok && r == 0, "zeros over 9 minutes: no rate yet");
	flood_window_add(&s, 1000 + 10 * 60, 0);
	r = flood_window_rate(&s, 1000 + 10 * 60, &ok);
	ok(ok && r == 0, "zeros over 10 minutes: a rate of 0");
	flood_state_init(&s);
	int seen_rise = 1, seen_flat = 1;
	for (int i = 0; i < 80; i++) {
		flood_window_add(&s, 1000 + i * 60, i == 20 ? 6 : 0);
		r = flood_window_rate(&s, 1000 + i * 60, &ok);
		if (i >= 20 && i < 50 && (!ok || r == 0))
			seen_rise = 0;
		if (i >= 50 && (!ok || r != 0 || signbit(r)))
			seen_flat = 0;
	}
	ok(seen_rise && seen_flat, "a 6 cm blip moves the rate for 30 minutes, then +0");

	/* stale at the clock, back with the next reading */
	flood_state_init(&s);
	nseen = 0;
	feed(&st, &s, wave, 2, 1689832800, 60);
	flood_eval_clock(&st, &s, 1689832800 + 3600, rec_emit, NULL);
	flood_eval_clock(&st, &s, 1689832800 + 7200, rec_emit, NULL);
	feed(&st, &s, wave, 1, 1689832800 + 7200, 60);
	ok(nseen == 2 && !strcmp(seen[0], "stale:-") && !strcmp(seen[1], "back:-"),
	   "stale once, then back");

	/* a spike is bad and ignored; three negatives are a bad streak */
	static const double spike[] = { 2, 2, 150, 2, -3, -3, -3, 2 };
	flood_state_init(&s);
	nseen = 0;
	feed(&st, &s, spike, 8, 1689832800, 60);
	ok(nseen == 2 && !strcmp(seen[0], "bad:-") && !strcmp(seen[1], "back:-") && !s.level,
	   "a spike opens nothing; three negatives are 'bad', then 'back'");

	/* the message of the issue */
	is_int(flood_msgs_load(&m, NULL), 0, "the built-in templates load");
	memset(&e, 0, sizeof e);
	e.kind = FE_ESCALATED;
	e.level = 3;
	e.from = 2;
	e.cm = 32;
	e.has_cm = 1;
	e.rate = 36;
	e.has_rate = 1;
	flood_msg_render(m, &st, &e, 480, &b);
	is_str(buf_str(&b), "向阳路城壕桥西侧 积水 32 cm（橙色预警，超过 25 cm 封闭线），"
	       "10 分钟上涨 6 cm，请立即封闭交通并派员值守", "the orange message");
	flood_msgs_free(m);
	buf_free(&b);

	char num[32];
	out_decimals(-0.05, 1, num);
	is_str(num, "-0.1", "numbers print with a '.' and round half away");
	return tap_done();
}
