/*
 * detect.c - the episode detectors (see detect.h).
 */
#include "common.h"

#include <math.h>

#include "gps/detect.h"
#include "out.h"

const char *const ep_kind_names[EP_NKINDS] = {
	"speeding", "off_route", "zone", "hours", "gap",
};
const char *const drop_names[DROP_N] = {
	"bad row", "0/0", "outside China", "future", "duplicate time", "implied speed",
};

#define BISECT_DEPTH 8

void track_begin(struct gps_track *tr, struct gps_ctx *c, const struct gps_vehicle *v,
		 const double origin[2])
{
	memset(tr, 0, sizeof *tr);
	tr->c = c;
	tr->v = v;
	tr->zone_id = -1;
	if (c->have_proj)
		tr->proj = c->proj;
	else
		geo_proj_init(&tr->proj, origin[0], origin[1]);
	c->stamp++;
	tr->cmin = INFINITY;
	for (size_t i = 0; i < v->nroutes; i++) {
		c->route_mark[v->routes[i]] = c->stamp;
		tr->cmin = fmin(tr->cmin, c->routes->s[v->routes[i]].corridor_m);
	}
}

/* ---- distance to the vehicle's routes ---------------------------------- */

static void route_exact(struct gps_track *tr, struct gps_pt *p)
{
	const struct gps_shapes *r = tr->c->routes;

	p->q = p->d = INFINITY;
	for (size_t i = 0; i < tr->v->nroutes; i++) {
		double d = grid_route_dist(tr->c->grid, (size_t)tr->v->routes[i], p->x, p->y);
		double q = d / r->s[tr->v->routes[i]].corridor_m;
		if (d < p->d)
			p->d = d;
		if (q < p->q)
			p->q = q;
	}
}

static void route_dist(struct gps_track *tr, struct gps_pt *p)
{
	const struct gps_ctx *c = tr->c;
	const uint32_t *ids;
	size_t n = grid_near(c->grid, p->x, p->y, &ids);
	double t;

	p->q = p->d = INFINITY;
	p->seg = -1;
	for (size_t i = 0; i < n; i++) {
		const struct gps_seg *s = &c->grid->seg[ids[i]];
		double d, q;
		if (c->route_mark[s->route] != c->stamp)
			continue;
		d = sqrt(geo_seg_dist2(p->x, p->y, s->ax, s->ay, s->bx, s->by, &t));
		q = d / c->routes->s[s->route].corridor_m;
		if (d < p->d)
			p->d = d;
		if (q < p->q) {
			p->q = q;
			p->seg = (long)ids[i];
		}
	}
	if (p->q > 1) {
		p->seg = -1;
		route_exact(tr, p); /* off route: how far, exactly */
	}
}

/* Is p within the corridor of segment id?  The distance to a segment is
 * convex, so two points within it hold the whole stretch between them. */
static int near_seg(const struct gps_track *tr, long id, const struct gps_pt *p)
{
	const struct gps_seg *s;
	double t, c;

	if (id < 0)
		return 0;
	s = &tr->c->grid->seg[id];
	c = tr->c->routes->s[s->route].corridor_m;
	return geo_seg_dist2(p->x, p->y, s->ax, s->ay, s->bx, s->by, &t) <= c * c;
}

/* ---- episodes ---------------------------------------------------------- */

static void ep_open(struct gps_track *tr, int kind, const struct gps_pt *p)
{
	struct open_ep *o = &tr->ep[kind];

	memset(o, 0, sizeof *o);
	o->on = 1;
	o->e.kind = kind;
	o->e.start = o->e.end = llround(p->t);
	o->e.lat = p->lat;
	o->e.lon = p->lon;
	o->e.max_speed = NAN;
	o->e.limit = NAN;
	o->e.max_dist = NAN;
	o->last = *p;
}

static void ep_extend(struct gps_track *tr, int kind, const struct gps_pt *p)
{
	struct open_ep *o = &tr->ep[kind];

	double dx = p->x - o->last.x, dy = p->y - o->last.y;

	o->e.dist_m += sqrt(dx * dx + dy * dy);
	o->e.end = llround(p->t);
	if (p->fix)
		o->e.fixes++;
	if (!isnan(p->speed)) {
		o->e.max_speed = isnan(o->e.max_speed) ? p->speed : fmax(o->e.max_speed, p->speed);
		o->e.sum_speed += p->speed;
		o->e.nspeed++;
	}
	o->last = *p;
}

