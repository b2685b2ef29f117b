/*
 * genfixes.c - a day of GPS fixes of seven muck and concrete trucks of 鲁山
 * (2023-11-27), with planted violations, for gps-audit's example
 * (examples/gps.test.sh, examples/lushan/README.md).
 *
 *   genfixes -d DIR > fixes.csv
 *
 * Writes DIR/vehicles.csv, DIR/routes.geojson, DIR/zones.geojson and
 * DIR/planted.csv (plate, kind, and the window its episode starts in) and
 * the fixes to standard output: plate, at, lat, lon, speed_kmh, heading,
 * every 10 s while a truck's terminal is on, all trucks in time order.
 * The routes are drawn in GCJ-02, as on a Chinese web map, through the
 * county town; the trucks' terminals report WGS-84, as GPS does.  The
 * zones lie where the plan makes the trucks go.  Besides the planted
 * violations the fixes hold what gps-audit must drop, not report: a fix at
 * 0/0, a duplicate, a jump of 5 km in 5 s, and a fix sent late.  Linked
 * with lib/geo.c; the same build gives the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "genfile.h"
#include "rnd.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define NROUTES 3
#define MAXPTS 8
#define DT 10

/* Routes as drawn on Amap (GCJ-02): lat, lon. */
static const struct {
	const char *id, *name;
	int n;
	double p[MAXPTS][2];
} draw[NROUTES] = {
	{ "R1", "人民路-鲁平大道 渣土线", 6, { { 33.7412, 112.8780 }, { 33.7410, 112.8950 },
		{ 33.7408, 112.9100 }, { 33.7405, 112.9250 }, { 33.7450, 112.9400 },
		{ 33.7520, 112.9520 } } },
	{ "R2", "墨公路-向阳路 商砼线", 6, { { 33.7150, 112.9150 }, { 33.7250, 112.9160 },
		{ 33.7350, 112.9165 }, { 33.7450, 112.9170 }, { 33.7550, 112.9180 },
		{ 33.7650, 112.9200 } } },
	{ "R3", "滍阳路 渣土线", 4, { { 33.7300, 112.8850 }, { 33.7350, 112.8900 },
		{ 33.7360, 112.9000 }, { 33.7330, 112.9100 } } },
};

struct route {
	int n;
	double lat[MAXPTS], lon[MAXPTS], cum[MAXPTS]; /* WGS-84; metres */
};

static struct route routes[NROUTES];
static struct geo_proj proj;

/* A truck's day, in seconds after midnight (+08:00). */
struct plan {
	const char *plate, *kind, *company, *hours, *route_ids;
	int limit, route, t_on, t_off;
	double kmh;
	int burst0, burst1;
	double burst_kmh;
	int stop0, stop1, silent0, silent1, det0, det1;
	double det_m;
};

#define H(h, m, s) ((h) * 3600 + (m) * 60 + (s))
#define MUCK "鲁山县宏达渣土运输有限公司"
#define CONCRETE "鲁山县建兴商砼有限公司"

