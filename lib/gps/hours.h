/*
 * hours.h - the hours a truck may move or a zone is in force, as a set of
 * minutes of the day in the store's time zone.
 *
 *   struct gps_hours h;
 *   why = hours_parse(s, n, &h);   NULL, or why s is not "HH:MM-HH:MM[,...]"
 *   hours_has(&h, t, zone_min)     is Unix time t inside them?
 *
 * Each interval includes its start and excludes its end: "22:00-06:00"
 * holds 22:00:00 to 05:59:59 and crosses midnight; "06:00-22:00" does not;
 * "00:00-24:00" and "22:00-22:00" are the whole day.  Intervals are
 * separated by , ; 、 or spaces; the dash may be - ~ – — or 至, the colon
 * also ：.
 */
#ifndef CITYOPS_GPS_HOURS_H
#define CITYOPS_GPS_HOURS_H

#include <stdint.h>

struct gps_hours {
	unsigned char mask[180];  /* 1440 minutes */
	char text[64];            /* as written, for rules and messages */
};

const char *hours_parse(const char *s, size_t n, struct gps_hours *h);

static inline int hours_has(const struct gps_hours *h, int64_t t, int zone_min)
{
	int64_t s = (t + (int64_t)zone_min * 60) % 86400;
	int m;

	if (s < 0)
		s += 86400;
	m = (int)(s / 60);
	return (h->mask[m >> 3] >> (m & 7)) & 1;
}

#endif
