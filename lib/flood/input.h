/*
 * input.h - readings in: station, at, level_cm[, quality] as CSV, TSV, JSON
 * or JSON Lines through rec (any header alias, --map, gzip, GB18030), and
 * USGS RDB (tab-separated: a comment block, a header, a format line to
 * skip, values with their qualifier columns).
 *
 *   struct flood_in *in = flood_in_open(path, &opts, &status);   NULL after
 *                                            a message: status 65/66/74
 *   struct flood_reading r;
 *   while ((rc = flood_in_next(in, &r)) != 0) {
 *           rc == 1: a reading (r.station, r.t, r.at, r.cm, r.quality)
 *           rc == 2: a bad row: r.line, r.reason (the caller reports it and
 *                    flood_in_reject()s it)
 *           rc < 0:  cannot read on (message printed; flood_in_status())
 *   }
 *   flood_in_close(in);
 *
 * RDB: chosen by the name (.rdb, .rdb.gz) or opts.rdb.  The value column is
 * opts.parameter (a USGS parameter code such as 00065, or a column name),
 * by default the gage height (00065, or gage_ht in a peak file).  Values of
 * parameters in feet (00065 gage height, 62614 and 62615 lake elevation,
 * 72019 depth to water, gage_ht, ag_gage_ht) are converted to cm; others
 * are stored as given.  Times: datetime with tz_cd (EST/EDT, CST/CDT,
 * MST/MDT, PST/PDT, AKST/AKDT, HST, UTC: so the DST jump is no gap), or
 * peak_dt and peak_tm; without a zone, civil time in the store's zone.  An
 * empty value or a USGS code in its place (Ice, Eqp, ***) is no reading
 * (counted in flood_in_skipped()).  The station is site_no unless
 * opts.station names it.
 */
#ifndef CITYOPS_FLOOD_INPUT_H
#define CITYOPS_FLOOD_INPUT_H

#include <stdint.h>

#include "rec.h"
#include "rejects.h"
#include "timeparse.h"

struct flood_in_opts {
	enum rec_fmt fmt;
	enum encoding enc;
	const char *const *maps;
	size_t nmaps;
	const char *date_format;
	int zone_min;
	const char *station;    /* the readings of one station, no column */
	int rdb;                /* USGS RDB whatever the name */
	const char *parameter;  /* RDB value column */
};

struct flood_reading {
	const char *station;
	size_t station_len;
	int64_t t;
	char at[TIMEPARSE_TEXT_LEN];
	double cm;
	const char *quality;    /* NULL: none */
	size_t quality_len;
	long line;
	const char *reason;
};

struct flood_in;
extern const struct rec_field flood_in_fields[];
extern const size_t flood_in_nfields;

struct flood_in *flood_in_open(const char *path, const struct flood_in_opts *o,
			       int *status);
int flood_in_next(struct flood_in *in, struct flood_reading *r);
int flood_in_status(const struct flood_in *in);
const char *flood_in_name(const struct flood_in *in);
long long flood_in_skipped(const struct flood_in *in);
void flood_in_reject(struct flood_in *in, struct rejects *rj,
		     const struct flood_reading *r);
void flood_in_close(struct flood_in *in);

#endif
