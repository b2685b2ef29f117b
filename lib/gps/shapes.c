/*
 * shapes.c - routes and zones from GeoJSON or WKT (see shapes.h).
 */
#include "common.h"

#include <math.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "encoding.h"
#include "json.h"
#include "msg.h"
#include "gps/shapes.h"
#include "strnum.h"

#define MAX_FILE (256u << 20)

/* What one shape is being read from: for messages. */
struct src {
	const char *path;
	size_t feature;  /* GeoJSON: 1-based feature number */
	long line;       /* WKT tables: the line */
	int what;
};

static void bad(const struct src *sr, const struct gps_shape *s, const char *fmt, ...)
	ATTR_PRINTF(3, 4);
static void bad(const struct src *sr, const struct gps_shape *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sr->line)
		msg_errat(sr->path, sr->line, "%s", msg);
	else if (s && s->id)
		msg_err("%s: feature %zu ('%s'): %s", sr->path, sr->feature, s->id, msg);
	else
		msg_err("%s: feature %zu: %s", sr->path, sr->feature, msg);
}

static void add_point(struct gps_shape *s, double lon, double lat)
{
	XGROW(s->ll, 2 * (s->npts + 1), s->ptcap);
	s->ll[2 * s->npts] = lat;
	s->ll[2 * s->npts + 1] = lon;
	s->npts++;
}

static void add_ring(struct gps_shape *s, size_t start, size_t poly)
{
	XGROW(s->rings, s->nrings + 1, s->ringcap);
	s->rings[s->nrings].start = start;
	s->rings[s->nrings].n = s->npts - start;
	s->rings[s->nrings].poly = poly;
	s->nrings++;
	if (poly + 1 > s->npolys)
		s->npolys = poly + 1;
}

/* Check the rings: lines of 2 points or more, polygons closed of 4. */
static int check_rings(const struct src *sr, const struct gps_shape *s)
{
	for (size_t i = 0; i < s->nrings; i++) {
		const struct gps_ring *r = &s->rings[i];
		const double *a = s->ll + 2 * r->start, *b = s->ll + 2 * (r->start + r->n - 1);
		for (size_t k = 0; k < r->n; k++) {
			double la = a[2 * k], lo = a[2 * k + 1];
			if (!(la >= -90 && la <= 90 && lo >= -180 && lo <= 180)) {
				bad(sr, s, "position %zu of part %zu: lat %g lon %g out of range "
				    "(positions are [lon, lat])", k + 1, i + 1, la, lo);
				return -1;
			}
		}
		if (sr->what == SHAPES_ROUTES && r->n < 2) {
			bad(sr, s, "line %zu has %zu position%s: a route needs 2 or more",
			    i + 1, r->n, r->n == 1 ? "" : "s");
			return -1;
		}
		if (sr->what == SHAPES_ZONES) {
			if (r->n < 4) {
				bad(sr, s, "ring %zu has %zu positions: a ring needs 4 or more",
				    i + 1, r->n);
				return -1;
			}
			if (a[0] != b[0] || a[1] != b[1]) {
				bad(sr, s, "ring %zu does not close: its last position is not its first",
				    i + 1);
				return -1;
			}
		}
	}
	if (s->nrings == 0) {
		bad(sr, s, "no positions");
		return -1;
	}
	return 0;
}

/* To WGS-84, rounded to 1e-7 degree. */
static void to_wgs(struct gps_shape *s)
{
	for (size_t i = 0; i < s->npts; i++) {
		double la, lo;
		geo_to_wgs(s->crs, s->ll[2 * i], s->ll[2 * i + 1], &la, &lo);
		s->ll[2 * i] = round(la * 1e7) / 1e7;
		s->ll[2 * i + 1] = round(lo * 1e7) / 1e7;
	}
}

/* ---- properties, from JSON values or table fields --------------------- */

enum { P_ID, P_NAME, P_CORRIDOR, P_CRS, P_KIND, P_LIMIT, P_HOURS, P_WKT, NPROPS };

