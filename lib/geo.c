#include "common.h"

#include <math.h>
#include <strings.h>

#include "geo.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/* WGS-84 */
#define WGS_A 6378137.0
#define WGS_E2 0.00669437999014

/* The GCJ-02 offset is defined on Krasovsky's ellipsoid. */
#define KRA_A 6378245.0
#define KRA_E2 0.00669342162296594323
#define BD_X_PI (PI * 3000.0 / 180.0)

double geo_haversine_m(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dlon / 2) * sin(dlon / 2);

	if (a > 1)
		a = 1;
	return 2 * GEO_EARTH_R_M * asin(sqrt(a));
}

/* ---- the local projection --------------------------------------------- */

/* radii of curvature at phi (radians): meridian M, prime vertical N */
static double rad_m(double phi)
{
	double s = sin(phi), w = 1 - WGS_E2 * s * s;
	return WGS_A * (1 - WGS_E2) / (w * sqrt(w));
}

static double rad_n(double phi)
{
	double s = sin(phi);
	return WGS_A / sqrt(1 - WGS_E2 * s * s);
}

static double par_p(double phi)
{
	return rad_n(phi) * cos(phi);
}

static double par_q(double phi)
{
	return rad_n(phi) * sin(phi) * cos(phi) / 2;
}

void geo_proj_init(struct geo_proj *p, double lat0, double lon0)
{
	const double h = 1e-3;
	double f = lat0 * DEG;
	double m0 = rad_m(f), mm = rad_m(f - h), mp = rad_m(f + h);
	double p0 = par_p(f), pm = par_p(f - h), pp = par_p(f + h);
	double pm2 = par_p(f - 2 * h), pp2 = par_p(f + 2 * h);
	double q0 = par_q(f), qm = par_q(f - h), qp = par_q(f + h);

	p->lat0 = lat0;
	p->lon0 = lon0;
	/* the arc is the integral of M: its Taylor series at the origin */
	p->a1 = m0;
	p->a2 = (mp - mm) / (2 * h) / 2;
	p->a3 = (mp - 2 * m0 + mm) / (h * h) / 6;
	p->p0 = p0;
	p->p1 = (pp - pm) / (2 * h);
	p->p2 = (pp - 2 * p0 + pm) / (h * h) / 2;
	p->p3 = (pp2 - 2 * pp + 2 * pm - pm2) / (2 * h * h * h) / 6;
	p->q0 = q0;
	p->q1 = (qp - qm) / (2 * h);
	p->q2 = (qp - 2 * q0 + qm) / (h * h) / 2;
}

/* The meridian arc from the equator: Helmert's series in e^2,
 * a (1 - e2) (A phi - B/2 sin 2phi + C/4 sin 4phi - D/6 sin 6phi). */
static double meridian_arc(double phi)
{
	const double e2 = WGS_E2, e4 = e2 * e2, e6 = e4 * e2;
	double a = 1 + 0.75 * e2 + 45.0 / 64 * e4 + 175.0 / 256 * e6;
	double b = 0.75 * e2 + 15.0 / 16 * e4 + 525.0 / 512 * e6;
	double c = 15.0 / 64 * e4 + 105.0 / 256 * e6;
	double d = 35.0 / 512 * e6;

	return WGS_A * (1 - e2) *
	       (a * phi - b / 2 * sin(2 * phi) + c / 4 * sin(4 * phi) - d / 6 * sin(6 * phi));
}

void geo_proj_far(const struct geo_proj *p, double lat, double lon, double *x,
		  double *y)
{
	double f = lat * DEG, l = (lon - p->lon0) * DEG, n = rad_n(f);

	*x = n * cos(f) * l;
	*y = meridian_arc(f) - meridian_arc(p->lat0 * DEG) + n * sin(f) * cos(f) * l * l / 2;
}

