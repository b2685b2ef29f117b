#include "common.h"

#include <math.h>

#include "geo.h"
#include "hash.h"
#include "case/dups.h"

/* metres of a degree of latitude, and of longitude at the equator, on the
 * sphere that geo_haversine_m() measures on: no two points within R metres
 * are more than R / DEG_M degrees apart in latitude, nor R / (DEG_M cos φ)
 * in longitude, where φ is the larger of their latitudes */
#define DEG_M (GEO_EARTH_R_M * 3.14159265358979323846 / 180.0)
#define SLACK 1.000001

struct dent {
	int64_t t;
	int64_t seq;
	double lat, lon;
	uint64_t cls;
	int64_t band, cx;
	int64_t next;        /* the next older entry in the same bucket: a seq */
	char *id;
};

/* The cell widths of the bands last asked for: a county's cases lie in a
 * few bands, and a width costs a cosine. */
#define WIDTHS 16

struct dups {
	double radius;
	int64_t window;
	double band_deg;     /* height of a band, degrees of latitude */
	int64_t wband[WIDTHS];
	double wdeg[WIDTHS]; /* 0: not known yet */
	struct dent *e;      /* a ring of the cases within the window */
	size_t cap;          /* a power of two */
	int64_t head, tail;  /* the live sequence numbers: [head, tail) */
	int64_t *bucket;     /* the newest seq in a bucket, or -1 */
	size_t nb;           /* a power of two */
};

struct dups *dups_new(double radius_m, int64_t window_s)
{
	struct dups *d = xcalloc(1, sizeof *d);

	d->radius = radius_m;
	d->window = window_s;
	d->band_deg = radius_m / DEG_M * SLACK;
	return d;
}

static int64_t band_of(const struct dups *d, double lat)
{
	return (int64_t)floor(lat / d->band_deg);
}

/* The width of band b's cells in degrees of longitude: wide enough for two
 * points within the radius, one in b and one in a band next to it. */
static double cell_deg(const struct dups *d, int64_t b)
{
	double lo = (double)(b - 1) * d->band_deg, hi = (double)(b + 2) * d->band_deg;
	double pole = fmax(fabs(lo), fabs(hi));
	double c = cos(fmin(pole, 89.9) * 3.14159265358979323846 / 180.0);

	return d->radius / (DEG_M * c) * SLACK;
}

static int64_t cell_of(struct dups *d, int64_t band, double lon)
{
	size_t i = (size_t)band & (WIDTHS - 1);

	if (d->wdeg[i] == 0 || d->wband[i] != band) {
		d->wband[i] = band;
		d->wdeg[i] = cell_deg(d, band);
	}
	return (int64_t)floor(lon / d->wdeg[i]);
}

/* A bucket of the cell (band, cx) of class cls: the words mixed as
 * splitmix64 finishes, cheaper than hashing their 24 bytes one by one. */
static size_t bucket_of(const struct dups *d, uint64_t cls, int64_t band, int64_t cx)
{
	uint64_t h = cls ^ ((uint64_t)band * 0x9E3779B97F4A7C15ULL) ^
		     ((uint64_t)cx * 0xC2B2AE3D27D4EB4FULL);

	h ^= h >> 30;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 27;
	h *= 0x94D049BB133111EBULL;
	h ^= h >> 31;
	return (size_t)(h & (d->nb - 1));
}

static struct dent *at(const struct dups *d, int64_t seq)
{
	return &d->e[(size_t)seq & (d->cap - 1)];
}

static void link_entry(struct dups *d, int64_t seq)
{
	struct dent *e = at(d, seq);
	size_t bk = bucket_of(d, e->cls, e->band, e->cx);

	e->next = d->bucket[bk];
	d->bucket[bk] = seq;
}

/* Twice the room, buckets rebuilt from the live entries. */
static void grow(struct dups *d)
{
	size_t ncap = d->cap ? d->cap * 2 : 1024;
	struct dent *ne = xcalloc(ncap, sizeof *ne);

	for (int64_t s = d->head; s < d->tail; s++)
		ne[(size_t)s & (ncap - 1)] = *at(d, s);
	free(d->e);
	d->e = ne;
	d->cap = ncap;
	free(d->bucket);
	d->nb = ncap * 2;
	d->bucket = xmalloc(d->nb * sizeof *d->bucket);
	for (size_t i = 0; i < d->nb; i++)
		d->bucket[i] = -1;
	for (int64_t s = d->head; s < d->tail; s++)
		link_entry(d, s);
}

static void expire(struct dups *d, int64_t t)
{
	while (d->head < d->tail && at(d, d->head)->t < t - d->window) {
		free(at(d, d->head)->id);
		at(d, d->head)->id = NULL;
		d->head++;
	}
}

/* The earliest live entry of class cls within the radius of (lat, lon). */
static const struct dent *earliest_near(struct dups *d, uint64_t cls,
					int64_t band, double lat, double lon)
{
	const struct dent *best = NULL;

	for (int64_t b = band - 1; b <= band + 1; b++) {
		int64_t cx = cell_of(d, b, lon);
		for (int64_t x = cx - 1; x <= cx + 1; x++) {
			size_t bk = bucket_of(d, cls, b, x);
			for (int64_t s = d->bucket[bk]; s >= d->head; s = at(d, s)->next) {
				const struct dent *e = at(d, s);
				if (e->cls != cls || e->band != b || e->cx != x)
					continue;
				if (geo_haversine_m(lat, lon, e->lat, e->lon) > d->radius)
					continue;
				if (!best || e->seq < best->seq)
					best = e;
			}
		}
	}
	return best;
}

const char *dups_add(struct dups *d, const char *cls, double lat, double lon,
		     int64_t t, const char *id)
{
	return dups_add_n(d, cls, strlen(cls), lat, lon, t, id, strlen(id));
}

const char *dups_add_n(struct dups *d, const char *cls, size_t clsn, double lat,
		       double lon, int64_t t, const char *id, size_t idn)
{
	uint64_t ch = hash_fnv1a(cls, clsn, 0);
	int64_t band = band_of(d, lat);
	const struct dent *best;
	struct dent *e;

	if (!d->cap)
		grow(d);
	expire(d, t);
	best = earliest_near(d, ch, band, lat, lon);
	if ((size_t)(d->tail - d->head) + 1 > d->cap) {
		int64_t keep = best ? best->seq : -1;
		grow(d);
		best = keep >= 0 ? at(d, keep) : NULL;
	}
	e = at(d, d->tail);
	*e = (struct dent){ t, d->tail, lat, lon, ch, band, cell_of(d, band, lon), -1,
			    xstrndup(id, idn) };
	link_entry(d, d->tail);
	d->tail++;
	return best ? best->id : NULL;
}

void dups_free(struct dups *d)
{
	if (!d)
		return;
	for (int64_t s = d->head; s < d->tail; s++)
		free(at(d, s)->id);
	free(d->e);
	free(d->bucket);
	free(d);
}