static const struct rec_field prop_fields[NPROPS] = {
	[P_ID] = { "id", "编号|路线编号|区域编号|route|zone", 0 },
	[P_NAME] = { "name", "名称|路线名称|区域名称", 0 },
	[P_CORRIDOR] = { "corridor_m", "corridor|走廊宽度|容差|偏离阈值", 0 },
	[P_CRS] = { "crs", "坐标系", 0 },
	[P_KIND] = { "kind", "类型|区域类型", 0 },
	[P_LIMIT] = { "limit_kmh", "limit|限速", 0 },
	[P_HOURS] = { "hours", "时段|禁行时段|限行时段", 0 },
	[P_WKT] = { "wkt", "geometry|geom|shape|几何|坐标", 0 },
};

static int prop_num(const struct src *sr, struct gps_shape *s, const char *name,
		    const char *v, size_t n, double lo, double hi, double *out)
{
	if (strnum_double(v, n, out) < 0 || *out < lo || *out > hi) {
		bad(sr, s, "%s '%.*s' is not a number from %g to %g", name,
		    (int)(n > 40 ? 40 : n), v, lo, hi);
		return -1;
	}
	return 0;
}

static int set_props(const struct src *sr, struct gps_shape *s,
		     const char *const *v, const size_t *len)
{
	if (v[P_ID] && len[P_ID])
		s->id = xstrndup(v[P_ID], len[P_ID]);
	else if (v[P_NAME] && len[P_NAME])
		s->id = xstrndup(v[P_NAME], len[P_NAME]);
	s->corridor_m = 50;
	s->limit_kmh = NAN;
	if (v[P_CRS] && len[P_CRS]) {
		char c[16];
		int k;
		snprintf(c, sizeof c, "%.*s", (int)(len[P_CRS] > 15 ? 15 : len[P_CRS]), v[P_CRS]);
		if ((k = geo_crs_parse(c)) < 0 || len[P_CRS] > 15) {
			bad(sr, s, "unknown crs '%.*s' (wgs84, gcj02 or bd09)",
			    (int)(len[P_CRS] > 40 ? 40 : len[P_CRS]), v[P_CRS]);
			return -1;
		}
		s->crs = (enum geo_crs)k;
	}
	if (v[P_CORRIDOR] && len[P_CORRIDOR] &&
	    prop_num(sr, s, "corridor_m", v[P_CORRIDOR], len[P_CORRIDOR], 1, 10000,
		     &s->corridor_m) < 0)
		return -1;
	if (v[P_LIMIT] && len[P_LIMIT] &&
	    prop_num(sr, s, "limit_kmh", v[P_LIMIT], len[P_LIMIT], 1, 300, &s->limit_kmh) < 0)
		return -1;
	if (v[P_HOURS] && len[P_HOURS]) {
		const char *why = hours_parse(v[P_HOURS], len[P_HOURS], &s->hours);
		if (why) {
			bad(sr, s, "hours '%.*s': %s", (int)(len[P_HOURS] > 40 ? 40 : len[P_HOURS]),
			    v[P_HOURS], why);
			return -1;
		}
		s->has_hours = 1;
	}
	s->kind = ZONE_FORBIDDEN;
	if (sr->what == SHAPES_ZONES && v[P_KIND] && len[P_KIND]) {
		const char *k = v[P_KIND];
		size_t n = len[P_KIND];
		if ((n == 9 && strncasecmp(k, "forbidden", 9) == 0) || (n == 6 && memcmp(k, "禁行", 6) == 0))
			s->kind = ZONE_FORBIDDEN;
		else if ((n == 5 && strncasecmp(k, "speed", 5) == 0) || (n == 6 && memcmp(k, "限速", 6) == 0))
			s->kind = ZONE_SPEED;
		else {
			bad(sr, s, "kind '%.*s': expected forbidden or speed", (int)(n > 40 ? 40 : n), k);
			return -1;
		}
	}
	if (sr->what == SHAPES_ZONES && s->kind == ZONE_SPEED && isnan(s->limit_kmh)) {
		bad(sr, s, "a speed zone needs limit_kmh");
		return -1;
	}
	return 0;
}

/* ---- GeoJSON ----------------------------------------------------------- */