void geo_proj_inv(const struct geo_proj *p, double x, double y, double *lat,
		  double *lon)
{
	double la = p->lat0 + y / p->a1 / DEG, lo = p->lon0 + x / p->p0 / DEG;

	for (int i = 0; i < 20; i++) {
		double fx, fy, d = (la - p->lat0) * DEG, dla, dlo;
		geo_proj_fwd(p, la, lo, &fx, &fy);
		dla = (y - fy) / p->a1 / DEG;
		dlo = (x - fx) / (p->p0 + d * (p->p1 + d * (p->p2 + d * p->p3))) / DEG;
		la += dla;
		lo += dlo;
		if (fabs(dla) < 1e-12 && fabs(dlo) < 1e-12)
			break;
	}
	*lat = la;
	*lon = lo;
}

/* ---- plane geometry ---------------------------------------------------- */

double geo_orient(double ax, double ay, double bx, double by, double px,
		  double py)
{
	double a = bx - ax, d = py - ay, b = by - ay, c = px - ax;
	/* a*d - b*c with one rounding (Kahan) */
	double w = b * c;
	double e = fma(-b, c, w);
	double f = fma(a, d, -w);

	return f + e;
}

double geo_seg_dist2(double px, double py, double ax, double ay, double bx,
		     double by, double *t)
{
	double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
	double ex = px - ax, ey = py - ay, dot, o;

	*t = 0;
	if (!(len2 > 0))
		return ex * ex + ey * ey;
	dot = ex * dx + ey * dy;
	if (dot <= 0)
		return ex * ex + ey * ey;
	if (dot >= len2) {
		*t = 1;
		ex = px - bx;
		ey = py - by;
		return ex * ex + ey * ey;
	}
	*t = dot / len2;
	o = geo_orient(ax, ay, bx, by, px, py);
	return o == 0 ? 0 : o * o / len2;
}

int geo_ring_where(double x, double y, const double *r, size_t n)
{
	int in = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		double ax = r[2 * i], ay = r[2 * i + 1];
		double bx = r[2 * i + 2], by = r[2 * i + 3];
		double o;

		if ((ay > y && by > y) || (ay < y && by < y))
			continue; /* the edge is wholly above or below */
		o = geo_orient(ax, ay, bx, by, x, y);
		if (o == 0 && x >= fmin(ax, bx) && x <= fmax(ax, bx) &&
		    y >= fmin(ay, by) && y <= fmax(ay, by))
			return GEO_ON;
		/* half-open: an upward edge includes its start, a downward
		 * edge its end, so a ray through a vertex counts once */
		if (ay <= y && by > y && o > 0)
			in = !in;
		else if (by <= y && ay > y && o < 0)
			in = !in;
	}
	return in ? GEO_IN : GEO_OUT;
}

int geo_poly_where(double x, double y, const double *const *rings,
		   const size_t *lens, size_t nrings)
{
	int w;

	if (nrings == 0)
		return GEO_OUT;
	w = geo_ring_where(x, y, rings[0], lens[0]);
	if (w != GEO_IN)
		return w;
	for (size_t i = 1; i < nrings; i++) {
		w = geo_ring_where(x, y, rings[i], lens[i]);
		if (w == GEO_ON)
			return GEO_ON;
		if (w == GEO_IN)
			return GEO_OUT;
	}
	return GEO_IN;
}

/* ---- datums ------------------------------------------------------------ */

