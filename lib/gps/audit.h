/*
 * audit.h - gps-audit's work (DESIGN §7.6): read fixes, group them per
 * vehicle in time order, find the episodes, store them and print them.
 *
 *   struct gps_audit *a = audit_new(&opts, &fleet, &routes, &zones, zone_min);
 *   st = audit_read(a, path);      per file of fixes: 0, 65 (bad rows:
 *                                  reported, and in --rejects), 66, 74
 *   st = audit_finish(a, db, out); audits every vehicle, stores the
 *                                  episodes (db NULL: not), prints the
 *                                  report; 0, 1 when it found episodes, or
 *                                  an exit code after a message
 *   st = audit_stream(a, path, out);   --stream: fixes already grouped by
 *                                  plate; each plate is audited and printed
 *                                  as soon as its fixes end; no store
 *   st = audit_free(a);             0, or 74 when the rejects file failed
 *
 * Fixes: plate, at, lat, lon[, speed_kmh, heading] (CSV, TSV, JSON, JSON
 * Lines; gzip or not), or GeoLife .plt tracks (times in UTC; the plate from
 * opts.plate).  Fixes that are bad rows (a bad plate, time or number,
 * coordinates out of range) are reported with their line; fixes at 0/0,
 * outside China (china_only), more than an hour after opts.now, at the
 * time of the fix before, or implying more than max_implied_kmh are
 * dropped and counted.
 */
#ifndef CITYOPS_GPS_AUDIT_H
#define CITYOPS_GPS_AUDIT_H

#include "db.h"
#include "out.h"
#include "rec.h"
#include "gps/detect.h"
#include "gps/fleet.h"
#include "gps/shapes.h"

enum { AUDIT_EPISODES, AUDIT_SUMMARY, AUDIT_FIXES };

struct gps_opts {
	struct gps_params p;
	const char *plate;          /* fixes without a plate column, .plt */
	const char *rejects;
	int keep_going;
	const char *const *maps;
	size_t nmaps;
	enum rec_fmt fmt;
	enum encoding enc;
	const char *date_format;
	int china_only;
	int64_t now;                /* fixes after now + 1 h are dropped */
	size_t memory;              /* bytes of fixes held before sorting on disk */
	int report;                 /* AUDIT_* */
	int dry_run;
	const char *source;         /* for the batches row */
};

struct gps_audit;
struct gps_audit *audit_new(const struct gps_opts *o, struct gps_fleet *f,
			    const struct gps_shapes *routes,
			    const struct gps_shapes *zones, int zone_min, int *status);
int audit_read(struct gps_audit *a, const char *path);
int audit_finish(struct gps_audit *a, struct db *d, struct out *o);
int audit_stream(struct gps_audit *a, const char *path, struct out *o);
int audit_free(struct gps_audit *a);

extern const struct rec_field audit_fields[];
extern const size_t audit_nfields;

#endif