static int json_pos(const struct src *sr, struct gps_shape *s, const struct json_value *p)
{
	double lon, lat;

	if (p->type != JSON_ARRAY || p->n < 2 || p->items[0]->type != JSON_NUMBER ||
	    p->items[1]->type != JSON_NUMBER ||
	    strnum_double(p->items[0]->str, p->items[0]->len, &lon) < 0 ||
	    strnum_double(p->items[1]->str, p->items[1]->len, &lat) < 0) {
		bad(sr, s, "a position is not [lon, lat]");
		return -1;
	}
	add_point(s, lon, lat);
	return 0;
}

/* depth 1: a list of positions (one ring or line); 2: a list of those;
 * 3: a list of polygons */
static int json_coords(const struct src *sr, struct gps_shape *s,
		       const struct json_value *c, int depth, size_t *poly)
{
	if (!c || c->type != JSON_ARRAY) {
		bad(sr, s, "coordinates are not an array of the geometry's depth");
		return -1;
	}
	if (depth == 1) {
		size_t start = s->npts;
		for (size_t i = 0; i < c->n; i++)
			if (json_pos(sr, s, c->items[i]) < 0)
				return -1;
		add_ring(s, start, *poly);
		return 0;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (json_coords(sr, s, c->items[i], depth - 1, poly) < 0)
			return -1;
		if (depth == 3)
			++*poly;
	}
	return 0;
}

static const char *jstr(const struct json_value *v, size_t *n, char *tmp, size_t tn)
{
	if (!v || v->type == JSON_NULL)
		return NULL;
	if (v->type == JSON_STRING || v->type == JSON_NUMBER) {
		*n = v->len;
		return v->str;
	}
	*n = (size_t)snprintf(tmp, tn, "%s", v->type == JSON_TRUE ? "true" : "false");
	return tmp;
}

static int json_feature(struct gps_shapes *sh, const struct src *sr,
			const struct json_value *f, const struct json_value *geom)
{
	const struct json_value *props = f ? json_get(f, "properties") : NULL;
	const struct json_value *type, *coords;
	const char *v[NPROPS] = { 0 };
	size_t len[NPROPS] = { 0 };
	char tmp[NPROPS][8];
	struct gps_shape *s;
	size_t poly = 0;
	int depth, want_poly;

	XGROW(sh->s, sh->n + 1, sh->cap);
	s = &sh->s[sh->n++];
	memset(s, 0, sizeof *s);
	for (int i = 0; i < NPROPS && props && props->type == JSON_OBJECT; i++)
		v[i] = jstr(json_get(props, prop_fields[i].name), &len[i], tmp[i], sizeof tmp[i]);
	if (!v[P_ID] && f)
		v[P_ID] = jstr(json_get(f, "id"), &len[P_ID], tmp[P_ID], sizeof tmp[P_ID]);
	if (set_props(sr, s, v, len) < 0)
		return -1;
	if (!s->id) {
		char b[24];
		snprintf(b, sizeof b, "#%zu", sr->feature);
		s->id = xstrdup(b);
	}
	if (!geom || geom->type != JSON_OBJECT) {
		bad(sr, s, "no geometry");
		return -1;
	}
	type = json_get(geom, "type");
	coords = json_get(geom, "coordinates");
	if (!type || type->type != JSON_STRING) {
		bad(sr, s, "the geometry has no type");
		return -1;
	}
	if (strcmp(type->str, "LineString") == 0)
		depth = 1, want_poly = 0;
	else if (strcmp(type->str, "MultiLineString") == 0)
		depth = 2, want_poly = 0;
	else if (strcmp(type->str, "Polygon") == 0)
		depth = 2, want_poly = 1;
	else if (strcmp(type->str, "MultiPolygon") == 0)
		depth = 3, want_poly = 1;
	else
		depth = 0, want_poly = -1;
	if (want_poly != (sr->what == SHAPES_ZONES)) {
		bad(sr, s, "a %s is a %s, not a %s", sr->what == SHAPES_ZONES ? "zone" : "route",
		    sr->what == SHAPES_ZONES ? "Polygon or MultiPolygon" : "LineString or MultiLineString",
		    type->str);
		return -1;
	}
	if (json_coords(sr, s, coords, depth, &poly) < 0 || check_rings(sr, s) < 0)
		return -1;
	to_wgs(s);
	return 0;
}

