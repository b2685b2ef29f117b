/*
 * grid.h - a spatial index over the segments of the approved routes, so
 * that "how far is this fix from its routes" looks at the few segments
 * near it instead of all of them.
 *
 *   struct gps_grid g;
 *   grid_build(&g, &routes);      after shapes_project(); cells as wide as
 *                                 the widest corridor
 *   n = grid_near(&g, x, y, &segs);   the segments that may lie within
 *                                 their route's corridor of (x, y): every
 *                                 segment is filed under each cell that its
 *                                 box, grown by its corridor, touches
 *   grid_free(&g);
 */
#ifndef CITYOPS_GPS_GRID_H
#define CITYOPS_GPS_GRID_H

#include "gps/shapes.h"

struct gps_seg {
	double ax, ay, bx, by;
	int route;
};

struct gps_grid {
	struct gps_seg *seg;
	size_t nseg;
	double cell;
	uint64_t *keys;     /* open addressing: cell key, 0 empty */
	uint32_t *first, *count;
	size_t nslots;
	uint32_t *ids;      /* segment ids, grouped by cell */
};

void grid_build(struct gps_grid *g, const struct gps_shapes *routes);
size_t grid_near(const struct gps_grid *g, double x, double y, const uint32_t **ids);
void grid_free(struct gps_grid *g);

#endif