int geo_crs_parse(const char *s)
{
	static const struct { const char *name; int crs; } names[] = {
		{ "wgs84", GEO_WGS84 }, { "wgs-84", GEO_WGS84 },
		{ "epsg:4326", GEO_WGS84 }, { "gcj02", GEO_GCJ02 },
		{ "gcj-02", GEO_GCJ02 }, { "bd09", GEO_BD09 },
		{ "bd-09", GEO_BD09 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].crs;
	return -1;
}

const char *geo_crs_name(enum geo_crs c)
{
	return c == GEO_GCJ02 ? "gcj02" : c == GEO_BD09 ? "bd09" : "wgs84";
}

int geo_in_china(double lat, double lon)
{
	return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

static void gcj_delta(double lat, double lon, double *dlat, double *dlon)
{
	double x = lon - 105.0, y = lat - 35.0;
	double xp = x * PI, yp = y * PI;
	double d = (20.0 * sin(6.0 * xp) + 20.0 * sin(2.0 * xp)) * 2.0 / 3.0;
	double tla = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y +
		     0.2 * sqrt(fabs(x)) + d +
		     (20.0 * sin(yp) + 40.0 * sin(yp / 3.0)) * 2.0 / 3.0 +
		     (160.0 * sin(yp / 12.0) + 320.0 * sin(yp / 30.0)) * 2.0 / 3.0;
	double tlo = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y +
		     0.1 * sqrt(fabs(x)) + d +
		     (20.0 * sin(xp) + 40.0 * sin(xp / 3.0)) * 2.0 / 3.0 +
		     (150.0 * sin(xp / 12.0) + 300.0 * sin(xp / 30.0)) * 2.0 / 3.0;
	double rl = lat * DEG, s = sin(rl), magic = 1 - KRA_E2 * s * s;
	double sm = sqrt(magic);

	*dlat = tla * 180.0 / ((KRA_A * (1 - KRA_E2)) / (magic * sm) * PI);
	*dlon = tlo * 180.0 / (KRA_A / sm * cos(rl) * PI);
}

void geo_wgs_to_gcj(double lat, double lon, double *glat, double *glon)
{
	double dla, dlo;

	if (!geo_in_china(lat, lon)) {
		*glat = lat;
		*glon = lon;
		return;
	}
	gcj_delta(lat, lon, &dla, &dlo);
	*glat = lat + dla;
	*glon = lon + dlo;
}

/* Invert f (a small offset of the identity) at (ta, to) by fixed-point
 * iteration: x <- x - (f(x) - target). */
static void invert(void (*f)(double, double, double *, double *), double ta,
		   double to, double *la, double *lo)
{
	double x = *la, y = *lo;

	for (int i = 0; i < 40; i++) {
		double fa, fo;
		f(x, y, &fa, &fo);
		fa -= ta;
		fo -= to;
		x -= fa;
		y -= fo;
		if (fabs(fa) < 1e-12 && fabs(fo) < 1e-12)
			break;
	}
	*la = x;
	*lo = y;
}

void geo_gcj_to_wgs(double glat, double glon, double *lat, double *lon)
{
	*lat = glat;
	*lon = glon;
	if (geo_in_china(glat, glon))
		invert(geo_wgs_to_gcj, glat, glon, lat, lon);
}

void geo_gcj_to_bd(double glat, double glon, double *blat, double *blon)
{
	double z, th;

	if (!geo_in_china(glat, glon)) {
		*blat = glat;
		*blon = glon;
		return;
	}
	z = sqrt(glon * glon + glat * glat) + 0.00002 * sin(glat * BD_X_PI);
	th = atan2(glat, glon) + 0.000003 * cos(glon * BD_X_PI);
	*blon = z * cos(th) + 0.0065;
	*blat = z * sin(th) + 0.006;
}

void geo_bd_to_gcj(double blat, double blon, double *glat, double *glon)
{
	double x = blon - 0.0065, y = blat - 0.006, z, th;

	if (!geo_in_china(blat, blon)) {
		*glat = blat;
		*glon = blon;
		return;
	}
	/* the usual approximate inverse, then exact by iteration */
	z = sqrt(x * x + y * y) - 0.00002 * sin(y * BD_X_PI);
	th = atan2(y, x) - 0.000003 * cos(x * BD_X_PI);
	*glon = z * cos(th);
	*glat = z * sin(th);
	invert(geo_gcj_to_bd, blat, blon, glat, glon);
}

void geo_to_wgs(enum geo_crs crs, double lat, double lon, double *wlat,
		double *wlon)
{
	double g1 = lat, g2 = lon;

	if (crs == GEO_BD09)
		geo_bd_to_gcj(lat, lon, &g1, &g2);
	if (crs == GEO_WGS84) {
		*wlat = lat;
		*wlon = lon;
		return;
	}
	geo_gcj_to_wgs(g1, g2, wlat, wlon);
}

void geo_from_wgs(enum geo_crs crs, double lat, double lon, double *clat,
		  double *clon)
{
	double g1, g2;

	if (crs == GEO_WGS84) {
		*clat = lat;
		*clon = lon;
		return;
	}
	geo_wgs_to_gcj(lat, lon, &g1, &g2);
	if (crs == GEO_GCJ02) {
		*clat = g1;
		*clon = g2;
		return;
	}
	geo_gcj_to_bd(g1, g2, clat, clon);
}
