/*
 * gengps.c - synthetic GPS fixes of muck and concrete trucks for
 * `make bench` (tests/bench/gps.bench.sh).
 *
 *   gengps [-n FIXES] [-v VEHICLES] [-s SEED] -d DIR > fixes.csv
 *
 * Writes DIR/vehicles.csv, DIR/routes.geojson and DIR/zones.geojson (50
 * routes wandering within 15 km of 鲁山's county town, 10 forbidden and 5
 * speed zones on them) and, to standard output, a day of fixes as a
 * platform exports them: plate, at, lat, lon, speed_kmh, heading, every
 * truck every 8.64 s, all trucks interleaved in time order, with one fix
 * in a thousand sent late (补传) and out of order.  Trucks keep to their
 * route with GPS noise, and now and then speed, take a detour or go
 * silent.  The same seed gives the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genfile.h"
#include "rnd.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define NROUTES 50
#define NPTS 200
#define LAT0 33.74
#define LON0 112.91
#define MLAT 110900.0
#define MLON (111320.0 * 0.8316)

struct route {
	double lat[NPTS], lon[NPTS], cum[NPTS];
};

struct truck {
	int route, dir;
	double s, v, off, burst;
	int silent, phase;
};

static struct route routes[NROUTES];

static void make_route(struct route *r)
{
	double x = (rnd_unit() - 0.5) * 30000, y = (rnd_unit() - 0.5) * 30000;
	double h = rnd_unit() * 2 * M_PI;

	for (int i = 0; i < NPTS; i++) {
		double step = 100 + rnd_unit() * 200;
		r->lat[i] = LAT0 + y / MLAT;
		r->lon[i] = LON0 + x / MLON;
		r->cum[i] = i ? r->cum[i - 1] + hypot((r->lat[i] - r->lat[i - 1]) * MLAT,
						      (r->lon[i] - r->lon[i - 1]) * MLON) : 0;
		h += (rnd_unit() - 0.5) * 0.6;
		x += step * cos(h);
		y += step * sin(h);
	}
}

static void write_config(const char *dir)
{
	FILE *f = gen_open(dir, "routes.geojson");

	fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", f);
	for (int r = 0; r < NROUTES; r++) {
		fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"R%02d\",\"corridor_m\":50},"
			"\"geometry\":{\"type\":\"LineString\",\"coordinates\":[", r ? ",\n" : "", r);
		for (int i = 0; i < NPTS; i++)
			fprintf(f, "%s[%.7f,%.7f]", i ? "," : "", routes[r].lon[i], routes[r].lat[i]);
		fputs("]}}", f);
	}
	fputs("\n]}\n", f);
	fclose(f);
	f = gen_open(dir, "zones.geojson");
	fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", f);
	for (int z = 0; z < 15; z++) {
		struct route *r = &routes[z * 3];
		int i = 50 + z * 7;
		double h = 0.002 + 0.002 * (z % 3);
		fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"Z%02d\",%s},"
			"\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],"
			"[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}}", z ? ",\n" : "", z,
			z < 10 ? (z % 2 ? "\"kind\":\"forbidden\",\"hours\":\"07:00-09:00\"" : "\"kind\":\"forbidden\"")
			       : "\"kind\":\"speed\",\"limit_kmh\":30",
			r->lon[i] - h, r->lat[i] - h, r->lon[i] + h, r->lat[i] - h, r->lon[i] + h,
			r->lat[i] + h, r->lon[i] - h, r->lat[i] + h, r->lon[i] - h, r->lat[i] - h);
	}
	fputs("\n]}\n", f);
	fclose(f);
}

static void write_vehicles(const char *dir, struct truck *t, int nv)
{
	FILE *f = gen_open(dir, "vehicles.csv");

	fputs("plate,kind,company,limit_kmh,hours,routes\n", f);
	for (int i = 0; i < nv; i++)
		fprintf(f, "豫D%05d%s,%s,鲁山运输%02d公司,%d,%s,R%02d;R%02d\n", i, i % 10 == 9 ? "D" : "",
			i % 2 ? "concrete" : "muck", i % 20, 40 + 10 * (i % 3),
			i % 2 ? "" : "20:00-08:00", t[i].route, (t[i].route + 1) % NROUTES);
	fclose(f);
}

/* Where a truck is: along its route, plus a detour to the side. */
static void place(const struct truck *t, double *lat, double *lon, double *head)
{
	const struct route *r = &routes[t->route];
	int i = 1;
	double f, dx, dy, len;

	while (i < NPTS - 1 && r->cum[i] < t->s)
		i++;
	len = r->cum[i] - r->cum[i - 1];
	f = len > 0 ? (t->s - r->cum[i - 1]) / len : 0;
	dy = (r->lat[i] - r->lat[i - 1]) * MLAT;
	dx = (r->lon[i] - r->lon[i - 1]) * MLON;
	*lat = r->lat[i - 1] + f * (r->lat[i] - r->lat[i - 1]) + t->off * dx / (len + 1e-9) / MLAT;
	*lon = r->lon[i - 1] + f * (r->lon[i] - r->lon[i - 1]) - t->off * dy / (len + 1e-9) / MLON;
	*head = fmod(atan2(dx, dy) * 180 / M_PI + (t->dir < 0 ? 180 : 0) + 360, 360);
}

