/*
 * geo.h - distances on the earth, a local metric projection, distances to
 * polylines, points in polygons, and the Chinese map datums.
 *
 *   double m = geo_haversine_m(lat1, lon1, lat2, lon2);   great-circle
 *           distance in metres on a sphere of radius GEO_EARTH_R_M (the
 *           mean radius; within 0.5 % of the ellipsoid everywhere)
 *
 * The local projection (county-sized areas):
 *   struct geo_proj p;  geo_proj_init(&p, lat0, lon0);
 *   geo_proj_fwd(&p, lat, lon, &x, &y);      metres east and north of
 *                                            the origin
 *   geo_proj_inv(&p, x, y, &lat, &lon);      back, by iteration
 * It is a transverse Mercator (Gauss-Krueger, as China's maps use) on the
 * WGS-84 ellipsoid about the origin's meridian, with scale 1 there, to the
 * second order in the difference of longitude:
 *     x = N cos(lat) l,   y = arc(lat0, lat) + N sin(lat) cos(lat) l^2 / 2
 * (l the difference of longitude, N the radius of the prime vertical).
 * Within 0.01 radian of latitude and 0.02 of longitude of the origin (some
 * 60 km) the arc and the radii are polynomials fitted at the origin: a few
 * multiplications, no trigonometry, a point; farther they are computed.
 * Within 40 km of the origin a distance is off by less than 2e-5 of itself
 * (under 1 m across a county); farther the scale grows as 1 + x^2 / 2R^2
 * (0.2 % at 400 km): the projection is for a county, not a country.
 *
 * Plane geometry on projected points (metres):
 *   double d2 = geo_seg_dist2(px, py, ax, ay, bx, by, &t);
 *           squared distance from P to the segment AB; the foot of the
 *           perpendicular is clamped to the segment (t in [0, 1] is where it
 *           falls, 0 for a segment of zero length).  Never NaN for finite
 *           input; exactly 0 when P is A or B, or when the determinant of
 *           (B - A, P - A) is exactly 0 and the foot lies on the segment.
 *   double o = geo_orient(ax, ay, bx, by, px, py);   the determinant of
 *           (B - A, P - A), computed with one rounding (fma): > 0 when P is
 *           left of AB, < 0 right, 0 on the line
 *   int w = geo_ring_where(x, y, ring, n);   GEO_OUT, GEO_IN or GEO_ON for
 *           a closed ring of n points (first == last, xy interleaved)
 *   int w = geo_poly_where(x, y, rings, lens, nrings);   the first ring is
 *           the outer boundary, the others are holes
 * Boundary rule: a polygon is a closed set.  A point on its outer ring, or
 * on the ring of a hole, is inside (GEO_ON); a point strictly inside a hole
 * is outside.  Crossing-number test otherwise (the half-open rule on
 * vertices, so a ray through a vertex counts once).
 *
 * Datums (degrees; outside China's box, GCJ-02 and BD-09 equal WGS-84):
 *   geo_wgs_to_gcj(lat, lon, &glat, &glon);   the published GCJ-02 offset
 *   geo_gcj_to_wgs(glat, glon, &lat, &lon);   its exact inverse, by
 *                                             iteration (within 1e-9 degree)
 *   geo_gcj_to_bd(...), geo_bd_to_gcj(...)    BD-09 and its exact inverse
 *   geo_to_wgs(crs, lat, lon, &wlat, &wlon)   from GEO_WGS84, GEO_GCJ02 or
 *                                             GEO_BD09
 *   geo_crs_parse("gcj02") -> GEO_GCJ02, -1 when unknown ("wgs84" "wgs-84"
 *   "epsg:4326" "gcj02" "gcj-02" "bd09" "bd-09", any case)
 *   geo_in_china(lat, lon)                    the box the offsets apply in
 */
#ifndef CITYOPS_GEO_H
#define CITYOPS_GEO_H

#include <stddef.h>

#define GEO_EARTH_R_M 6371008.8

double geo_haversine_m(double lat1, double lon1, double lat2, double lon2);

struct geo_proj {
	double lat0, lon0;        /* degrees */
	double a1, a2, a3;        /* meridian arc: a1 d + a2 d^2 + a3 d^3 */
	double p0, p1, p2, p3;    /* N cos(lat): p0 + p1 d + p2 d^2 + p3 d^3 */
	double q0, q1, q2;        /* N sin cos / 2: q0 + q1 d + q2 d^2 */
};

void geo_proj_init(struct geo_proj *p, double lat0, double lon0);
void geo_proj_inv(const struct geo_proj *p, double x, double y, double *lat,
		  double *lon);

void geo_proj_far(const struct geo_proj *p, double lat, double lon, double *x,
		  double *y);

static inline void geo_proj_fwd(const struct geo_proj *p, double lat,
				double lon, double *x, double *y)
{
	const double rad = 3.14159265358979323846 / 180.0;
	double d = (lat - p->lat0) * rad, l = (lon - p->lon0) * rad;

	if (d > 0.01 || d < -0.01 || l > 0.02 || l < -0.02) {
		geo_proj_far(p, lat, lon, x, y);
		return;
	}
	*x = (p->p0 + d * (p->p1 + d * (p->p2 + d * p->p3))) * l;
	*y = d * (p->a1 + d * (p->a2 + d * p->a3)) + (p->q0 + d * (p->q1 + d * p->q2)) * l * l;
}

double geo_orient(double ax, double ay, double bx, double by, double px,
		  double py);
double geo_seg_dist2(double px, double py, double ax, double ay, double bx,
		     double by, double *t);

enum { GEO_OUT, GEO_IN, GEO_ON };
int geo_ring_where(double x, double y, const double *ring, size_t n);
int geo_poly_where(double x, double y, const double *const *rings,
		   const size_t *lens, size_t nrings);

enum geo_crs { GEO_WGS84, GEO_GCJ02, GEO_BD09 };
int geo_crs_parse(const char *s);
const char *geo_crs_name(enum geo_crs c);
int geo_in_china(double lat, double lon);
void geo_wgs_to_gcj(double lat, double lon, double *glat, double *glon);
void geo_gcj_to_wgs(double glat, double glon, double *lat, double *lon);
void geo_gcj_to_bd(double glat, double glon, double *blat, double *blon);
void geo_bd_to_gcj(double blat, double blon, double *glat, double *glon);
void geo_to_wgs(enum geo_crs crs, double lat, double lon, double *wlat,
		double *wlon);
void geo_from_wgs(enum geo_crs crs, double lat, double lon, double *clat,
		  double *clon);

#endif