static void emit(struct gps_track *tr, const struct gps_episode *e)
{
	XGROW(tr->eps, tr->neps + 1, tr->epcap);
	tr->eps[tr->neps++] = *e;
}

static void ep_close(struct gps_track *tr, int kind)
{
	struct open_ep *o = &tr->ep[kind];
	const struct gps_params *p = tr->c->p;
	struct gps_episode *e = &o->e;
	long dur;
	int keep = 0;

	if (!o->on)
		return;
	o->on = 0;
	dur = (long)(e->end - e->start);
	switch (kind) {
	case EP_SPEEDING:
		keep = dur >= p->min_duration_s;
		break;
	case EP_OFF_ROUTE:
		keep = dur >= p->min_off_route_s || e->dist_m >= p->min_off_m;
		snprintf(e->detail, sizeof e->detail, "routes %s", tr->v->route_text);
		break;
	case EP_ZONE:
		keep = 1;
		break;
	case EP_HOURS:
		keep = e->fixes >= 2;
		snprintf(e->detail, sizeof e->detail, "permitted %s", tr->v->hours.text);
		break;
	}
	if (keep)
		emit(tr, e);
}

/* ---- the detectors ---------------------------------------------------- */

static void off_route(struct gps_track *tr, const struct gps_pt *p)
{
	struct open_ep *o = &tr->ep[EP_OFF_ROUTE];

	if (!o->on) {
		if (p->q > 1) {
			char c[OUT_DOUBLE_LEN], s[OUT_DOUBLE_LEN], m[OUT_DOUBLE_LEN];
			ep_open(tr, EP_OFF_ROUTE, p);
			snprintf(o->e.rule, sizeof o->e.rule,
				 "over %s m from its routes for %s s or %s m",
				 out_fixed(tr->cmin, 3, c), out_fixed((double)tr->c->p->min_off_route_s, 3, s),
				 out_fixed(tr->c->p->min_off_m, 3, m));
			ep_extend(tr, EP_OFF_ROUTE, p);
			o->e.max_dist = p->d;
		}
		return;
	}
	if (p->q <= 0.8) {
		ep_close(tr, EP_OFF_ROUTE);
		return;
	}
	ep_extend(tr, EP_OFF_ROUTE, p);
	o->e.max_dist = fmax(o->e.max_dist, p->d);
}

/* Between a and b, both on route: look for an excursion.  The distance to
 * the route changes by at most the distance moved, so a stretch is on
 * route when (q(a) + q(b) + length / corridor) / 2 <= 1. */
static void bisect(struct gps_track *tr, const struct gps_pt *a, const struct gps_pt *b,
		   int depth)
{
	struct gps_pt m;
	double dx = b->x - a->x, dy = b->y - a->y, len = sqrt(dx * dx + dy * dy);

	if (depth == 0 || (a->q + b->q + len / tr->cmin) / 2 <= 1 ||
	    near_seg(tr, a->seg, b) || near_seg(tr, b->seg, a))
		return;
	memset(&m, 0, sizeof m);
	m.seg = -1;
	m.t = (a->t + b->t) / 2;
	m.x = (a->x + b->x) / 2;
	m.y = (a->y + b->y) / 2;
	m.lat = (a->lat + b->lat) / 2;
	m.lon = (a->lon + b->lon) / 2;
	m.speed = NAN;
	route_dist(tr, &m);
	bisect(tr, a, &m, depth - 1);
	off_route(tr, &m);
	bisect(tr, &m, b, depth - 1);
}

/* Where a fix's speed limit comes from: a speed zone (its index), or one
 * of these; said in words only when an episode keeps it (limit_source). */
enum { LIMIT_NONE = -3, LIMIT_DEFAULT = -2, LIMIT_VEHICLE = -1 };

