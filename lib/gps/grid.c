#include "common.h"

#include <math.h>

#include "gps/grid.h"

struct pair {
	uint64_t key;
	uint32_t seg;
};

static uint64_t cell_key(int64_t i, int64_t j)
{
	/* never 0: 0 marks an empty slot */
	return ((uint64_t)(uint32_t)(int32_t)i << 32 | (uint32_t)(int32_t)j) ^ 0x9e3779b97f4a7c15ULL;
}

static size_t slot_hash(uint64_t k, size_t mask)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & mask;
}

static int by_key(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key ? 1 : x->seg < y->seg ? -1 : x->seg > y->seg;
}

static int64_t cell_of(double v, double cell)
{
	double c = floor(v / cell);
	return c < -2e9 ? (int64_t)-2e9 : c > 2e9 ? (int64_t)2e9 : (int64_t)c;
}

void grid_build(struct gps_grid *g, const struct gps_shapes *routes)
{
	struct pair *pairs = NULL;
	size_t np = 0, pcap = 0, segcap = 0, ncells = 0;

	memset(g, 0, sizeof *g);
	g->cell = 20;
	for (size_t r = 0; routes && r < routes->n; r++)
		g->cell = fmax(g->cell, routes->s[r].corridor_m);
	g->nroutes = routes ? routes->n : 0;
	g->route_first = xcalloc(g->nroutes + 1, sizeof *g->route_first);
	for (size_t r = 0; routes && r < routes->n; r++) {
		const struct gps_shape *s = &routes->s[r];
		g->route_first[r] = g->nseg;
		for (size_t k = 0; k < s->nrings; k++)
			for (size_t i = 1; i < s->rings[k].n; i++) {
				const double *a = s->xy + 2 * (s->rings[k].start + i - 1), *b = a + 2;
				double c = s->corridor_m;
				int64_t i0 = cell_of(fmin(a[0], b[0]) - c, g->cell);
				int64_t i1 = cell_of(fmax(a[0], b[0]) + c, g->cell);
				int64_t j0 = cell_of(fmin(a[1], b[1]) - c, g->cell);
				int64_t j1 = cell_of(fmax(a[1], b[1]) + c, g->cell);
				XGROW(g->seg, g->nseg + 1, segcap);
				g->seg[g->nseg] = (struct gps_seg){ a[0], a[1], b[0], b[1], (int)r };
				for (int64_t ci = i0; ci <= i1; ci++)
					for (int64_t cj = j0; cj <= j1; cj++) {
						XGROW(pairs, np + 1, pcap);
						pairs[np].key = cell_key(ci, cj);
						pairs[np++].seg = (uint32_t)g->nseg;
					}
				g->nseg++;
			}
	}
	g->route_first[g->nroutes] = g->nseg;
	g->runbox = xcalloc(4 * (g->nseg / GRID_RUN + 1), sizeof *g->runbox);
	for (size_t i = 0; i < g->nseg; i++) {
		double *b = g->runbox + 4 * (i / GRID_RUN);
		const struct gps_seg *s = &g->seg[i];
		if (i % GRID_RUN == 0) {
			b[0] = b[2] = s->ax;
			b[1] = b[3] = s->ay;
		}
		b[0] = fmin(b[0], fmin(s->ax, s->bx));
		b[1] = fmin(b[1], fmin(s->ay, s->by));
		b[2] = fmax(b[2], fmax(s->ax, s->bx));
		b[3] = fmax(b[3], fmax(s->ay, s->by));
	}
	if (np)
		qsort(pairs, np, sizeof *pairs, by_key);
	for (size_t i = 0; i < np; i++)
		if (i == 0 || pairs[i].key != pairs[i - 1].key)
			ncells++;
	g->nslots = 16;
	while (g->nslots < ncells * 2)
		g->nslots *= 2;
	g->cells = xcalloc(g->nslots, sizeof *g->cells);
	g->ids = xcalloc(np ? np : 1, sizeof *g->ids);
	for (size_t i = 0; i < np; i++) {
		size_t s = slot_hash(pairs[i].key, g->nslots - 1);
		while (g->cells[s].key && g->cells[s].key != pairs[i].key)
			s = (s + 1) & (g->nslots - 1);
		if (!g->cells[s].key) {
			g->cells[s].key = pairs[i].key;
			g->cells[s].first = (uint32_t)i;
		}
		g->cells[s].count++;
		g->ids[i] = pairs[i].seg;
	}
	free(pairs);
}

size_t grid_near(const struct gps_grid *g, double x, double y, const uint32_t **ids)
{
	uint64_t k;
	size_t s;

	if (!g->nseg)
		return 0;
	k = cell_key(cell_of(x, g->cell), cell_of(y, g->cell));
	s = slot_hash(k, g->nslots - 1);
	while (g->cells[s].key) {
		if (g->cells[s].key == k) {
			*ids = g->ids + g->cells[s].first;
			return g->cells[s].count;
		}
		s = (s + 1) & (g->nslots - 1);
	}
	return 0;
}

static double box_dist2(const double *b, double x, double y)
{
	double dx = x < b[0] ? b[0] - x : x > b[2] ? x - b[2] : 0;
	double dy = y < b[1] ? b[1] - y : y > b[3] ? y - b[3] : 0;
	return dx * dx + dy * dy;
}

double grid_route_dist(const struct gps_grid *g, size_t route, double x, double y)
{
	size_t i = g->route_first[route], end = g->route_first[route + 1];
	double best = INFINITY, t;

	while (i < end) {
		size_t run_end = (i / GRID_RUN + 1) * GRID_RUN;
		if (run_end > end)
			run_end = end;
		if (box_dist2(g->runbox + 4 * (i / GRID_RUN), x, y) < best) {
			for (size_t k = i; k < run_end; k++) {
				const struct gps_seg *s = &g->seg[k];
				double d2 = geo_seg_dist2(x, y, s->ax, s->ay, s->bx, s->by, &t);
				if (d2 < best)
					best = d2;
			}
		}
		i = run_end;
	}
	return sqrt(best);
}

void grid_free(struct gps_grid *g)
{
	free(g->route_first);
	free(g->runbox);
	free(g->seg);
	free(g->cells);
	free(g->ids);
	memset(g, 0, sizeof *g);
}
