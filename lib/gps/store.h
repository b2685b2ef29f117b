/*
 * store.h - episodes into the store's violations table (schema v6).
 *
 *   r = store_episode(d, batch_id, vehicle, episode, zone_min);
 *           1 inserted, 2 updated (same plate, kind and start, other
 *           values), 0 unchanged, -1 an SQLite error (db_fail() it)
 * Values are rounded as they are printed, so that auditing the same fixes
 * again finds every episode unchanged.
 */
#ifndef CITYOPS_GPS_STORE_H
#define CITYOPS_GPS_STORE_H

#include "db.h"
#include "gps/detect.h"
#include "gps/fleet.h"

int store_episode(struct db *d, sqlite3_int64 batch, const struct gps_vehicle *v,
		  const struct gps_episode *e, int zone_min);
/* Rounded to k decimals (NaN stays NaN). */
double store_round(double v, int k);

#endif
