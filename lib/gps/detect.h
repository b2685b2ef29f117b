/*
 * detect.h - a vehicle's fixes, in time order, into violation episodes
 * (DESIGN §7.6).
 *
 *   struct gps_track tr;
 *   track_begin(&tr, &ctx, vehicle);
 *   track_fix(&tr, &fix);        for each fix, in order (fixbuf.h)
 *   track_end(&tr);              closes what is open
 *   tr.eps[0 .. tr.neps-1]       the episodes, in order of their start
 *   track_free(&tr);
 *
 * A fix is dropped (and counted in tr.dropped) when it has the time of the
 * fix before it, or when the speed implied by the distance from the last
 * kept fix is beyond max_implied_kmh.  A fix's speed is the one it reports,
 * else the one implied by the distance from the fix before.  A gap (no fix
 * for more than max_gap_s between fixes more than gap_m apart) ends every
 * run of speeding, of moving out of hours and of being off route.
 *
 *   speeding  speed above limit x (1 + tolerance) (strictly) at consecutive
 *             fixes for min_duration_s or more, from the first to the last
 *             of them; the limit is the vehicle's (else the default), or a
 *             speed zone's in force there when lower
 *   off_route the distance to the nearest of the vehicle's routes, over its
 *             corridor (a route of corridor c: off beyond c, back on within
 *             0.8 c), for min_off_route_s or min_off_m of travel; between
 *             two fixes on route the segment is checked too, by bisection
 *             down to a quarter of the corridor
 *   zone      at fixes inside a forbidden zone in force (its hours)
 *   hours     two or more consecutive fixes moving (over 5 km/h) outside
 *             the vehicle's hours
 *   gap       see above; from the fix before the gap to the one after
 */
#ifndef CITYOPS_GPS_DETECT_H
#define CITYOPS_GPS_DETECT_H

#include "gps/fixbuf.h"
#include "gps/fleet.h"
#include "gps/grid.h"
#include "gps/shapes.h"

enum { EP_SPEEDING, EP_OFF_ROUTE, EP_ZONE, EP_HOURS, EP_GAP, EP_NKINDS };
enum { DROP_BAD, DROP_ZERO, DROP_OUTSIDE, DROP_FUTURE, DROP_DUPLICATE,
       DROP_IMPLIED, DROP_N };

extern const char *const ep_kind_names[EP_NKINDS];
extern const char *const drop_names[DROP_N];

struct gps_params {
	double tolerance;          /* 0.10: more than 10 % over */
	long min_duration_s;       /* speeding: 30 */
	long min_off_route_s;      /* 60 */
	double min_off_m;          /* 200 */
	long max_gap_s;            /* 300 */
	double gap_m;              /* 500 */
	double max_implied_kmh;    /* 150 */
	double limit_kmh;          /* default limit; NaN: none */
	double moving_kmh;         /* 5 */
};

struct gps_ctx {
	const struct gps_params *p;
	const struct gps_shapes *routes, *zones;
	const struct gps_grid *grid;
	struct geo_proj proj;
	int have_proj;             /* else each vehicle gets its own origin */
	int zone_min;
	unsigned *route_mark;      /* per route: the stamp of the vehicle */
	unsigned stamp;
};

struct gps_episode {
	int kind;
	int64_t start, end;
	double lat, lon;
	double max_speed, sum_speed;
	long nspeed;
	double limit;
	char limit_src[48];
	double max_dist;
	double dist_m;
	long fixes;
	char rule[96];
	char detail[96];
};

/* A point of the track: a fix, or a point between two fixes. */
struct gps_pt {
	double t, x, y, lat, lon;
	double speed;     /* NaN: none */
	double q, d;      /* distance to route over corridor; metres */
	long seg;         /* a segment within its corridor (grid.h), or -1 */
	int fix;
};

struct open_ep {
	int on;
	struct gps_episode e;
	struct gps_pt last;
};

/* What a fix came to, for --show-fixes. */
struct gps_fixinfo {
	const struct gps_fix *fix;
	double speed, implied, limit, route_m;
	int zone;          /* a zone it is in, or -1 */
	int dropped;       /* DROP_* or -1 */
};
typedef void (*track_fix_fn)(void *ctx, const struct gps_vehicle *v,
			     const struct gps_fixinfo *fi);

struct gps_track {
	struct gps_ctx *c;
	const struct gps_vehicle *v;
	struct geo_proj proj;
	double cmin;
	int have_prev, brk;
	struct gps_pt prev;
	int zone_id;
	struct open_ep ep[EP_NKINDS];
	struct gps_episode *eps;
	size_t neps, epcap;
	long fixes;
	double km;
	long dropped[DROP_N];
	track_fix_fn on_fix;
	void *on_fix_ctx;
};

void track_begin(struct gps_track *tr, struct gps_ctx *c, const struct gps_vehicle *v,
		 const double origin[2]);
void track_fix(struct gps_track *tr, const struct gps_fix *f);
void track_end(struct gps_track *tr);
void track_free(struct gps_track *tr);

#endif
