/*
 * station.c - stations.csv (see station.h).
 */
#include "common.h"

#include <math.h>

#include "config.h"
#include "flood/station.h"
#include "hash.h"
#include "msg.h"
#include "rec.h"
#include "strnum.h"
#include "text.h"

enum {
	S_ID, S_NAME, S_KIND, S_PLACE, S_LON, S_LAT, S_BLUE, S_YELLOW, S_ORANGE,
	S_RED, S_CLEAR, S_RISE, S_STALE, S_MAX, S_JUMP, S_NFIELDS
};

static const struct rec_field station_fields[S_NFIELDS] = {
	[S_ID] = { "id", "站点编号|站点代码|站号|编号|station|station_id", 0 },
	[S_NAME] = { "name", "站点名称|站名|名称|监测点|station_name", 0 },
	[S_KIND] = { "kind", "类型|站点类型|type", 0 },
	[S_PLACE] = { "place", "位置|地点|所在位置|地址", 0 },
	[S_LON] = { "lon", "经度|longitude|lng", 0 },
	[S_LAT] = { "lat", "纬度|latitude", 0 },
	[S_BLUE] = { "blue_cm", "蓝色|蓝色预警|蓝色预警cm|blue", 0 },
	[S_YELLOW] = { "yellow_cm", "黄色|黄色预警|黄色预警cm|yellow", 0 },
	[S_ORANGE] = { "orange_cm", "橙色|橙色预警|橙色预警cm|orange", 0 },
	[S_RED] = { "red_cm", "红色|红色预警|红色预警cm|red", 0 },
	[S_CLEAR] = { "clear_cm", "解除回差|回差|clear", 0 },
	[S_RISE] = { "rise_cm_per_h", "涨速|涨速预警|rise", 0 },
	[S_STALE] = { "stale_min", "断线分钟|无数据分钟|stale", 0 },
	[S_MAX] = { "max_cm", "量程|最大值|max", 0 },
	[S_JUMP] = { "jump_cm_per_min", "跳变|最大变幅|jump", 0 },
};

static const double default_thr[FLOOD_NLEVELS + 1] = { 0, 15, 25, 35, 50 };
static const char *const level_names[] = { NULL, "blue", "yellow", "orange", "red" };
static const char *const level_zh[] = { NULL, "蓝色", "黄色", "橙色", "红色" };

const char *flood_level_name(int level)
{
	return level >= 1 && level <= FLOOD_NLEVELS ? level_names[level] : NULL;
}

const char *flood_level_zh(int level)
{
	return level >= 1 && level <= FLOOD_NLEVELS ? level_zh[level] : NULL;
}

int flood_level_parse(const char *s)
{
	static const char *const short_zh[] = { NULL, "蓝", "黄", "橙", "红" };

	for (int i = 1; i <= FLOOD_NLEVELS; i++)
		if (!strcmp(s, level_names[i]) || !strcmp(s, level_zh[i]) ||
		    !strcmp(s, short_zh[i]) || (s[0] == '0' + i && !s[1]))
			return i;
	return -1;
}

struct load_ctx {
	struct stations *ss;
};

/* A number cell: 0 empty (dflt kept), 1 set, -1 bad (message printed). */
static int num_cell(const char *file, long line, const char *name,
		    const char *v, size_t n, double lo, double hi, double *out)
{
	double d;

	if (!v)
		return 0;
	text_trim(&v, &n);
	if (!n)
		return 0;
	if (strnum_double(v, n, &d) < 0 || d < lo || d > hi) {
		msg_errat(file, line, "%s '%.*s': expected a number from %g to %g",
			  name, (int)n, v, lo, hi);
		return -1;
	}
	*out = d;
	return 1;
}

static int parse_kind(const char *v, size_t n)
{
	static const struct { const char *w; int k; } words[] = {
		{ "underpass", STATION_UNDERPASS }, { "下穿", STATION_UNDERPASS },
		{ "下穿通道", STATION_UNDERPASS }, { "桥涵", STATION_UNDERPASS },
		{ "铁路桥", STATION_UNDERPASS }, { "culvert", STATION_CULVERT },
		{ "涵洞", STATION_CULVERT }, { "river", STATION_RIVER },
		{ "河道", STATION_RIVER }, { "河流", STATION_RIVER },
		{ "lake", STATION_RIVER }, { "湖泊", STATION_RIVER },
	};
	if (!v || !n)
		return STATION_UNDERPASS;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i].w) == n && !memcmp(v, words[i].w, n))
			return words[i].k;
	return -1;
}

static int check_ladder(const char *file, long line, const struct station *s,
			int given)
{
	if (s->kind == STATION_RIVER && given != (1 << FLOOD_NLEVELS) - 1) {
		msg_errat(file, line, "station '%s' is a river: give its own blue_cm, "
			  "yellow_cm, orange_cm and red_cm", s->id);
		return -1;
	}
	for (int i = 2; i <= FLOOD_NLEVELS; i++)
		if (!(s->thr[i] > s->thr[i - 1])) {
			msg_errat(file, line, "station '%s': %s_cm %g is not above %s_cm %g "
				  "(the ladder must rise blue < yellow < orange < red)",
				  s->id, level_names[i], s->thr[i], level_names[i - 1],
				  s->thr[i - 1]);
			return -1;
		}
	if (s->has_max && s->max_cm <= s->thr[FLOOD_NLEVELS]) {
		msg_errat(file, line, "station '%s': max_cm %g is not above red_cm %g",
			  s->id, s->max_cm, s->thr[FLOOD_NLEVELS]);
		return -1;
	}
	return 0;
}

