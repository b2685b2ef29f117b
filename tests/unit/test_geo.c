/*
 * test_geo.c - geo against values computed elsewhere: the published length
 * of a degree on WGS-84, Vincenty's Flinders Peak - Buninyong geodesic,
 * the GCJ-02 and BD-09 test points of eviltransform and coordtransform,
 * a real pair of Amap / Baidu coordinates, and hand-worked plane geometry.
 */
#include "common.h"

#include <math.h>

#include "geo.h"
#include "tap.h"

static int near(double got, double want, double tol, const char *what)
{
	int r = ok(fabs(got - want) <= tol, "%s", what);
	if (!r)
		printf("#   got %.12f want %.12f (tolerance %g)\n", got, want, tol);
	return r;
}

static double pdist(const struct geo_proj *p, double la1, double lo1,
		    double la2, double lo2)
{
	double x1, y1, x2, y2;
	geo_proj_fwd(p, la1, lo1, &x1, &y1);
	geo_proj_fwd(p, la2, lo2, &x2, &y2);
	return hypot(x2 - x1, y2 - y1);
}

static double dms(int d, int m, double s)
{
	double v = abs(d) + m / 60.0 + s / 3600.0;
	return d < 0 ? -v : v;
}

static void test_projection(void)
{
	struct geo_proj p;
	double lat, lon, x, y;

	/* the length of a degree at 30 N: 110 852 m of latitude, 96 486 m
	 * of longitude (WGS-84 tables, to the metre) */
	geo_proj_init(&p, 30, 0);
	near(pdist(&p, 29.995, 0, 30.005, 0), 1108.52, 0.02, "0.01 degree of latitude at 30 N");
	near(pdist(&p, 30, -0.005, 30, 0.005), 964.86, 0.02, "0.01 degree of longitude at 30 N");
	geo_proj_fwd(&p, 30, 0, &x, &y);
	ok(x == 0 && y == 0, "the origin projects to 0,0");
	/* a whole degree, beyond the fitted polynomials: the meridian arc's
	 * series (110 852 m at 30 N, 111 132 m at 45 N) */
	near(pdist(&p, 29.5, 0, 30.5, 0), 110852, 1, "1 degree of latitude at 30 N, far from the origin");
	geo_proj_init(&p, 45, 0);
	near(pdist(&p, 44.5, 0, 45.5, 0), 111132, 1, "1 degree of latitude at 45 N");
	/* the fitted polynomials and the formula agree where they meet */
	{
		double x2, y2;
		geo_proj_init(&p, 38.6, 99.66);
		geo_proj_fwd(&p, 38.6 + 0.0099 * 57.29578, 99.66 + 0.0199 * 57.29578, &x, &y);
		geo_proj_far(&p, 38.6 + 0.0099 * 57.29578, 99.66 + 0.0199 * 57.29578, &x2, &y2);
		ok(fabs(x - x2) < 1e-3 && fabs(y - y2) < 1e-3,
		   "polynomials within 1 mm of the formula at their edge");
	}
	geo_proj_init(&p, 30, 0);

	/* Vincenty (1975) / Geoscience Australia: Flinders Peak to Buninyong,
	 * 54 972.271 m on the ellipsoid; projected about their middle */
	{
		double la1 = dms(-37, 57, 3.72030), lo1 = dms(144, 25, 29.52440);
		double la2 = dms(-37, 39, 10.15610), lo2 = dms(143, 55, 35.38390);
		geo_proj_init(&p, (la1 + la2) / 2, (lo1 + lo2) / 2);
		near(pdist(&p, la1, lo1, la2, lo2), 54972.271, 1.0,
		     "Flinders Peak - Buninyong within 1 m of the geodesic");
	}

	/* the inverse: 鲁山 and 25 km away */
	geo_proj_init(&p, 33.74, 112.91);
	geo_proj_fwd(&p, 33.95, 113.12, &x, &y);
	geo_proj_inv(&p, x, y, &lat, &lon);
	near(lat, 33.95, 1e-10, "inverse latitude");
	near(lon, 113.12, 1e-10, "inverse longitude");
	/* 1 degree of latitude on the sphere: 2 pi R / 360 */
	near(geo_haversine_m(33, 112, 34, 112), 111195.080, 0.01, "haversine, 1 degree");
}

