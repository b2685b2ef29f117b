/*
 * test_dups.c - likely duplicates against a brute-force count over every
 * pair: on random cases, at high latitudes, at the edges of radius and
 * window, and where the earlier case is itself a duplicate.
 */
#include "common.h"

#include <math.h>

#include "geo.h"
#include "case/dups.h"
#include "tap.h"

#define M_PI 3.14159265358979323846

struct kase {
	char id[16];
	const char *cls;
	double lat, lon;
	int64_t t;
};

/* The earliest earlier case (in array order) of the same class within the
 * radius and the window: what dups_add() must answer, by looking at every
 * pair. */
static int brute(const struct kase *k, int i, double radius, int64_t window)
{
	for (int j = 0; j < i; j++)
		if (strcmp(k[j].cls, k[i].cls) == 0 && k[i].t - k[j].t <= window &&
		    geo_haversine_m(k[i].lat, k[i].lon, k[j].lat, k[j].lon) <= radius)
			return j;
	return -1;
}

static uint64_t rng = 88172645463325252ULL;
static double unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static int cmp_t(const void *a, const void *b)
{
	const struct kase *x = a, *y = b;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* Run n cases through dups and count the answers that differ from brute. */
static int disagreements(struct kase *k, int n, double radius, int64_t window,
			 int *flagged)
{
	struct dups *d = dups_new(radius, window);
	int bad = 0;

	*flagged = 0;
	for (int i = 0; i < n; i++) {
		const char *got = dups_add(d, k[i].cls, k[i].lat, k[i].lon, k[i].t, k[i].id);
		int want = brute(k, i, radius, window);
		if (want >= 0)
			(*flagged)++;
		if ((want < 0) != (got == NULL) || (got && strcmp(got, k[want].id) != 0)) {
			if (bad++ < 5)
				printf("# case %d: got %s, want %s\n", i, got ? got : "none",
				       want >= 0 ? k[want].id : "none");
		}
	}
	dups_free(d);
	return bad;
}

/* n random cases of two classes in a square of side metres around
 * (lat0, lon0), over days days, in time order. */
static void scatter(struct kase *k, int n, double lat0, double lon0, double side,
		    int days)
{
	double dlat = side / 111195.0, dlon = side / (111195.0 * cos(lat0 * M_PI / 180));
	for (int i = 0; i < n; i++) {
		snprintf(k[i].id, sizeof k[i].id, "C%05d", i);
		k[i].cls = unif() < 0.5 ? "0101" : "0505";
		k[i].lat = lat0 + unif() * dlat;
		k[i].lon = lon0 + unif() * dlon;
		k[i].t = (int64_t)(unif() * days * 86400);
	}
	qsort(k, (size_t)n, sizeof *k, cmp_t);
	for (int i = 0; i < n; i++)
		snprintf(k[i].id, sizeof k[i].id, "C%05d", i);
}

int main(void)
{
	static struct kase k[3000];
	int flagged;

	/* the sample: 3,000 cases of two classes in a 450 m square
	 * over 20 days, 50 m and 24 h */
	scatter(k, 3000, 33.74, 112.91, 450, 20);
	ok(disagreements(k, 3000, 50, 86400, &flagged) == 0,
	   "3,000 random cases at 33.7 N: every answer equals the brute force");
	ok(flagged > 300, "and many of them are duplicates (%d)", flagged);

	/* far north, where one cell width per point went wrong most */
	scatter(k, 3000, 69.6, 18.9, 300, 5);
	ok(disagreements(k, 3000, 50, 86400, &flagged) == 0,
	   "3,000 random cases at 69.6 N: every answer equals the brute force");
	scatter(k, 2000, -45.0, 170.5, 200, 3);
	ok(disagreements(k, 2000, 30, 3600 * 6, &flagged) == 0,
	   "2,000 random cases at 45 S, 30 m, 6 h: equal to the brute force");

	/* pairs 48 m apart east-west at a 50 m radius, at many latitudes and
	 * offsets: all found (a width from each point's own latitude missed
	 * 4-9 % of them) */
	{
		int missed = 0, tried = 0;
		for (double lat = 0; lat < 80; lat += 0.37)
			for (double off = 0; off < 1; off += 0.0731) {
				struct dups *d = dups_new(50, 86400);
				double dl = 48 / (111195.0 * cos(lat * M_PI / 180));
				double lon = 100 + off * dl * 3;
				dups_add(d, "a", lat, lon, 0, "A");
				missed += dups_add(d, "a", lat + 0.00001, lon + dl, 10, "B") == NULL;
				tried++;
				dups_free(d);
			}
		ok(missed == 0, "pairs 48 m apart at 50 m: %d of %d missed", missed, tried);
	}

	/* the earliest case counts even when it is itself a duplicate: A, B
	 * 40 m east of A, C 40 m east of B (80 m from A) */
	{
		struct dups *d = dups_new(50, 86400);
		double m = 1 / (111195.0 * cos(33.74 * M_PI / 180));
		const char *r;
		dups_add(d, "x", 33.74, 112.91, 0, "A");
		r = dups_add(d, "x", 33.74, 112.91 + 40 * m, 60, "B");
		is_str(r, "A", "B is a duplicate of A");
		r = dups_add(d, "x", 33.74, 112.91 + 80 * m, 120, "C");
		is_str(r, "B", "C, near B only, is a duplicate of B although B is one of A");
		r = dups_add(d, "x", 33.74, 112.91 + 20 * m, 180, "D");
		is_str(r, "A", "D, near A and B, is a duplicate of the earliest, A");
		r = dups_add(d, "y", 33.74, 112.91, 190, "E");
		ok(r == NULL, "another class is never a duplicate");
		r = dups_add(d, "x", 33.74, 112.91, 86400, "F");
		is_str(r, "A", "exactly the window after A: still a duplicate of A");
		r = dups_add(d, "x", 33.74, 112.91, 86401 + 180, "G");
		ok(r == NULL || strcmp(r, "A") != 0, "the window after D's time and a second: A is gone");
		dups_free(d);
	}
	{
		struct dups *d = dups_new(50, 86400);
		const char *r;
		dups_add(d, "x", 10, 10, 100, "A");
		r = dups_add(d, "x", 10, 10, 100, "B");
		is_str(r, "A", "two cases of the same second: the second is the duplicate");
		dups_free(d);
	}
	{
		/* as case-import's reader gives them: class and id inside a
		 * row's text, not ended by a NUL */
		static const char row[] = "0101A12345B99";
		struct dups *d = dups_new(50, 86400);
		const char *r;
		dups_add_n(d, row, 4, 10, 10, 100, row + 4, 6);
		r = dups_add_n(d, row, 4, 10, 10.0001, 200, row + 10, 3);
		is_str(r, "A12345", "lengths given: the class and the id are that many bytes");
		r = dups_add_n(d, row, 3, 10, 10, 300, "C", 1);
		ok(r == NULL, "lengths given: a shorter class is another class");
		dups_free(d);
	}
	return tap_done();
}
