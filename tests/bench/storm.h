/*
 * storm.h - the water on the road at the 11 stations of 鲁山县 during
 * cloudbursts, for the flood generators (tests/bench/genreadings.c,
 * examples/lushan/genstorm.c).  Deterministic given rnd_seed().
 *
 *   struct storm s;  storm_new(&s, start, peak_mm_h);   a storm beginning
 *                                                        at Unix time start
 *   double mm = storm_rain(&s, t);         rain (mm/h) at time t
 *   struct road r = { 0 };
 *   storm_step(&r, rain_mm_h);             one minute at all 11 stations
 *   double cm = storm_read(r.cm[k]);       what a radar reads: noise of
 *                                          ±0.3 cm on a wet road, 0.0 dry
 *
 * The shape: rain builds for 20-50 minutes, pours for 15-60, then eases for
 * 30-90.  Each underpass takes the rain its drains cannot (12 mm/h), with
 * its own delay and gain (the low railway underpasses fill deepest, the
 * moat bridges least), and drains with its own half-life.
 */
#ifndef CITYOPS_STORM_H
#define CITYOPS_STORM_H

#include <math.h>
#include <stdint.h>

#include "rnd.h"

#define STORM_NSTATIONS 11
#define STORM_LAG_MAX 16

/* cm of water per minute per mm/h of excess rain; delay (minutes); half-life
 * of draining (minutes) */
static const double storm_gain[STORM_NSTATIONS] = {
	0.036, 0.034, 0.030, 0.029, 0.040, 0.039, 0.026, 0.025, 0.042, 0.022, 0.018,
};
static const int storm_lag[STORM_NSTATIONS] = {
	10, 12, 8, 9, 15, 14, 6, 7, 11, 5, 4,
};
static const double storm_half[STORM_NSTATIONS] = {
	50, 55, 40, 42, 70, 65, 35, 38, 60, 30, 25,
};

struct storm {
	int64_t start;     /* Unix seconds */
	double build;      /* minutes of rising rain */
	double pour;       /* minutes at the peak */
	double ease;       /* minutes of easing rain */
	double peak;       /* mm/h at the peak */
};

struct road {
	double cm[STORM_NSTATIONS];
	double past[STORM_LAG_MAX];   /* the rain of the last minutes */
	unsigned minute;
};

static inline void storm_new(struct storm *s, int64_t start, double peak_mm_h)
{
	s->start = start;
	s->build = 20 + rnd_below(31);
	s->pour = 15 + rnd_below(46);
	s->ease = 30 + rnd_below(61);
	s->peak = peak_mm_h;
}

static inline int64_t storm_end(const struct storm *s)
{
	return s->start + (int64_t)((s->build + s->pour + s->ease) * 60);
}

static inline double storm_rain(const struct storm *s, int64_t t)
{
	double m = (double)(t - s->start) / 60;

	if (m < 0)
		return 0;
	if (m < s->build)
		return s->peak * m / s->build;
	m -= s->build;
	if (m < s->pour)
		return s->peak;
	m -= s->pour;
	if (m < s->ease)
		return s->peak * (1 - m / s->ease);
	return 0;
}

static inline void storm_step(struct road *r, double rain)
{
	r->past[r->minute % STORM_LAG_MAX] = rain;
	for (int k = 0; k < STORM_NSTATIONS; k++) {
		double in = r->past[(r->minute + STORM_LAG_MAX - (unsigned)storm_lag[k]) %
				    STORM_LAG_MAX] - 12;
		double d = r->cm[k];
		if (in > 0)
			d += in * storm_gain[k];
		d -= d * (1 - pow(0.5, 1 / storm_half[k]));
		r->cm[k] = d < 0.2 ? 0 : d;
	}
	r->minute++;
}

static inline double storm_read(double cm)
{
	if (cm <= 0)
		return 0;
	cm += (rnd_unit() - 0.5) * 0.6;
	return cm < 0 ? 0 : cm;
}

#endif
