/*
 * station.h - the flood stations (stations.csv, DESIGN §6, cityops-config(5)).
 *
 *   struct stations *ss;
 *   int st = stations_load(&ss, path);   0, or 66/74/78 after a message
 *                                        ("stations.csv:4: yellow_cm 20 is
 *                                        not above blue_cm 25")
 *   const struct station *s = stations_find(ss, id, n);   NULL: unknown
 *   ss->v[i], ss->n                      in the order of the file
 *   stations_free(ss);
 *
 * Columns (English or Chinese headers, any order; id required):
 *   id, name, kind (underpass | culvert | river; 下穿/桥涵/涵洞/河道), place,
 *   lon, lat, blue_cm < yellow_cm < orange_cm < red_cm (defaults 15 25 35 50:
 *   depth of water on the road; a river must give its own gauge levels),
 *   clear_cm (5), rise_cm_per_h (20), stale_min (30), max_cm (underpass and
 *   culvert: 300; river: none), jump_cm_per_min (30).
 * A ladder that is not increasing, a station named twice, a bad number:
 * refused with the line, 78.
 */
#ifndef CITYOPS_FLOOD_STATION_H
#define CITYOPS_FLOOD_STATION_H

#include <stddef.h>

enum station_kind { STATION_UNDERPASS, STATION_CULVERT, STATION_RIVER };

#define FLOOD_NLEVELS 4   /* blue yellow orange red: levels 1..4 */

struct station {
	char *id, *name, *place;
	enum station_kind kind;
	double lon, lat;
	int has_xy;
	double thr[FLOOD_NLEVELS + 1];  /* thr[1..4]; thr[0] unused */
	double clear_cm, rise_cm_per_h, max_cm, jump_cm_per_min;
	int has_max;
	int stale_min;
	size_t index;                   /* in ss->v */
};

struct stations {
	struct station *v;
	size_t n, cap;
	size_t *slot;                   /* hash table of indexes + 1 */
	size_t nslot;
};

int stations_load(struct stations **out, const char *path);
const struct station *stations_find(const struct stations *ss, const char *id,
				    size_t n);
void stations_free(struct stations *ss);

/* "blue", "yellow" ... for 1..4; NULL for 0.  Chinese: 蓝色 黄色 橙色 红色. */
const char *flood_level_name(int level);
const char *flood_level_zh(int level);
/* "blue" / "蓝色" / "蓝" / "1" -> 1; -1 unknown */
int flood_level_parse(const char *s);

#endif
