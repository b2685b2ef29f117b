#include "common.h"

#include <math.h>

#include <sqlite3.h>

#include "timeparse.h"
#include "gps/store.h"

double store_round(double v, int k)
{
	double s = k == 0 ? 1 : k == 1 ? 10 : k == 2 ? 100 : 1e6;
	return isnan(v) ? v : (double)llround(v * s) / s;
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* ?1 plate ?2 kind ?3 started_at, then the values from ?4 */
static void bind_all(sqlite3_stmt *st, sqlite3_int64 batch, const struct gps_vehicle *v,
		     const struct gps_episode *e, int zone_min)
{
	char a[TIMEPARSE_TEXT_LEN], b[TIMEPARSE_TEXT_LEN];

	timeparse_format(e->start, zone_min, a);
	timeparse_format(e->end, zone_min, b);
	sqlite3_bind_text(st, 1, v->plate, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, ep_kind_names[e->kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, b, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, e->end - e->start);
	bind_num(st, 6, store_round(e->max_speed, 1));
	bind_num(st, 7, e->nspeed ? store_round(e->sum_speed / (double)e->nspeed, 1) : NAN);
	bind_num(st, 8, store_round(e->limit, 1));
	bind_text(st, 9, e->limit_src);
	bind_num(st, 10, store_round(e->max_dist, 0));
	bind_num(st, 11, store_round(e->dist_m, 0));
	sqlite3_bind_int64(st, 12, e->fixes);
	bind_num(st, 13, store_round(e->lat, 6));
	bind_num(st, 14, store_round(e->lon, 6));
	bind_text(st, 15, e->rule);
	bind_text(st, 16, e->detail);
	bind_text(st, 17, v->company);
	bind_text(st, 18, fleet_kind_name(v->kind));
	sqlite3_bind_int64(st, 19, batch);
}

int store_episode(struct db *d, sqlite3_int64 batch, const struct gps_vehicle *v,
		  const struct gps_episode *e, int zone_min)
{
	static const char ins[] =
		"INSERT OR IGNORE INTO violations(plate, kind, started_at, ended_at, duration_s,"
		" max_speed_kmh, mean_speed_kmh, limit_kmh, limit_source, max_distance_m,"
		" distance_m, fixes, lat, lon, rule, detail, company, vehicle_kind, batch_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
		" ?16, ?17, ?18, ?19)";
	static const char upd[] =
		"UPDATE violations SET ended_at = ?4, duration_s = ?5, max_speed_kmh = ?6,"
		" mean_speed_kmh = ?7, limit_kmh = ?8, limit_source = ?9, max_distance_m = ?10,"
		" distance_m = ?11, fixes = ?12, lat = ?13, lon = ?14, rule = ?15, detail = ?16,"
		" company = ?17, vehicle_kind = ?18, batch_id = ?19"
		" WHERE plate = ?1 AND kind = ?2 AND started_at = ?3 AND"
		" (ended_at, duration_s, max_speed_kmh, mean_speed_kmh, limit_kmh, limit_source,"
		"  max_distance_m, distance_m, fixes, lat, lon, rule, detail, company, vehicle_kind)"
		" IS NOT (?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
	sqlite3_stmt *st = db_stmt(d, ins);

	if (!st)
		return -1;
	bind_all(st, batch, v, e, zone_min);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(d->h))
		return 1;
	if (!(st = db_stmt(d, upd)))
		return -1;
	bind_all(st, batch, v, e, zone_min);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(d->h) ? 2 : 0;
}
