/*
 * genreadings - a year of 1-minute water-depth readings at the 11 stations
 * of 鲁山县, for `make bench` (tests/bench/flood.bench.sh).
 *
 *   genreadings [-y YEAR] [-s SEED] [-m MINUTES] > readings.csv
 *
 * CSV `station,at,level_cm`, stations FX01..FX11 (examples/lushan/
 * stations.csv), one row per station per minute in time order: 525,600
 * minutes x 11 = 5,781,600 rows for a year.  Dry road reads 0.0; some 40
 * cloudbursts (tests/bench/storm.h) fall between June and September, a few
 * in spring and autumn.  -m stops after MINUTES minutes (small runs).  The
 * output depends only on the options: own PRNG, no libc randomness.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"
#include "storm.h"

#define NSTORMS 48

static void civil(int64_t days, int *y, int *m, int *d)
{
	/* Howard Hinnant's civil_from_days */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t days_from(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int cmp_storm(const void *a, const void *b)
{
	const struct storm *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

int main(int argc, char **argv)
{
	uint64_t year = 2023, seed = 1, minutes = 0;
	struct storm st[NSTORMS];
	struct road road;
	char line[64];
	int64_t t0, t1;
	size_t next = 0;

	for (int i = 1; i < argc; i++) {
		uint64_t *v = !strcmp(argv[i], "-y") ? &year : !strcmp(argv[i], "-s") ? &seed :
			      !strcmp(argv[i], "-m") ? &minutes : NULL;
		if (!v || i + 1 >= argc || rnd_parse_u64(argv[++i], v) < 0 ||
		    year < 1970 || year > 2100) {
			fprintf(stderr, "usage: genreadings [-y YEAR] [-s SEED] [-m MINUTES]\n");
			return 64;
		}
	}
	rnd_seed(seed);
	t0 = days_from((int)year, 1, 1) * 86400 - 8 * 3600;   /* +08:00 */
	t1 = days_from((int)year + 1, 1, 1) * 86400 - 8 * 3600;
	if (minutes && t0 + (int64_t)minutes * 60 < t1)
		t1 = t0 + (int64_t)minutes * 60;
	for (int i = 0; i < NSTORMS; i++) {
		/* most in the flood season (June to September) */
		int64_t from = days_from((int)year, 6, 1), to = days_from((int)year, 10, 1);
		if (i % 6 == 5) {
			from = days_from((int)year, 4, 1);
			to = days_from((int)year, 11, 1);
		}
		int64_t day = from + rnd_below((uint32_t)(to - from));
		storm_new(&st[i], day * 86400 - 8 * 3600 + rnd_below(86400 / 60) * 60,
			  20 + rnd_below(71));
	}
	qsort(st, NSTORMS, sizeof st[0], cmp_storm);
	memset(&road, 0, sizeof road);
	fputs("station,at,level_cm\n", stdout);
	for (int64_t t = t0; t < t1; t += 60) {
		double rain = 0;
		int y, m, d;
		int64_t local = t + 8 * 3600;
		while (next < NSTORMS && storm_end(&st[next]) < t)
			next++;
		for (size_t i = next; i < NSTORMS && st[i].start <= t; i++)
			rain += storm_rain(&st[i], t);
		storm_step(&road, rain);
		civil(local / 86400, &y, &m, &d);
		int sec = (int)(local % 86400);
		for (int k = 0; k < STORM_NSTATIONS; k++) {
			double cm = storm_read(road.cm[k]);
			int n = snprintf(line, sizeof line,
					 "FX%02d,%04d-%02d-%02d %02d:%02d:00,%.1f\n", k + 1, y, m,
					 d, sec / 3600, sec / 60 % 60, cm);
			fwrite(line, 1, (size_t)n, stdout);
		}
	}
	return fflush(stdout) == 0 ? 0 : 74;
}