static double limit_at(struct gps_track *tr, const struct gps_pt *p, int *from)
{
	double lim = tr->v->limit_kmh;
	int z;

	*from = isnan(lim) ? LIMIT_DEFAULT : LIMIT_VEHICLE;
	if (isnan(lim))
		lim = tr->c->p->limit_kmh;
	if (isnan(lim))
		*from = LIMIT_NONE;
	z = shapes_zone_at(tr->c->zones, ZONE_SPEED, p->x, p->y, (int64_t)p->t, tr->c->zone_min);
	if (z >= 0 && (isnan(lim) || tr->c->zones->s[z].limit_kmh < lim)) {
		lim = tr->c->zones->s[z].limit_kmh;
		*from = z;
	}
	return lim;
}

static void limit_source(const struct gps_track *tr, int from, char *out, size_t n)
{
	if (from >= 0)
		snprintf(out, n, "zone %s", tr->c->zones->s[from].id);
	else
		snprintf(out, n, "%s", from == LIMIT_VEHICLE ? "vehicle" :
				       from == LIMIT_DEFAULT ? "default" : "");
}

static void speeding(struct gps_track *tr, const struct gps_pt *p, double limit, int from)
{
	const struct gps_params *pr = tr->c->p;
	struct open_ep *o = &tr->ep[EP_SPEEDING];
	int over = !isnan(p->speed) && !isnan(limit) &&
		   p->speed > limit * (1 + pr->tolerance) + 1e-9;

	if (!over) {
		ep_close(tr, EP_SPEEDING);
		return;
	}
	if (o->on && tr->brk)
		ep_close(tr, EP_SPEEDING);
	if (!o->on) {
		char tol[OUT_DOUBLE_LEN];
		ep_open(tr, EP_SPEEDING, p);
		snprintf(o->e.rule, sizeof o->e.rule, "speed over limit +%s%% for %ld s",
			 out_fixed(pr->tolerance * 100, 3, tol), pr->min_duration_s);
	}
	ep_extend(tr, EP_SPEEDING, p);
	if (isnan(o->e.limit) || limit < o->e.limit) {
		o->e.limit = limit;
		limit_source(tr, from, o->e.limit_src, sizeof o->e.limit_src);
	}
}

static void zone(struct gps_track *tr, const struct gps_pt *p, int z)
{
	struct open_ep *o = &tr->ep[EP_ZONE];

	if (o->on && (z != tr->zone_id || tr->brk))
		ep_close(tr, EP_ZONE);
	tr->zone_id = z;
	if (z < 0)
		return;
	if (!o->on) {
		const struct gps_shape *s = &tr->c->zones->s[z];
		ep_open(tr, EP_ZONE, p);
		snprintf(o->e.rule, sizeof o->e.rule, "inside forbidden zone%s%s",
			 s->has_hours ? " at " : "", s->has_hours ? s->hours.text : "");
		snprintf(o->e.detail, sizeof o->e.detail, "zone %s", s->id);
	}
	ep_extend(tr, EP_ZONE, p);
}

static void hours(struct gps_track *tr, const struct gps_pt *p)
{
	struct open_ep *o = &tr->ep[EP_HOURS];
	int bad = !isnan(p->speed) && p->speed > tr->c->p->moving_kmh &&
		  !hours_has(&tr->v->hours, (int64_t)p->t, tr->c->zone_min);

	if (!bad) {
		ep_close(tr, EP_HOURS);
		return;
	}
	if (o->on && tr->brk)
		ep_close(tr, EP_HOURS);
	if (!o->on) {
		char mv[OUT_DOUBLE_LEN];
		ep_open(tr, EP_HOURS, p);
		snprintf(o->e.rule, sizeof o->e.rule, "moving over %s km/h outside its hours",
			 out_fixed(tr->c->p->moving_kmh, 3, mv));
	}
	ep_extend(tr, EP_HOURS, p);
}

