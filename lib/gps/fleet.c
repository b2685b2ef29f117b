#include "common.h"

#include <math.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "msg.h"
#include "gps/fleet.h"
#include "strmap.h"
#include "strnum.h"

enum { V_PLATE, V_KIND, V_COMPANY, V_LIMIT, V_HOURS, V_ROUTES, NV };

static const struct rec_field fields[NV] = {
	[V_PLATE] = { "plate", "车牌号|车牌|车牌号码|号牌号码|号牌|vehicle", 0 },
	[V_KIND] = { "kind", "车辆类型|类型|车型|type", 0 },
	[V_COMPANY] = { "company", "所属公司|公司|运输企业|企业名称|所属企业|单位", 0 },
	[V_LIMIT] = { "limit_kmh", "限速|limit|speed_limit|限速km/h", 0 },
	[V_HOURS] = { "hours", "通行时段|准行时段|允许时段|时段|permitted_hours", 0 },
	[V_ROUTES] = { "routes", "核准路线|审批路线|路线|线路|route", 0 },
};

void fleet_init(struct gps_fleet *f)
{
	memset(f, 0, sizeof *f);
}

int fleet_find(const struct gps_fleet *f, const char *plate)
{
	return strmap_get(&f->by_plate, plate, strlen(plate));
}

int fleet_add(struct gps_fleet *f, const char *plate)
{
	struct gps_vehicle *v = xcalloc(1, sizeof *v);

	snprintf(v->plate, sizeof v->plate, "%s", plate);
	v->limit_kmh = NAN;
	XGROW(f->v, f->n + 1, f->cap);
	f->v[f->n++] = v;
	strmap_add(&f->by_plate, v->plate, strlen(v->plate), (int)f->n - 1);
	return (int)f->n - 1;
}

const char *fleet_kind_name(int kind)
{
	return kind == VEH_MUCK ? "muck" : kind == VEH_CONCRETE ? "concrete" : "";
}

static int parse_kind(const char *s, size_t n)
{
	static const struct { const char *w; int k; } words[] = {
		{ "muck", VEH_MUCK }, { "渣土车", VEH_MUCK }, { "渣土", VEH_MUCK },
		{ "concrete", VEH_CONCRETE }, { "商砼车", VEH_CONCRETE },
		{ "商砼", VEH_CONCRETE }, { "混凝土车", VEH_CONCRETE },
		{ "搅拌车", VEH_CONCRETE },
	};
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i].w) == n && strncasecmp(s, words[i].w, n) == 0)
			return words[i].k;
	return -1;
}

struct load_ctx {
	struct gps_fleet *f;
	const struct gps_shapes *routes;
};

/* Route ids, separated by ; | , 、 or blanks. */
static int parse_routes(struct load_ctx *c, struct gps_vehicle *v, const char *file,
			long line, const char *s, size_t n)
{
	struct buf id = BUF_INIT, text = BUF_INIT;
	size_t i = 0;
	int st = 0;

	while (i <= n && !st) {
		int sep = i == n || s[i] == ';' || s[i] == '|' || s[i] == ',' || s[i] == ' ' ||
			  s[i] == '\t';
		size_t k = 1;
		if (!sep && n - i >= 3 && (memcmp(s + i, "\xe3\x80\x81", 3) == 0 ||
					    memcmp(s + i, "\xef\xbc\x8c", 3) == 0)) {
			sep = 1;
			k = 3;
		}
		if (!sep) {
			buf_addc(&id, s[i++]);
			continue;
		}
		i += k;
		if (!id.len)
			continue;
		{
			int r = c->routes ? shapes_find(c->routes, id.s) : -1;
			if (r < 0) {
				msg_errat(file, line, "route '%s' of '%s' is not in %s", id.s,
					  v->plate, c->routes && c->routes->path ? c->routes->path
									: "the routes (no --routes)");
				st = -1;
				break;
			}
			v->routes = xreallocarray(v->routes, v->nroutes + 1, sizeof *v->routes);
			v->routes[v->nroutes++] = r;
			if (text.len)
				buf_addc(&text, ',');
			buf_adds(&text, id.s);
		}
		buf_reset(&id);
	}
	v->route_text = text.len ? buf_detach(&text) : NULL;
	buf_free(&text);
	buf_free(&id);
	return st;
}

static int row(void *ctx, const char *file, long line, const char *const *v,
	       const size_t *len)
{
	struct load_ctx *c = ctx;
	char plate[PLATE_MAX];
	const char *why;
	struct gps_vehicle *veh;
	int i;

	if (!v[V_PLATE] || !len[V_PLATE]) {
		msg_errat(file, line, "no plate");
		return -1;
	}
	if ((why = plate_normalise(v[V_PLATE], len[V_PLATE], plate)) != NULL) {
		msg_errat(file, line, "plate '%.*s': %s", (int)(len[V_PLATE] > 40 ? 40 : len[V_PLATE]),
			  v[V_PLATE], why);
		return -1;
	}
	if (fleet_find(c->f, plate) >= 0) {
		msg_errat(file, line, "plate '%s' is listed twice", plate);
		return -1;
	}
	i = fleet_add(c->f, plate);
	veh = c->f->v[i];
	veh->known = 1;
	if (v[V_KIND] && len[V_KIND] && (veh->kind = parse_kind(v[V_KIND], len[V_KIND])) < 0) {
		msg_errat(file, line, "kind '%.*s': expected muck or concrete",
			  (int)(len[V_KIND] > 40 ? 40 : len[V_KIND]), v[V_KIND]);
		return -1;
	}
	if (v[V_COMPANY] && len[V_COMPANY])
		veh->company = xstrndup(v[V_COMPANY], len[V_COMPANY]);
	if (v[V_LIMIT] && len[V_LIMIT] &&
	    (strnum_double(v[V_LIMIT], len[V_LIMIT], &veh->limit_kmh) < 0 ||
	     veh->limit_kmh < 1 || veh->limit_kmh > 300)) {
		msg_errat(file, line, "limit_kmh '%.*s' is not a speed from 1 to 300",
			  (int)(len[V_LIMIT] > 40 ? 40 : len[V_LIMIT]), v[V_LIMIT]);
		return -1;
	}
	if (v[V_HOURS] && len[V_HOURS]) {
		if ((why = hours_parse(v[V_HOURS], len[V_HOURS], &veh->hours)) != NULL) {
			msg_errat(file, line, "hours '%.*s': %s",
				  (int)(len[V_HOURS] > 40 ? 40 : len[V_HOURS]), v[V_HOURS], why);
			return -1;
		}
		veh->has_hours = 1;
	}
	if (v[V_ROUTES] && len[V_ROUTES])
		return parse_routes(c, veh, file, line, v[V_ROUTES], len[V_ROUTES]);
	return 0;
}

int fleet_load(struct gps_fleet *f, const char *path, const struct gps_shapes *routes)
{
	struct load_ctx c = { f, routes };

	return config_read(path, fields, NV, 1u << V_PLATE, 0, row, &c);
}

void fleet_free(struct gps_fleet *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i]->company);
		free(f->v[i]->routes);
		free(f->v[i]->route_text);
		free(f->v[i]);
	}
	free(f->v);
	strmap_free(&f->by_plate);
	memset(f, 0, sizeof *f);
}