static void step(struct truck *t, double dt)
{
	double end = routes[t->route].cum[NPTS - 1];

	t->v += (rnd_unit() - 0.5) * 6;
	if (t->v < 15)
		t->v = 15;
	if (t->v > 45)
		t->v = 45;
	if (t->burst > 0)
		t->burst -= dt;
	else if (chance(0.0004))
		t->burst = 40 + rnd_below(80);
	if (t->off > 0 && chance(0.01))
		t->off = 0;
	else if (t->off == 0 && chance(0.0003))
		t->off = 150 + rnd_below(200);
	if (t->silent > 0)
		t->silent--;
	else if (chance(0.0002))
		t->silent = 40 + (int)rnd_below(40);
	t->s += t->dir * (t->burst > 0 ? 70 : t->v) / 3.6 * dt;
	if (t->s < 0 || t->s > end) {
		t->dir = -t->dir;
		t->s = t->s < 0 ? 0 : end;
	}
}

static void put_fix(int i, long sec, const struct truck *t)
{
	double lat, lon, head;
	place(t, &lat, &lon, &head);
	lat += (rnd_unit() - 0.5) * 8 / MLAT;
	lon += (rnd_unit() - 0.5) * 8 / MLON;
	printf("豫D%05d%s,2023-11-27 %02ld:%02ld:%02ld,%.6f,%.6f,%.1f,%d\n", i, i % 10 == 9 ? "D" : "",
	       sec / 3600, sec / 60 % 60, sec % 60, lat, lon, t->burst > 0 ? 70.0 : t->v, (int)head);
}

int main(int argc, char **argv)
{
	uint64_t n = 10000000, nv = 1000, seed = 1;
	const char *dir = NULL;
	struct truck *t;
	long steps;
	struct late { long due; int i; long sec; struct truck t; } *late;
	size_t nlate = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-n") == 0 && rnd_parse_u64(argv[i + 1], &n) == 0)
			continue;
		if (strcmp(argv[i], "-v") == 0 && rnd_parse_u64(argv[i + 1], &nv) == 0 && nv && nv < 100000)
			continue;
		if (strcmp(argv[i], "-s") == 0 && rnd_parse_u64(argv[i + 1], &seed) == 0)
			continue;
		if (strcmp(argv[i], "-d") == 0) {
			dir = argv[i + 1];
			continue;
		}
		fprintf(stderr, "usage: gengps [-n FIXES] [-v VEHICLES] [-s SEED] -d DIR\n");
		return 64;
	}
	if (!dir) {
		fprintf(stderr, "usage: gengps [-n FIXES] [-v VEHICLES] [-s SEED] -d DIR\n");
		return 64;
	}
	rnd_seed(seed);
	for (int r = 0; r < NROUTES; r++)
		make_route(&routes[r]);
	write_config(dir);
	t = calloc(nv, sizeof *t);
	late = calloc(4096, sizeof *late);
	for (uint64_t i = 0; i < nv; i++) {
		t[i].route = (int)rnd_below(NROUTES);
		t[i].dir = 1;
		t[i].s = rnd_unit() * routes[t[i].route].cum[NPTS - 1];
		t[i].v = 30;
		t[i].phase = (int)i;
	}
	write_vehicles(dir, t, (int)nv);
	puts("plate,at,lat,lon,speed_kmh,heading");
	steps = (long)((n + nv - 1) / nv);
	for (long k = 0; k < steps; k++) {
		for (uint64_t i = 0; i < nv && (uint64_t)k * nv + i < n; i++) {
			long sec = (long)((double)k * 86400.0 / (double)steps + (double)i * 86400.0 / (double)steps / (double)nv);
			step(&t[i], 86400.0 / (double)steps);
			if (t[i].silent)
				continue;
			if (nlate < 4096 && chance(0.001)) {
				late[nlate++] = (struct late){ k + 50, (int)i, sec, t[i] };
				continue;
			}
			put_fix((int)i, sec, &t[i]);
		}
		for (size_t j = 0; j < nlate;) {
			if (late[j].due <= k) {
				put_fix(late[j].i, late[j].sec, &late[j].t);
				late[j] = late[--nlate];
			} else {
				j++;
			}
		}
	}
	for (size_t j = 0; j < nlate; j++)
		put_fix(late[j].i, late[j].sec, &late[j].t);
	free(late);
	free(t);
	return ferror(stdout) ? 1 : 0;
}