static int load_geojson(struct gps_shapes *sh, struct src *sr, const char *text, size_t n)
{
	struct json_arena *a = json_arena_new();
	struct json_value *root, *type, *feats;
	struct json_error e;
	int st = 0;

	if (json_parse(text, n, a, &root, &e) < 0) {
		msg_err("%s: not GeoJSON: line %ld (byte %zu): %s", sr->path, e.line, e.offset, e.msg);
		st = EXIT_CONFIG;
		goto out;
	}
	type = root->type == JSON_OBJECT ? json_get(root, "type") : NULL;
	if (!type || type->type != JSON_STRING) {
		msg_err("%s: not GeoJSON: no \"type\" member at the top", sr->path);
		st = EXIT_CONFIG;
		goto out;
	}
	if (strcmp(type->str, "FeatureCollection") == 0) {
		feats = json_get(root, "features");
		if (!feats || feats->type != JSON_ARRAY) {
			msg_err("%s: not GeoJSON: a FeatureCollection without \"features\"", sr->path);
			st = EXIT_CONFIG;
			goto out;
		}
		for (size_t i = 0; i < feats->n && !st; i++) {
			const struct json_value *f = feats->items[i];
			sr->feature = i + 1;
			if (f->type != JSON_OBJECT) {
				bad(sr, NULL, "not a Feature object");
				st = EXIT_CONFIG;
			} else if (json_feature(sh, sr, f, json_get(f, "geometry")) < 0) {
				st = EXIT_CONFIG;
			}
		}
	} else if (strcmp(type->str, "Feature") != 0 && strcmp(type->str, "LineString") != 0 &&
		   strcmp(type->str, "MultiLineString") != 0 && strcmp(type->str, "Polygon") != 0 &&
		   strcmp(type->str, "MultiPolygon") != 0) {
		msg_err("%s: not GeoJSON of %s: type '%s'", sr->path,
			sr->what == SHAPES_ZONES ? "zones" : "routes", type->str);
		st = EXIT_CONFIG;
	} else {
		int feat = strcmp(type->str, "Feature") == 0;
		sr->feature = 1;
		if (json_feature(sh, sr, feat ? root : NULL, feat ? json_get(root, "geometry") : root) < 0)
			st = EXIT_CONFIG;
	}
out:
	json_arena_free(a);
	return st;
}

/* ---- WKT tables -------------------------------------------------------- */

struct wkt {
	const char *p, *e;
};

static void ws(struct wkt *w)
{
	while (w->p < w->e && (*w->p == ' ' || *w->p == '\t' || *w->p == '\n' || *w->p == '\r'))
		w->p++;
}

static int wkt_char(struct wkt *w, char c)
{
	ws(w);
	if (w->p < w->e && *w->p == c) {
		w->p++;
		return 1;
	}
	return 0;
}

static int wkt_num(struct wkt *w, double *d)
{
	const char *s;

	ws(w);
	s = w->p;
	while (w->p < w->e && ((*w->p >= '0' && *w->p <= '9') || *w->p == '.' ||
			       *w->p == '-' || *w->p == '+' || *w->p == 'e' || *w->p == 'E'))
		w->p++;
	return w->p > s && strnum_double(s, (size_t)(w->p - s), d) == 0 ? 0 : -1;
}

/* A parenthesised list at depth (1: positions). */
static int wkt_list(struct wkt *w, struct gps_shape *s, int depth, size_t *poly)
{
	if (!wkt_char(w, '('))
		return -1;
	do {
		if (depth == 1) {
			double lon, lat, z;
			if (wkt_num(w, &lon) < 0 || wkt_num(w, &lat) < 0)
				return -1;
			ws(w);
			if (w->p < w->e && *w->p != ',' && *w->p != ')' && wkt_num(w, &z) < 0)
				return -1;
			add_point(s, lon, lat);
		} else {
			size_t start = s->npts;
			if (wkt_list(w, s, depth - 1, poly) < 0)
				return -1;
			if (depth == 2)
				add_ring(s, start, *poly);
			if (depth == 3)
				++*poly;
		}
	} while (wkt_char(w, ','));
	return wkt_char(w, ')') ? 0 : -1;
}