static void test_segments(void)
{
	double t, d2;

	d2 = geo_seg_dist2(3, 4, 0, 0, 0, 0, &t);
	ok(d2 == 25 && t == 0 && !isnan(d2), "zero-length segment: distance to its point");
	ok(geo_seg_dist2(5, 0, 0, 0, 10, 0, &t) == 0 && t == 0.5, "on the segment: exactly 0");
	ok(geo_seg_dist2(0, 0, 0, 0, 10, 0, &t) == 0, "on a vertex: exactly 0");
	ok(geo_seg_dist2(1.5, 2, 0, 0, 3, 4, &t) == 0, "on a slanted segment: exactly 0");
	ok(geo_seg_dist2(-3, 4, 0, 0, 10, 0, &t) == 25 && t == 0, "before A: clamped to A");
	ok(geo_seg_dist2(13, 4, 0, 0, 10, 0, &t) == 25 && t == 1, "after B: clamped to B");
	ok(geo_seg_dist2(5, 3, 0, 0, 10, 0, &t) == 9, "perpendicular distance 3");
	/* 3-4-5: P = (0, 5) to the segment (0,0)-(4,3) is 4 * 5 / 5 = 4 */
	near(sqrt(geo_seg_dist2(0, 5, 0, 0, 4, 3, &t)), 4, 1e-12, "slanted perpendicular distance");
	d2 = geo_seg_dist2(1e-300, 1e-300, 0, 0, 1e-300, 1e-300, &t);
	ok(!isnan(d2), "tiny segment: no NaN");
	ok(geo_orient(0, 0, 1, 0, 0, 1) > 0 && geo_orient(0, 0, 1, 0, 0, -1) < 0,
	   "orientation: left positive, right negative");
}

static void test_polygons(void)
{
	/* a 10 x 10 square with a 2 x 2 hole in its middle */
	static const double outer[] = { 0, 0, 10, 0, 10, 10, 0, 10, 0, 0 };
	static const double hole[] = { 4, 4, 4, 6, 6, 6, 6, 4, 4, 4 };
	const double *rings[] = { outer, hole };
	size_t lens[] = { 5, 5 };

	ok(geo_poly_where(1, 1, rings, lens, 2) == GEO_IN, "inside");
	ok(geo_poly_where(11, 1, rings, lens, 2) == GEO_OUT, "outside");
	ok(geo_poly_where(5, 5, rings, lens, 2) == GEO_OUT, "in the hole: outside");
	ok(geo_poly_where(10, 5, rings, lens, 2) == GEO_ON, "on the outer edge: on");
	ok(geo_poly_where(0, 0, rings, lens, 2) == GEO_ON, "on a vertex: on");
	ok(geo_poly_where(4, 5, rings, lens, 2) == GEO_ON, "on the hole's edge: on");
	ok(geo_poly_where(-1, 0, rings, lens, 2) == GEO_OUT, "level with a vertex, outside");
	ok(geo_poly_where(5, 10.000001, rings, lens, 2) == GEO_OUT, "just above the top edge");
	ok(geo_poly_where(2, 4, rings, lens, 2) == GEO_IN, "level with the hole's corner: in");
	/* a triangle: ray through the apex counts once */
	{
		static const double tri[] = { 0, 0, 4, 0, 2, 2, 0, 0 };
		ok(geo_ring_where(1, 2, tri, 4) == GEO_OUT, "ray through the apex from outside");
		ok(geo_ring_where(2, 1, tri, 4) == GEO_IN, "triangle inside");
	}
}