static int numbers(const char *file, long line, struct station *s,
		   const char *const *v, const size_t *len)
{
	static const char *const names[] = { "blue_cm", "yellow_cm", "orange_cm", "red_cm" };
	double d;
	int r, given = 0, given_xy;

	for (int i = 1; i <= FLOOD_NLEVELS; i++) {
		if ((r = num_cell(file, line, names[i - 1], v[S_BLUE + i - 1],
				  len[S_BLUE + i - 1], -1e6, 1e6, &s->thr[i])) < 0)
			return -1;
		if (r)
			given |= 1 << (i - 1);
	}
	if (num_cell(file, line, "clear_cm", v[S_CLEAR], len[S_CLEAR], 0, 1e4,
		     &s->clear_cm) < 0 ||
	    num_cell(file, line, "rise_cm_per_h", v[S_RISE], len[S_RISE], 0.1, 1e5,
		     &s->rise_cm_per_h) < 0 ||
	    num_cell(file, line, "jump_cm_per_min", v[S_JUMP], len[S_JUMP], 0.1, 1e6,
		     &s->jump_cm_per_min) < 0)
		return -1;
	d = s->stale_min;
	if (num_cell(file, line, "stale_min", v[S_STALE], len[S_STALE], 1, 525600, &d) < 0)
		return -1;
	s->stale_min = (int)d;
	if ((r = num_cell(file, line, "max_cm", v[S_MAX], len[S_MAX], 0, 1e7, &s->max_cm)) < 0)
		return -1;
	if (r)
		s->has_max = 1;
	if ((r = num_cell(file, line, "lon", v[S_LON], len[S_LON], -180, 180, &s->lon)) < 0 ||
	    (given_xy = num_cell(file, line, "lat", v[S_LAT], len[S_LAT], -90, 90, &s->lat)) < 0)
		return -1;
	s->has_xy = r && given_xy;
	return check_ladder(file, line, s, given);
}

static int station_row(void *vctx, const char *file, long line,
		       const char *const *v, const size_t *len)
{
	struct load_ctx *ctx = vctx;
	struct stations *ss = ctx->ss;
	struct station s;
	const char *id = v[S_ID];
	size_t idn = len[S_ID];
	int k;

	memset(&s, 0, sizeof s);
	if (id)
		text_trim(&id, &idn);
	if (!id || !idn) {
		msg_errat(file, line, "missing station id");
		return -1;
	}
	if (stations_find(ss, id, idn)) {
		msg_errat(file, line, "station '%.*s' is named twice", (int)idn, id);
		return -1;
	}
	k = parse_kind(v[S_KIND], len[S_KIND]);
	if (k < 0) {
		msg_errat(file, line, "kind '%.*s': expected underpass, culvert or river",
			  (int)len[S_KIND], v[S_KIND]);
		return -1;
	}
	s.kind = (enum station_kind)k;
	s.id = xstrndup(id, idn);
	memcpy(s.thr, default_thr, sizeof s.thr);
	s.clear_cm = 5;
	s.rise_cm_per_h = 20;
	s.stale_min = 30;
	s.jump_cm_per_min = 30;
	s.has_max = s.kind != STATION_RIVER;
	s.max_cm = s.has_max ? 300 : 0;
	if (numbers(file, line, &s, v, len) < 0) {
		free(s.id);
		return -1;
	}
	s.name = v[S_NAME] ? text_dup_trimmed(v[S_NAME], len[S_NAME]) : NULL;
	if (!s.name)
		s.name = xstrdup(s.id);
	s.place = v[S_PLACE] ? text_dup_trimmed(v[S_PLACE], len[S_PLACE]) : NULL;
	s.index = ss->n;
	XGROW(ss->v, ss->n + 1, ss->cap);
	ss->v[ss->n++] = s;
	/* the table is rebuilt as it grows: a few dozen stations at most */
	free(ss->slot);
	ss->nslot = 16;
	while (ss->nslot < ss->n * 2)
		ss->nslot *= 2;
	ss->slot = xcalloc(ss->nslot, sizeof *ss->slot);
	for (size_t i = 0; i < ss->n; i++) {
		size_t h = (size_t)hash_fnv1a(ss->v[i].id, strlen(ss->v[i].id), 0);
		while (ss->slot[h & (ss->nslot - 1)])
			h++;
		ss->slot[h & (ss->nslot - 1)] = i + 1;
	}
	return 0;
}

int stations_load(struct stations **out, const char *path)
{
	struct load_ctx ctx;
	int st;

	ctx.ss = xcalloc(1, sizeof *ctx.ss);
	st = config_read(path, station_fields, S_NFIELDS, 1u << S_ID, 0,
			 station_row, &ctx);
	if (!st && ctx.ss->n == 0) {
		msg_err("%s: no stations", path);
		st = EXIT_CONFIG;
	}
	if (st) {
		stations_free(ctx.ss);
		*out = NULL;
		return st;
	}
	*out = ctx.ss;
	return 0;
}

const struct station *stations_find(const struct stations *ss, const char *id,
				    size_t n)
{
	size_t h;

	if (!ss->nslot)
		return NULL;
	h = (size_t)hash_fnv1a(id, n, 0);
	for (;; h++) {
		size_t i = ss->slot[h & (ss->nslot - 1)];
		if (!i)
			return NULL;
		const struct station *s = &ss->v[i - 1];
		if (strlen(s->id) == n && !memcmp(s->id, id, n))
			return s;
	}
}

void stations_free(struct stations *ss)
{
	if (!ss)
		return;
	for (size_t i = 0; i < ss->n; i++) {
		free(ss->v[i].id);
		free(ss->v[i].name);
		free(ss->v[i].place);
	}
	free(ss->v);
	free(ss->slot);
	free(ss);
}