static int wkt_parse(const struct src *sr, struct gps_shape *s, const char *text, size_t n)
{
	static const struct { const char *kw; int depth, poly; } kinds[] = {
		{ "MULTILINESTRING", 2, 0 }, { "LINESTRING", 1, 0 },
		{ "MULTIPOLYGON", 3, 1 }, { "POLYGON", 2, 1 },
	};
	struct wkt w = { text, text + n };
	size_t poly = 0, start;

	ws(&w);
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		size_t k = strlen(kinds[i].kw);
		if ((size_t)(w.e - w.p) < k || strncasecmp(w.p, kinds[i].kw, k) != 0)
			continue;
		w.p += k;
		ws(&w);
		if (w.p < w.e && (*w.p == 'Z' || *w.p == 'z'))
			w.p++;
		if (kinds[i].poly != (sr->what == SHAPES_ZONES)) {
			bad(sr, s, "a %s is a %s, not a %s", sr->what == SHAPES_ZONES ? "zone" : "route",
			    sr->what == SHAPES_ZONES ? "POLYGON or MULTIPOLYGON"
						     : "LINESTRING or MULTILINESTRING", kinds[i].kw);
			return -1;
		}
		start = s->npts;
		if (wkt_list(&w, s, kinds[i].depth, &poly) < 0 || (ws(&w), w.p != w.e)) {
			bad(sr, s, "bad WKT near byte %zu", (size_t)(w.p - text) + 1);
			return -1;
		}
		if (kinds[i].depth == 1)
			add_ring(s, start, 0);
		return 0;
	}
	bad(sr, s, "WKT '%.*s' is not a %s", (int)(n > 20 ? 20 : n), text,
	    sr->what == SHAPES_ZONES ? "POLYGON or MULTIPOLYGON" : "LINESTRING or MULTILINESTRING");
	return -1;
}

struct table_ctx {
	struct gps_shapes *sh;
	struct src sr;
};

static int table_row(void *ctx, const char *file, long line, const char *const *v,
		     const size_t *len)
{
	struct table_ctx *c = ctx;
	struct gps_shape *s;

	(void)file;
	c->sr.line = line;
	c->sr.feature++;
	XGROW(c->sh->s, c->sh->n + 1, c->sh->cap);
	s = &c->sh->s[c->sh->n++];
	memset(s, 0, sizeof *s);
	if (set_props(&c->sr, s, v, len) < 0)
		return -1;
	if (!s->id) {
		char b[24];
		snprintf(b, sizeof b, "#%zu", c->sr.feature);
		s->id = xstrdup(b);
	}
	if (!v[P_WKT] || !len[P_WKT]) {
		bad(&c->sr, s, "no shape in the wkt column");
		return -1;
	}
	if (wkt_parse(&c->sr, s, v[P_WKT], len[P_WKT]) < 0 || check_rings(&c->sr, s) < 0)
		return -1;
	to_wgs(s);
	return 0;
}

/* ---- loading ----------------------------------------------------------- */

static int is_table(const char *path, const struct buf *b)
{
	size_t n = strlen(path), i = 0;

	if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
		n -= 3;
	if ((n > 4 && strncasecmp(path + n - 4, ".csv", 4) == 0) ||
	    (n > 4 && strncasecmp(path + n - 4, ".tsv", 4) == 0))
		return 1;
	while (i < b->len && (b->s[i] == ' ' || b->s[i] == '\n' || b->s[i] == '\r' || b->s[i] == '\t'))
		i++;
	return i < b->len && b->s[i] != '{' && b->s[i] != '[';
}