static const struct plan plans[] = {
	/* keeps driving half an hour after its permit ends at 06:00 */
	{ "豫D12345", "muck", MUCK, "22:00-06:00", "R1", 40, 0, H(5, 0, 0), H(6, 45, 0), 30,
	  0, 0, 0, H(6, 30, 0), H(6, 45, 0), 0, 0, 0, 0, 0 },
	/* 58 km/h for 90 s where the limit is 40 */
	{ "豫D23456", "muck", MUCK, "22:00-06:00", "R1", 40, 0, H(22, 30, 0), H(23, 50, 0), 30,
	  H(23, 10, 0), H(23, 11, 30), 58, 0, 0, 0, 0, 0, 0, 0 },
	/* through the school zone at 07:32, in its hours */
	{ "豫D34567F", "concrete", CONCRETE, "", "R2", 50, 1, H(7, 30, 0), H(12, 0, 0), 30,
	  0, 0, 0, H(7, 40, 0), H(9, 20, 0), 0, 0, 0, 0, 0 },
	/* a detour 350 m off its route, through the old town */
	{ "豫DB7890", "concrete", CONCRETE, "", "R2", 50, 1, H(9, 30, 0), H(12, 0, 0), 30,
	  0, 0, 0, 0, 0, 0, 0, H(10, 5, 0), H(10, 9, 0), 350 },
	/* its terminal off for 330 s while it drives on */
	{ "豫D56789", "muck", MUCK, "22:00-06:00", "R3", 40, 2, H(0, 30, 0), H(1, 30, 0), 25,
	  0, 0, 0, 0, 0, H(0, 50, 0), H(0, 55, 30), 0, 0, 0 },
	/* 42 km/h, under its own limit, through the hospital's 30 km/h zone */
	{ "豫D67890", "muck", MUCK, "22:00-06:00", "R1", 50, 0, H(3, 0, 0), H(3, 11, 0), 42,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	/* clean, but its terminal sends noise */
	{ "豫D78901", "concrete", CONCRETE, "", "R2", 50, 1, H(13, 0, 0), H(16, 0, 0), 30,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};
#define NPLANS (sizeof plans / sizeof plans[0])

struct fix {
	int t, v;
	double lat, lon, speed;
	int head;
};

static struct fix *fixes;
static size_t nfix, fixcap;

static void add(int t, int v, double lat, double lon, double speed, int head)
{
	if (nfix == fixcap) {
		fixcap = fixcap ? fixcap * 2 : 4096;
		fixes = realloc(fixes, fixcap * sizeof *fixes);
		if (!fixes)
			exit(1);
	}
	fixes[nfix++] = (struct fix){ t, v, lat, lon, speed, head };
}

static void build_routes(void)
{
	geo_proj_init(&proj, 33.74, 112.91);
	for (int r = 0; r < NROUTES; r++) {
		struct route *w = &routes[r];
		w->n = draw[r].n;
		for (int i = 0; i < w->n; i++) {
			double x0, y0, x1, y1;
			geo_gcj_to_wgs(draw[r].p[i][0], draw[r].p[i][1], &w->lat[i], &w->lon[i]);
			w->cum[i] = 0;
			if (!i)
				continue;
			geo_proj_fwd(&proj, w->lat[i - 1], w->lon[i - 1], &x0, &y0);
			geo_proj_fwd(&proj, w->lat[i], w->lon[i], &x1, &y1);
			w->cum[i] = w->cum[i - 1] + hypot(x1 - x0, y1 - y0);
		}
	}
}

/* The point at s metres along route r, and the route's direction there. */
static void along(int r, double s, double *x, double *y, double *ux, double *uy)
{
	const struct route *w = &routes[r];
	int i = 1;
	double x0, y0, x1, y1, f, len;

	while (i < w->n - 1 && w->cum[i] < s)
		i++;
	geo_proj_fwd(&proj, w->lat[i - 1], w->lon[i - 1], &x0, &y0);
	geo_proj_fwd(&proj, w->lat[i], w->lon[i], &x1, &y1);
	len = w->cum[i] - w->cum[i - 1];
	f = (s - w->cum[i - 1]) / len;
	*x = x0 + f * (x1 - x0);
	*y = y0 + f * (y1 - y0);
	*ux = (x1 - x0) / len;
	*uy = (y1 - y0) / len;
}

static double speed_at(const struct plan *p, int t)
{
	if (t >= p->stop0 && t < p->stop1)
		return 0;
	if (t >= p->burst0 && t < p->burst1)
		return p->burst_kmh;
	return p->kmh;
}

/* Where the plan puts truck v at time t (its state advanced tick by tick). */
struct state {
	double s;
	int dir;
};

static void position(const struct plan *p, const struct state *st, int t, double *x,
		     double *y, int *head)
{
	double ux, uy, off = 0;

	along(p->route, st->s, x, y, &ux, &uy);
	if (t >= p->det0 && t < p->det1) {
		double ramp = fmin(1, fmin((t - p->det0) / 60.0, (p->det1 - t) / 60.0));
		off = p->det_m * ramp;
		*x += -uy * off;
		*y += ux * off;
	}
	*head = (int)lround(fmod(atan2(ux * st->dir, uy * st->dir) * 180 / M_PI + 360, 360)) % 360;
}

static void simulate(size_t v)
{
	const struct plan *p = &plans[v];
	struct state st = { 0, 1 };
	double end = routes[p->route].cum[routes[p->route].n - 1];

	for (int t = p->t_on; t < p->t_off; t += DT) {
		double x, y, lat, lon, sp = speed_at(p, t);
		int head;
		position(p, &st, t, &x, &y, &head);
		geo_proj_inv(&proj, x + (rnd_unit() - 0.5) * 4, y + (rnd_unit() - 0.5) * 4, &lat, &lon);
		if (!(t >= p->silent0 && t < p->silent1))
			add(t, (int)v, lat, lon, sp > 0 ? sp + (rnd_unit() - 0.5) * 2 : 0, head);
		st.s += st.dir * sp / 3.6 * DT;
		if (st.s > end || st.s < 0) {
			st.dir = -st.dir;
			st.s = st.s > end ? 2 * end - st.s : -st.s;
		}
	}
}

/* ---- the configuration ------------------------------------------------- */

static void write_routes(const char *dir)
{
	FILE *f = gen_open(dir, "routes.geojson");

	fputs("{\"type\": \"FeatureCollection\", \"features\": [\n", f);
	for (int r = 0; r < NROUTES; r++) {
		fprintf(f, "  {\"type\": \"Feature\", \"properties\": {\"id\": \"%s\", \"name\": \"%s\", "
			"\"corridor_m\": 50, \"crs\": \"gcj02\"},\n   \"geometry\": {\"type\": "
			"\"LineString\", \"coordinates\": [", draw[r].id, draw[r].name);
		for (int i = 0; i < draw[r].n; i++)
			fprintf(f, "%s[%.4f, %.4f]", i ? ", " : "", draw[r].p[i][1], draw[r].p[i][0]);
		fprintf(f, "]}}%s\n", r + 1 < NROUTES ? "," : "");
	}
	fputs("]}\n", f);
	fclose(f);
}

/* A square ring of half side h around (x, y), in GCJ-02, as GeoJSON. */
static void ring(FILE *f, double x, double y, double h)
{
	static const int c[5][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 }, { -1, -1 } };

	fputs("[", f);
	for (int i = 0; i < 5; i++) {
		double lat, lon, glat, glon;
		geo_proj_inv(&proj, x + c[i][0] * h, y + c[i][1] * h, &lat, &lon);
		geo_wgs_to_gcj(lat, lon, &glat, &glon);
		fprintf(f, "%s[%.7f, %.7f]", i ? ", " : "", glon, glat);
	}
	fputs("]", f);
}

/* A zone's feature: its properties, then its square rings (the first the
 * boundary, the others holes) of half side h[i] around (x[i], y[i]). */
static void zone(FILE *f, const char *props, const double *x, const double *y,
		 const double *h, int nrings, int last)
{
	fprintf(f, "  {\"type\": \"Feature\", \"properties\": {%s, \"crs\": \"gcj02\"},\n"
		"   \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [", props);
	for (int i = 0; i < nrings; i++) {
		if (i)
			fputs(", ", f);
		ring(f, x[i], y[i], h[i]);
	}
	fputs(last ? "]}}\n" : "]}},\n", f);
}

static void write_zones(const char *dir)
{
	FILE *f = gen_open(dir, "zones.geojson");
	double x[2], y[2], h[2], ux, uy;

	fputs("{\"type\": \"FeatureCollection\", \"features\": [\n", f);
	/* the school on R2, 1200 m from the plant */
	along(1, 1200, &x[0], &y[0], &ux, &uy);
	h[0] = 120;
	zone(f, "\"id\": \"Z1\", \"name\": \"鲁山一高周边\", \"kind\": \"forbidden\", "
	     "\"hours\": \"07:00-09:00\"", x, y, h, 1, 0);
	/* the old town beside R2, where 豫DB7890's detour goes; a car park in it
	 * is a hole */
	along(1, 3300 + 30 / 3.6 * 120, &x[0], &y[0], &ux, &uy);
	x[0] += -uy * 450;
	y[0] += ux * 450;
	h[0] = 200;
	x[1] = x[0] - uy * 120;
	y[1] = y[0] + ux * 120;
	h[1] = 40;
	zone(f, "\"id\": \"Z2\", \"name\": \"老城区核心区\", \"kind\": \"forbidden\"", x, y, h,
	     2, 0);
	/* the county hospital on R1, 3 km from its west end */
	along(0, 3000, &x[0], &y[0], &ux, &uy);
	h[0] = 300;
	zone(f, "\"id\": \"Z3\", \"name\": \"县人民医院\", \"kind\": \"speed\", \"limit_kmh\": 30",
	     x, y, h, 1, 1);
	fputs("]}\n", f);
	fclose(f);
}

static void write_vehicles(const char *dir)
{
	FILE *f = gen_open(dir, "vehicles.csv");

	fputs("车牌号,车辆类型,所属公司,限速,通行时段,核准路线\n", f);
	for (size_t i = 0; i < NPLANS; i++)
		fprintf(f, "%s,%s,%s,%d,%s,%s\n", plans[i].plate,
			strcmp(plans[i].kind, "muck") ? "商砼车" : "渣土车", plans[i].company,
			plans[i].limit, plans[i].hours, plans[i].route_ids);
	fclose(f);
}

static void write_planted(const char *dir)
{
	FILE *f = gen_open(dir, "planted.csv");

	fputs("plate,kind,from,to\n"
	      "豫D12345,hours,06:00:00,06:00:10\n"
	      "豫D23456,speeding,23:10:00,23:10:10\n"
	      "豫D34567F,zone,07:31:00,07:34:00\n"
	      "豫DB7890,off_route,10:05:00,10:06:00\n"
	      "豫DB7890,zone,10:05:30,10:08:00\n"
	      "豫D56789,gap,00:49:50,00:49:50\n"
	      "豫D67890,speeding,03:03:00,03:05:30\n", f);
	fclose(f);
}

/* ---- the fixes --------------------------------------------------------- */

static int by_time(const void *a, const void *b)
{
	const struct fix *x = a, *y = b;
	return x->t != y->t ? x->t - y->t : x->v - y->v;
}

static void put(const struct fix *f)
{
	printf("%s,2023-11-27 %02d:%02d:%02d,%.6f,%.6f,%.1f,%d\n", plans[f->v].plate, f->t / 3600,
	       f->t / 60 % 60, f->t % 60, f->lat, f->lon, f->speed, f->head);
}

int main(int argc, char **argv)
{
	const char *dir = argc == 3 && strcmp(argv[1], "-d") == 0 ? argv[2] : NULL;
	size_t late = 0;

	if (!dir) {
		fprintf(stderr, "usage: genfixes -d DIR > fixes.csv\n");
		return 64;
	}
	rnd_seed(20231127);
	build_routes();
	for (size_t v = 0; v < NPLANS; v++)
		simulate(v);
	qsort(fixes, nfix, sizeof *fixes, by_time);
	write_routes(dir);
	write_zones(dir);
	write_vehicles(dir);
	write_planted(dir);
	puts("plate,at,lat,lon,speed_kmh,heading");
	for (size_t i = 0; i < nfix; i++) {
		const struct fix *f = &fixes[i];
		if (f->v == 6 && f->t == H(14, 0, 0)) {
			late = i; /* sent late: at the end */
			continue;
		}
		put(f);
		if (f->v != 6)
			continue;
		if (f->t == H(13, 40, 0))
			put(f); /* sent twice */
		if (f->t == H(13, 30, 0))
			printf("%s,2023-11-27 13:30:05,0.000000,0.000000,0.0,0\n", plans[6].plate);
		if (f->t == H(13, 50, 0))
			printf("%s,2023-11-27 13:50:05,%.6f,%.6f,%.1f,%d\n", plans[6].plate,
			       f->lat + 0.05, f->lon, f->speed, f->head);
	}
	if (late)
		put(&fixes[late]);
	free(fixes);
	return ferror(stdout) ? 1 : 0;
}
