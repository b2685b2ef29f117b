/*
 * fixbuf.h - fixes grouped per vehicle and sorted by time, in bounded
 * memory: each vehicle's fixes wait in memory; when they take more than the
 * budget, every vehicle's are sorted and written to a temporary file as a
 * run, and reading a vehicle back merges its runs.
 *
 *   struct fixbuf *b = fixbuf_new(64 << 20);
 *   fixbuf_add(b, vid, &fix);              0, or -1 after a message (the
 *                                          temporary file cannot be written)
 *   struct fixiter it;
 *   fixbuf_iter(b, vid, &it);              the vehicle's fixes, in order
 *   while ((r = fixiter_next(&it, &fix)) > 0) ...   0 at the end, -1 error
 *   fixiter_done(&it);
 *   fixbuf_drop(b, vid);                   forget a vehicle's fixes
 *   fixbuf_free(b);
 *
 * The order is by time, then latitude, longitude and speed, so that among
 * fixes of the same second the same one comes first whatever the input
 * order.  A fix is 16 bytes: position in 1e-7 degree (about 1 cm), Unix
 * seconds (1970-2106), speed (NaN: not reported).
 */
#ifndef CITYOPS_GPS_FIXBUF_H
#define CITYOPS_GPS_FIXBUF_H

#include <stdint.h>

struct gps_fix {
	int32_t lat, lon;
	uint32_t t;
	float speed;
};

struct fixbuf;
struct fixbuf *fixbuf_new(size_t budget);
int fixbuf_add(struct fixbuf *b, size_t vid, const struct gps_fix *f);
size_t fixbuf_runs(const struct fixbuf *b);
void fixbuf_drop(struct fixbuf *b, size_t vid);
void fixbuf_free(struct fixbuf *b);

#define FIXITER_BUF 1024

struct fixsrc {
	const struct gps_fix *mem;   /* in memory, or */
	uint64_t off;                /* in the file */
	size_t left, pos, n;
	struct gps_fix *buf;
};

struct fixiter {
	struct fixbuf *b;
	struct fixsrc *src;
	size_t nsrc;
	int failed;
};

int fixbuf_iter(struct fixbuf *b, size_t vid, struct fixiter *it);
int fixiter_next(struct fixiter *it, struct gps_fix *out);
void fixiter_done(struct fixiter *it);

static inline int fix_cmp(const struct gps_fix *a, const struct gps_fix *b)
{
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->lat != b->lat)
		return a->lat < b->lat ? -1 : 1;
	if (a->lon != b->lon)
		return a->lon < b->lon ? -1 : 1;
	{
		/* speeds are >= 0; a missing one (NaN) sorts first */
		float sa = a->speed == a->speed ? a->speed : -1.0f;
		float sb = b->speed == b->speed ? b->speed : -1.0f;
		if (sa != sb)
			return sa < sb ? -1 : 1;
	}
	return 0;
}

#endif