static void gap(struct gps_track *tr, const struct gps_pt *p, double dist, double implied)
{
	const struct gps_params *pr = tr->c->p;
	struct gps_episode e;

	memset(&e, 0, sizeof e);
	e.kind = EP_GAP;
	e.start = llround(tr->prev.t);
	e.end = llround(p->t);
	e.lat = tr->prev.lat;
	e.lon = tr->prev.lon;
	e.max_speed = implied;
	e.sum_speed = implied;
	e.nspeed = 1;
	e.limit = NAN;
	e.max_dist = NAN;
	e.dist_m = dist;
	e.fixes = 2;
	{
		char g[OUT_DOUBLE_LEN];
		snprintf(e.rule, sizeof e.rule, "no fix for over %ld s between fixes over %s m apart",
			 pr->max_gap_s, out_fixed(pr->gap_m, 3, g));
	}
	emit(tr, &e);
}

/* The limit at p: the vehicle's (else the default), or a speed zone's
 * when lower. */
static void show(struct gps_track *tr, const struct gps_fix *f, const struct gps_pt *p,
		 double implied, double limit, int z, int dropped)
{
	struct gps_fixinfo fi;

	if (!tr->on_fix)
		return;
	fi.fix = f;
	fi.speed = p ? p->speed : NAN;
	fi.implied = implied;
	fi.limit = limit;
	fi.route_m = p && tr->v->nroutes ? p->d : NAN;
	fi.zone = z;
	fi.dropped = dropped;
	tr->on_fix(tr->on_fix_ctx, tr->v, &fi);
}

void track_fix(struct gps_track *tr, const struct gps_fix *f)
{
	const struct gps_params *pr = tr->c->p;
	struct gps_pt p;
	double dist = 0, implied = NAN, limit;
	int z = -1, from;

	memset(&p, 0, sizeof p);
	p.fix = 1;
	p.seg = -1;
	p.t = f->t;
	p.lat = f->lat / 1e7;
	p.lon = f->lon / 1e7;
	geo_proj_fwd(&tr->proj, p.lat, p.lon, &p.x, &p.y);
	tr->brk = 0;
	if (tr->have_prev) {
		double dt = p.t - tr->prev.t;
		if (dt == 0) {
			tr->dropped[DROP_DUPLICATE]++;
			show(tr, f, NULL, NAN, NAN, -1, DROP_DUPLICATE);
			return;
		}
		double dx = p.x - tr->prev.x, dy = p.y - tr->prev.y;
		dist = sqrt(dx * dx + dy * dy);
		implied = dist / dt * 3.6;
		if (implied > pr->max_implied_kmh) {
			tr->dropped[DROP_IMPLIED]++;
			show(tr, f, NULL, implied, NAN, -1, DROP_IMPLIED);
			return;
		}
		if (dt > pr->max_gap_s && dist > pr->gap_m) {
			gap(tr, &p, dist, implied);
			tr->brk = 1;
		}
	}
	p.speed = isnan(f->speed) ? implied : (double)f->speed;
	limit = limit_at(tr, &p, &from);
	speeding(tr, &p, limit, from);
	if (tr->v->nroutes) {
		route_dist(tr, &p);
		if (tr->brk)
			ep_close(tr, EP_OFF_ROUTE);
		else if (tr->have_prev && !tr->ep[EP_OFF_ROUTE].on && p.q <= 1)
			bisect(tr, &tr->prev, &p, BISECT_DEPTH);
		off_route(tr, &p);
	}
	if (tr->c->zones) {
		z = shapes_zone_at(tr->c->zones, ZONE_FORBIDDEN, p.x, p.y, f->t, tr->c->zone_min);
		zone(tr, &p, z);
	}
	if (tr->v->has_hours)
		hours(tr, &p);
	show(tr, f, &p, implied, limit, z, -1);
	if (tr->have_prev)
		tr->km += dist / 1000;
	tr->fixes++;
	tr->prev = p;
	tr->have_prev = 1;
}

static int by_start(const void *a, const void *b)
{
	const struct gps_episode *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->kind - y->kind;
}

void track_end(struct gps_track *tr)
{
	for (int k = 0; k < EP_NKINDS; k++)
		ep_close(tr, k);
	if (tr->neps > 1)
		qsort(tr->eps, tr->neps, sizeof *tr->eps, by_start);
}

void track_free(struct gps_track *tr)
{
	free(tr->eps);
	tr->eps = NULL;
	tr->neps = tr->epcap = 0;
}
