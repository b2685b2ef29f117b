/*
 * genstorm - the cloudburst of the afternoon of 2023-07-20 over 鲁山县, as
 * the 11 flood stations read it: six hours of 1-minute water depths, CSV
 * `station,at,level_cm`, stations FX01..FX11 of stations.csv.
 *
 *   genstorm > storm-2023-07-20.csv
 *
 * Synthetic and deterministic: the rain and the roads are tests/bench/
 * storm.h with a fixed seed, so the same bytes on every machine.  A second,
 * smaller shower follows the first, so some underpasses flood twice.
 * examples/flood.test.sh replays it through flood-check.
 */
#include <stdint.h>
#include <stdio.h>

#include "rnd.h"
#include "storm.h"

int main(void)
{
	struct storm first, second;
	struct road road = { { 0 }, { 0 }, 0 };
	/* 2023-07-20 14:00 +08:00 */
	const int64_t t0 = 1689832800;

	rnd_seed(20230720);
	storm_new(&first, t0 + 20 * 60, 75);
	storm_new(&second, t0 + 210 * 60, 40);
	fputs("station,at,level_cm\n", stdout);
	for (int m = 0; m < 360; m++) {
		int64_t t = t0 + m * 60;
		storm_step(&road, storm_rain(&first, t) + storm_rain(&second, t));
		for (int k = 0; k < STORM_NSTATIONS; k++)
			printf("FX%02d,2023-07-20 %02d:%02d:00,%.1f\n", k + 1, 14 + m / 60,
			       m % 60, storm_read(road.cm[k]));
	}
	return fflush(stdout) == 0 ? 0 : 74;
}
