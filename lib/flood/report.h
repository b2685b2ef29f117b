/*
 * report.h - what the duty officer reads: every station now (--status) and
 * the duty log of a period (--summary).  Both only read the store.
 *
 *   st = flood_status(db, ss, at, out, fail_on, &found);
 *           one row per station at time at: level, last depth, trend
 *           (涨 落 平, from the rate of the last 30 minutes), the age of
 *           the last reading, the open alerts; found: an alert at or above
 *           fail_on is open
 *   st = flood_summary(db, ss, from, to, out);
 *           one row per station over [from, to): readings, implausible
 *           ones, the maximum and when, minutes at or above each level
 *           (each reading counts until the next, at most stale_min), level
 *           alerts opened and the highest level they reached
 * Both return 0, or an exit code after a message.
 */
#ifndef CITYOPS_FLOOD_REPORT_H
#define CITYOPS_FLOOD_REPORT_H

#include <stdint.h>

#include "db.h"
#include "flood/station.h"
#include "out.h"

int flood_status(struct db *d, const struct stations *ss, int64_t at, struct out *out,
		 int fail_on, int *found);
int flood_summary(struct db *d, const struct stations *ss, int64_t from, int64_t to,
		  struct out *out);

#endif
