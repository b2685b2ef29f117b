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
 *   d = grid_route_dist(&g, r, x, y);   the exact distance from (x, y) to
 *                                 route r, looking only at the runs of 16
 *                                 segments whose box could hold a nearer one
 *   grid_free(&g);
 */
#ifndef CITYOPS_GPS_GRID_H
#define CITYOPS_GPS_GRID_H

#include "gps/shapes.h"

struct gps_seg {
	double ax, ay, bx, by;
	int route;
};

#define GRID_RUN 16

struct gps_cell {
	uint64_t key;
	uint32_t first, count;
};

struct gps_grid {
	struct gps_seg *seg;       /* each route's segments together */
	size_t nseg;
	size_t *route_first;       /* per route: its first segment, and */
	size_t nroutes;            /* route_first[nroutes] = nseg */
	double *runbox;            /* per run of GRID_RUN segments: its box */
	double cell;
	struct gps_cell *cells;   /* open addressing on the cell key, 0 empty */
	size_t nslots;
	uint32_t *ids;      /* segment ids, grouped by cell */
};

void grid_build(struct gps_grid *g, const struct gps_shapes *routes);
size_t grid_near(const struct gps_grid *g, double x, double y, const uint32_t **ids);
double grid_route_dist(const struct gps_grid *g, size_t route, double x, double y);
void grid_free(struct gps_grid *g);

#endif