static void test_datums(void)
{
	double a, b, c, d;

	/* coordtransform's README (Krasovsky a = 6378245): lon 116.404 lat 39.915 */
	geo_wgs_to_gcj(39.915, 116.404, &a, &b);
	near(a, 39.91640428150164, 1e-9, "wgs84 -> gcj02 latitude (coordtransform)");
	near(b, 116.41024449916938, 1e-9, "wgs84 -> gcj02 longitude (coordtransform)");
	geo_gcj_to_bd(39.915, 116.404, &a, &b);
	near(a, 39.92133699351021, 1e-9, "gcj02 -> bd09 latitude (coordtransform)");
	near(b, 116.41036949371029, 1e-9, "gcj02 -> bd09 longitude (coordtransform)");
	/* eviltransform's test points (computed with a = 6378137: 1e-6) */
	{
		static const double pts[][4] = {
			{ 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215 },
			{ 22.543847, 113.912316, 22.540796131694766, 113.9171764808363 },
			{ 39.911954, 116.377817, 39.91334545536069, 116.38404722455657 },
		};
		for (size_t i = 0; i < ARRAY_SIZE(pts); i++) {
			geo_wgs_to_gcj(pts[i][0], pts[i][1], &a, &b);
			near(a, pts[i][2], 1e-6, "eviltransform point, latitude");
			near(b, pts[i][3], 1e-6, "eviltransform point, longitude");
			geo_gcj_to_wgs(pts[i][2], pts[i][3], &c, &d);
			ok(geo_haversine_m(c, d, pts[i][0], pts[i][1]) < 0.5,
			   "gcj02 -> wgs84 exact inverse within 0.5 m");
		}
	}
	/* exact inverses */
	geo_gcj_to_wgs(39.91640428150164, 116.41024449916938, &a, &b);
	near(a, 39.915, 1e-9, "gcj02 -> wgs84 inverse latitude");
	near(b, 116.404, 1e-9, "gcj02 -> wgs84 inverse longitude");
	/* coordtransform's approximate inverse is a few metres off */
	geo_gcj_to_wgs(39.915, 116.404, &a, &b);
	ok(geo_haversine_m(a, b, 39.91359571849836, 116.39775550083061) < 5,
	   "exact gcj02 -> wgs84 near coordtransform's one-step inverse");
	geo_bd_to_gcj(39.92133699351021, 116.41036949371029, &a, &b);
	near(a, 39.915, 1e-9, "bd09 -> gcj02 inverse latitude");
	near(b, 116.404, 1e-9, "bd09 -> gcj02 inverse longitude");
	geo_bd_to_gcj(39.915, 116.404, &a, &b);
	ok(geo_haversine_m(a, b, 39.90865673957631, 116.39762729119315) < 1,
	   "exact bd09 -> gcj02 near coordtransform's closed form");
	/* Beijing railway station on Amap (GCJ-02) and Baidu (BD-09) */
	geo_gcj_to_bd(39.90245, 116.42703, &a, &b);
	near(a, 39.90851, 2e-5, "Beijing station, Amap -> Baidu latitude");
	near(b, 116.43351, 2e-5, "Beijing station, Amap -> Baidu longitude");
	/* round trips through every datum at 鲁山 */
	for (int crs = GEO_WGS84; crs <= GEO_BD09; crs++) {
		geo_from_wgs((enum geo_crs)crs, 33.7403, 112.9089, &a, &b);
		geo_to_wgs((enum geo_crs)crs, a, b, &c, &d);
		ok(geo_haversine_m(c, d, 33.7403, 112.9089) < 1e-4, "round trip through %s",
		   geo_crs_name((enum geo_crs)crs));
	}
	geo_wgs_to_gcj(48.8584, 2.2945, &a, &b);
	ok(a == 48.8584 && b == 2.2945, "outside China: unchanged");
	ok(geo_crs_parse("GCJ-02") == GEO_GCJ02 && geo_crs_parse("bd09") == GEO_BD09 &&
	   geo_crs_parse("wgs84") == GEO_WGS84 && geo_crs_parse("utm") == -1, "crs names");
}

int main(void)
{
	test_projection();
	test_segments();
	test_polygons();
	test_datums();
	return tap_done();
}
