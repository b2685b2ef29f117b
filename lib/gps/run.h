/*
 * run.h - what the parts of an audit share (fixes.c reads, audit.c
 * audits, prints and stores); not for use outside lib/gps.
 */
#ifndef CITYOPS_GPS_RUN_H
#define CITYOPS_GPS_RUN_H

#include "buf.h"
#include "rejects.h"
#include "strmap.h"
#include "timeparse.h"
#include "gps/audit.h"
#include "gps/fixbuf.h"
#include "gps/grid.h"

enum { F_PLATE, F_AT, F_LAT, F_LON, F_SPEED, F_HEADING, NFIX_FIELDS };

/* A vehicle's audit. */
struct vres {
	size_t vid;
	struct gps_episode *eps;
	size_t neps;
	long fixes;
	double km;
	int32_t box[4];      /* lat/lon extent of its fixes, 1e-7 degree */
	int seen;            /* it had fixes */
	int done;            /* --stream: its group has ended */
};

struct gps_audit {
	const struct gps_opts *o;
	struct gps_fleet *fleet;
	const struct gps_shapes *routes, *zones;
	struct gps_grid grid;
	struct gps_ctx ctx;
	struct fixbuf *fb;
	int zone_min;
	/* plates as written -> vehicle */
	struct strmap raw;         /* a plate as the file writes it -> vehicle */
	char last_raw[64];
	size_t last_len;
	int last_vid;
	/* the day of the last time read */
	char day[10];
	int day_zone, have_day;
	int64_t day_base;
	char *detected;            /* the form the file's times were found in */
	struct rec_opts names_ro;  /* headers mapped by rec's rules */
	struct rec_src *names;
	struct vres *vr;
	size_t nvr, vrcap;
	long read, bad, messages;
	int status;
	long dropped[DROP_N];
	struct rejects *rj;
	char why[200];
	struct out *out;           /* --show-fixes and --stream print here */
	long episodes;
};

/* fixes.c */
int fixes_take(struct gps_audit *a, const char *const *v, const size_t *len,
	       int zone_min);
void fixes_bad(struct gps_audit *a, const char *file, long line);
struct vres *audit_vres(struct gps_audit *a, size_t vid);
int audit_vehicle(struct gps_audit *a, size_t vid);
void audit_print_vehicle(struct gps_audit *a, const struct vres *r);
void audit_columns(struct gps_audit *a, struct out *o);
void audit_counts(struct gps_audit *a);

#endif
