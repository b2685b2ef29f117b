/*
 * dups.h - likely duplicate cases (DESIGN §7.1): a case reported within the
 * window after an earlier case of the same class that lies within the
 * radius is a likely duplicate of the EARLIEST such case.  "Earlier" is the
 * order the cases are given in, which is (reported_at, then rowid): two
 * cases reported in the same second are in the order they were stored.
 * Every earlier case counts, whether or not it is itself a duplicate.
 *
 *   struct dups *d = dups_new(radius_m, window_s);
 *   for each case, in that order:
 *           const char *of = dups_add(d, class, lat, lon, t, id);
 *                   the id of the earliest earlier case within the radius
 *                   and the window of the same class, or NULL; valid until
 *                   the next call
 *   dups_add_n(d, class, class_len, lat, lon, t, id, id_len)
 *           the same, for strings that need not end in a NUL
 *   dups_free(d);
 *
 * Distances are great-circle (geo_haversine_m), radius and window
 * inclusive.  Memory is bounded by the cases of one window: older ones are
 * dropped as time moves on.  Neighbours are found through a grid of cells
 * one radius high whose width in longitude is set per latitude band for
 * the band's poleward edge, so that any two cases within the radius are in
 * neighbouring cells wherever they lie (a width from each point's own
 * latitude missed pairs 48 m apart at a 50 m radius).
 */
#ifndef CITYOPS_CASE_DUPS_H
#define CITYOPS_CASE_DUPS_H

#include <stdint.h>

struct dups;
struct dups *dups_new(double radius_m, int64_t window_s);
const char *dups_add(struct dups *d, const char *cls, double lat, double lon,
		     int64_t t, const char *id);
const char *dups_add_n(struct dups *d, const char *cls, size_t clsn, double lat,
		       double lon, int64_t t, const char *id, size_t idn);
void dups_free(struct dups *d);

#endif