int shapes_load(struct gps_shapes *sh, const char *path, int what)
{
	struct buf b = BUF_INIT;
	int st;

	sh->path = path;
	if ((st = encoding_slurp(path, &b, MAX_FILE, EXIT_CONFIG)) != 0)
		goto out;
	if (is_table(path, &b)) {
		struct table_ctx c = { sh, { path, 0, 0, what } };
		st = config_read(path, prop_fields, NPROPS, 1u << P_WKT, 0, table_row, &c);
	} else {
		struct src sr = { path, 0, 0, what };
		st = load_geojson(sh, &sr, buf_str(&b), b.len);
	}
	for (size_t i = 0; !st && i < sh->n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(sh->s[i].id, sh->s[j].id) == 0) {
				msg_err("%s: two shapes have the id '%s'", path, sh->s[i].id);
				st = EXIT_CONFIG;
				break;
			}
out:
	buf_free(&b);
	return st;
}

int shapes_origin(const struct gps_shapes *const *sets, size_t nsets, double *lat,
		  double *lon)
{
	double box[4] = { 90, 180, -90, -180 };
	int any = 0;

	for (size_t k = 0; k < nsets; k++)
		for (size_t i = 0; sets[k] && i < sets[k]->n; i++)
			for (size_t j = 0; j < sets[k]->s[i].npts; j++) {
				const double *p = sets[k]->s[i].ll + 2 * j;
				box[0] = fmin(box[0], p[0]);
				box[1] = fmin(box[1], p[1]);
				box[2] = fmax(box[2], p[0]);
				box[3] = fmax(box[3], p[1]);
				any = 1;
			}
	if (!any)
		return -1;
	*lat = (box[0] + box[2]) / 2;
	*lon = (box[1] + box[3]) / 2;
	return 0;
}

void shapes_project(struct gps_shapes *sh, const struct geo_proj *p)
{
	for (size_t i = 0; i < sh->n; i++) {
		struct gps_shape *s = &sh->s[i];
		s->xy = xreallocarray(s->xy, 2 * s->npts + 2, sizeof *s->xy);
		s->box[0] = s->box[1] = INFINITY;
		s->box[2] = s->box[3] = -INFINITY;
		for (size_t j = 0; j < s->npts; j++) {
			double *q = s->xy + 2 * j;
			geo_proj_fwd(p, s->ll[2 * j], s->ll[2 * j + 1], &q[0], &q[1]);
			s->box[0] = fmin(s->box[0], q[0]);
			s->box[1] = fmin(s->box[1], q[1]);
			s->box[2] = fmax(s->box[2], q[0]);
			s->box[3] = fmax(s->box[3], q[1]);
		}
	}
}

int shapes_find(const struct gps_shapes *sh, const char *id)
{
	for (size_t i = 0; i < sh->n; i++)
		if (strcmp(sh->s[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Is the point inside polygon k of zone s? */
static int in_poly(const struct gps_shape *s, size_t k, double x, double y)
{
	const double *rings[64];
	size_t lens[64], n = 0;

	for (size_t i = 0; i < s->nrings; i++)
		if (s->rings[i].poly == k && n < ARRAY_SIZE(rings)) {
			rings[n] = s->xy + 2 * s->rings[i].start;
			lens[n++] = s->rings[i].n;
		}
	return geo_poly_where(x, y, rings, lens, n) != GEO_OUT;
}

int shapes_zone_at(const struct gps_shapes *z, int kind, double x, double y,
		   int64_t t, int zone_min)
{
	for (size_t i = 0; z && i < z->n; i++) {
		const struct gps_shape *s = &z->s[i];
		if (s->kind != kind || x < s->box[0] || x > s->box[2] || y < s->box[1] ||
		    y > s->box[3])
			continue;
		if (s->has_hours && !hours_has(&s->hours, t, zone_min))
			continue;
		for (size_t k = 0; k < s->npolys; k++)
			if (in_poly(s, k, x, y))
				return (int)i;
	}
	return -1;
}

void shapes_free(struct gps_shapes *sh)
{
	for (size_t i = 0; i < sh->n; i++) {
		free(sh->s[i].id);
		free(sh->s[i].ll);
		free(sh->s[i].xy);
		free(sh->s[i].rings);
	}
	free(sh->s);
	memset(sh, 0, sizeof *sh);
}
