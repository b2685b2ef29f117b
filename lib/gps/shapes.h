/*
 * shapes.h - approved routes and zones (routes.geojson, zones.geojson, or
 * CSV files with the shape as WKT), converted to WGS-84 and projected.
 *
 *   struct gps_shapes r = { 0 };
 *   st = shapes_load(&r, "routes.geojson", SHAPES_ROUTES);  0, 66 cannot
 *                 open, 74 read error, 78 bad file (message printed, with
 *                 the file and the feature number or line)
 *   shapes_origin(&r, &z, &lat, &lon)   the middle of their extent: 0, or
 *                                       -1 when there are none
 *   shapes_project(&r, &proj)           fills xy and the boxes
 *   i = shapes_find(&r, "R1")           index, or -1
 *   shapes_free(&r)
 *
 * GeoJSON: a FeatureCollection, a Feature or a bare geometry.  Routes are
 * LineString or MultiLineString features, zones Polygon or MultiPolygon
 * (holes allowed, every ring closed).  Properties: id (else the feature's
 * "id", else its name, else "#N"), name, corridor_m (routes; default 50),
 * crs (wgs84, gcj02, bd09; default wgs84), kind (zones: forbidden or
 * speed; default forbidden), limit_kmh (speed zones), hours.
 * A file whose name ends in .csv or .tsv (or whose first character is not
 * '{' or '[') is read as a table with the same columns and the shape in a
 * "wkt" column: LINESTRING, MULTILINESTRING, POLYGON, MULTIPOLYGON, as
 * lon lat pairs.
 * Coordinates are rounded to 1e-7 degree (1 cm) after conversion, as the
 * fixes are, so that a fix read from the same text lies exactly on them.
 */
#ifndef CITYOPS_GPS_SHAPES_H
#define CITYOPS_GPS_SHAPES_H

#include "geo.h"
#include "gps/hours.h"

enum { SHAPES_ROUTES, SHAPES_ZONES };
enum { ZONE_FORBIDDEN, ZONE_SPEED };

struct gps_ring {
	size_t start, n;   /* points of the ring (a line part, for routes) */
	size_t poly;       /* the polygon it belongs to (0 for routes) */
};

struct gps_shape {
	char *id;           /* its id, else its name */
	int kind;           /* zones: ZONE_* */
	enum geo_crs crs;
	double corridor_m;  /* routes */
	double limit_kmh;   /* NaN: none */
	int has_hours;
	struct gps_hours hours;
	double *ll;         /* lat, lon pairs (WGS-84) */
	double *xy;         /* x, y pairs, after shapes_project() */
	size_t npts, ptcap;
	struct gps_ring *rings;
	size_t nrings, ringcap, npolys;
	double box[4];      /* projected: minx miny maxx maxy */
};

struct gps_shapes {
	struct gps_shape *s;
	size_t n, cap;
	const char *path;
};

int shapes_load(struct gps_shapes *sh, const char *path, int what);
int shapes_origin(const struct gps_shapes *const *sets, size_t nsets,
		  double *lat, double *lon);
void shapes_project(struct gps_shapes *sh, const struct geo_proj *p);
int shapes_find(const struct gps_shapes *sh, const char *id);
void shapes_free(struct gps_shapes *sh);

/* Which zones (of kind) hold the point at time t?  The first one, or -1. */
int shapes_zone_at(const struct gps_shapes *z, int kind, double x, double y,
		   int64_t t, int zone_min);

#endif
