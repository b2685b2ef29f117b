/*
 * audit.c - a run of gps-audit: each vehicle's fixes through the detectors,
 * the episodes into the store, the report out (see audit.h).
 */
#include "common.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "batch.h"
#include "msg.h"
#include "gps/run.h"
#include "gps/store.h"
#include "out.h"

static const struct out_col ep_cols[] = {
	{ "plate", OUT_STR, "车牌号" }, { "company", OUT_STR, "所属公司" },
	{ "kind", OUT_STR, "违规类型" }, { "started_at", OUT_TIME, "开始时间" },
	{ "ended_at", OUT_TIME, "结束时间" }, { "duration_s", OUT_NUM, "持续秒数" },
	{ "lat", OUT_NUM, "纬度" }, { "lon", OUT_NUM, "经度" },
	{ "max_speed_kmh", OUT_NUM, "最高时速" }, { "mean_speed_kmh", OUT_NUM, "平均时速" },
	{ "limit_kmh", OUT_NUM, "限速" }, { "limit_source", OUT_STR, "限速来源" },
	{ "max_distance_m", OUT_NUM, "最大偏离米数" }, { "distance_m", OUT_NUM, "行驶米数" },
	{ "fixes", OUT_NUM, "定位点数" }, { "rule", OUT_STR, "规则" },
	{ "detail", OUT_STR, "说明" },
};

static const struct out_col sum_cols[] = {
	{ "plate", OUT_STR, "车牌号" }, { "company", OUT_STR, "所属公司" },
	{ "fixes", OUT_NUM, "定位点数" }, { "km", OUT_NUM, "里程公里" },
	{ "speeding", OUT_NUM, "超速" }, { "off_route", OUT_NUM, "偏离路线" },
	{ "zone", OUT_NUM, "闯禁区" }, { "hours", OUT_NUM, "违规时段" },
	{ "gap", OUT_NUM, "信号中断" }, { "minutes", OUT_NUM, "违规分钟" },
};

static const struct out_col fix_cols[] = {
	{ "plate", OUT_STR, "车牌号" }, { "at", OUT_TIME, "定位时间" },
	{ "lat", OUT_NUM, "纬度" }, { "lon", OUT_NUM, "经度" },
	{ "speed_kmh", OUT_NUM, "速度" }, { "implied_kmh", OUT_NUM, "推算速度" },
	{ "limit_kmh", OUT_NUM, "限速" }, { "route_m", OUT_NUM, "离路线米数" },
	{ "zone", OUT_STR, "禁区" }, { "dropped", OUT_STR, "剔除原因" },
};

struct gps_audit *audit_new(const struct gps_opts *o, struct gps_fleet *f,
			    const struct gps_shapes *routes,
			    const struct gps_shapes *zones, int zone_min, int *status)
{
	struct gps_audit *a = xcalloc(1, sizeof *a);
	const struct gps_shapes *sets[2] = { routes, zones };
	double lat, lon;

	a->o = o;
	a->fleet = f;
	a->routes = routes;
	a->zones = zones;
	a->zone_min = zone_min;
	a->last_vid = -1;
	a->fb = fixbuf_new(o->memory);
	a->names_ro = (struct rec_opts){ o->fmt, o->enc, o->maps, o->nmaps, o->date_format,
					 REC_O_MAP_HINT };
	a->names = rec_names(audit_fields, NFIX_FIELDS, &a->names_ro);
	a->ctx.p = &o->p;
	a->ctx.routes = routes;
	a->ctx.zones = zones && zones->n ? zones : NULL;
	a->ctx.zone_min = zone_min;
	a->ctx.route_mark = xcalloc(routes && routes->n ? routes->n : 1, sizeof *a->ctx.route_mark);
	if (shapes_origin(sets, 2, &lat, &lon) == 0) {
		geo_proj_init(&a->ctx.proj, lat, lon);
		a->ctx.have_proj = 1;
		if (routes)
			shapes_project((struct gps_shapes *)routes, &a->ctx.proj);
		if (zones)
			shapes_project((struct gps_shapes *)zones, &a->ctx.proj);
	}
	grid_build(&a->grid, routes);
	a->ctx.grid = &a->grid;
	a->rj = rejects_open(o->rejects, status);
	if (!a->rj && o->rejects) {
		audit_free(a);
		return NULL;
	}
	*status = 0;
	return a;
}

struct vres *audit_vres(struct gps_audit *a, size_t vid)
{
	if (vid >= a->nvr) {
		XGROW(a->vr, vid + 1, a->vrcap);
		memset(a->vr + a->nvr, 0, (vid + 1 - a->nvr) * sizeof *a->vr);
		for (size_t i = a->nvr; i <= vid; i++)
			a->vr[i].vid = i;
		a->nvr = vid + 1;
	}
	return &a->vr[vid];
}

/* ---- printing ---------------------------------------------------------- */

/* A row out; a failure (a full disk) is out_close()'s to report. */
static void row(struct gps_audit *a, const char *const *v)
{
	(void)out_row(a->out, v, NULL);
}

static void print_episode(struct gps_audit *a, const struct gps_vehicle *veh,
			  const struct gps_episode *e)
{
	char t0[TIMEPARSE_TEXT_LEN], t1[TIMEPARSE_TEXT_LEN], dur[24], fx[24];
	char la[OUT_DOUBLE_LEN], lo[OUT_DOUBLE_LEN], mx[OUT_DOUBLE_LEN], mn[OUT_DOUBLE_LEN],
		li[OUT_DOUBLE_LEN], md[OUT_DOUBLE_LEN],
		di[OUT_DOUBLE_LEN];
	const char *v[ARRAY_SIZE(ep_cols)];

	timeparse_format(e->start, a->zone_min, t0);
	timeparse_format(e->end, a->zone_min, t1);
	snprintf(dur, sizeof dur, "%lld", (long long)(e->end - e->start));
	snprintf(fx, sizeof fx, "%ld", e->fixes);
	v[0] = veh->plate;
	v[1] = veh->company;
	v[2] = ep_kind_names[e->kind];
	v[3] = t0;
	v[4] = t1;
	v[5] = dur;
	v[6] = out_decimals(e->lat, 6, la);
	v[7] = out_decimals(e->lon, 6, lo);
	v[8] = out_decimals(e->max_speed, 1, mx);
	v[9] = out_decimals(e->nspeed ? e->sum_speed / (double)e->nspeed : NAN, 1, mn);
	v[10] = out_fixed(store_round(e->limit, 1), 3, li);
	v[11] = e->limit_src[0] ? e->limit_src : NULL;
	v[12] = out_decimals(e->max_dist, 0, md);
	v[13] = out_decimals(e->dist_m, 0, di);
	v[14] = fx;
	v[15] = e->rule;
	v[16] = e->detail[0] ? e->detail : NULL;
	for (size_t i = 6; i < 14; i++)
		if (v[i] && !*v[i])
			v[i] = NULL;
	row(a, v);
}

void audit_print_vehicle(struct gps_audit *a, const struct vres *r)
{
	if (a->o->report != AUDIT_EPISODES || !a->out)
		return;
	for (size_t i = 0; i < r->neps; i++)
		print_episode(a, a->fleet->v[r->vid], &r->eps[i]);
}

static void show_fix(void *ctx, const struct gps_vehicle *v, const struct gps_fixinfo *fi)
{
	struct gps_audit *a = ctx;
	char at[TIMEPARSE_TEXT_LEN], la[OUT_DOUBLE_LEN], lo[OUT_DOUBLE_LEN], sp[OUT_DOUBLE_LEN],
		im[OUT_DOUBLE_LEN], li[OUT_DOUBLE_LEN],
		rm[OUT_DOUBLE_LEN];
	const char *vals[ARRAY_SIZE(fix_cols)];

	timeparse_format(fi->fix->t, a->zone_min, at);
	vals[0] = v->plate;
	vals[1] = at;
	vals[2] = out_decimals(fi->fix->lat / 1e7, 7, la);
	vals[3] = out_decimals(fi->fix->lon / 1e7, 7, lo);
	vals[4] = out_decimals(fi->speed, 3, sp);
	vals[5] = out_decimals(fi->implied, 3, im);
	vals[6] = out_fixed(fi->limit, 3, li);
	vals[7] = out_decimals(fi->route_m, 2, rm);
	vals[8] = fi->zone >= 0 ? a->zones->s[fi->zone].id : NULL;
	vals[9] = fi->dropped >= 0 ? drop_names[fi->dropped] : NULL;
	for (size_t i = 4; i < 8; i++)
		if (!*vals[i])
			vals[i] = NULL;
	row(a, vals);
}

/* ---- auditing ---------------------------------------------------------- */

/* One vehicle through the detectors, with a context of its own thread. */
static int audit_one(struct gps_audit *a, struct gps_ctx *ctx, long *dropped, long *episodes,
		     size_t vid)
{
	struct vres *r = &a->vr[vid];
	struct gps_track tr;
	struct fixiter it;
	struct gps_fix f;
	double origin[2];
	int rc;

	origin[0] = (r->box[0] / 2.0 + r->box[2] / 2.0) / 1e7;
	origin[1] = (r->box[1] / 2.0 + r->box[3] / 2.0) / 1e7;
	track_begin(&tr, ctx, a->fleet->v[vid], origin);
	if (a->o->report == AUDIT_FIXES && a->out) {
		tr.on_fix = show_fix;
		tr.on_fix_ctx = a;
	}
	fixbuf_iter(a->fb, vid, &it);
	while ((rc = fixiter_next(&it, &f)) > 0)
		track_fix(&tr, &f);
	fixiter_done(&it);
	if (rc < 0) {
		track_free(&tr);
		return EXIT_IO_ERR;
	}
	track_end(&tr);
	for (int k = 0; k < DROP_N; k++)
		dropped[k] += tr.dropped[k];
	free(r->eps);
	r->eps = tr.eps;
	r->neps = tr.neps;
	r->fixes = tr.fixes;
	r->km = tr.km;
	*episodes += (long)tr.neps;
	return 0;
}

int audit_vehicle(struct gps_audit *a, size_t vid)
{
	audit_vres(a, vid);
	return audit_one(a, &a->ctx, a->dropped, &a->episodes, vid);
}

/* The vehicles are independent: they are audited on as many threads as
 * there are cores (up to 4), each taking the next vehicle as it is free. */
struct worker {
	struct gps_audit *a;
	struct gps_ctx ctx;
	const size_t *order;
	size_t n;
	atomic_size_t *next;
	long dropped[DROP_N], episodes;
	int status;
	pthread_t th;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t i;

	while (!w->status && (i = atomic_fetch_add(w->next, 1)) < w->n)
		w->status = audit_one(w->a, &w->ctx, w->dropped, &w->episodes, w->order[i]);
	return NULL;
}

static int audit_all(struct gps_audit *a, const size_t *order, size_t n)
{
	struct worker w[4];
	atomic_size_t next = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nw = cores < 1 ? 1 : cores > 4 ? 4 : (size_t)cores, started = 1;
	int st = 0;

	if (a->o->report == AUDIT_FIXES || n < 2)
		nw = 1; /* --show-fixes prints in order */
	for (size_t k = 0; k < nw; k++) {
		memset(&w[k], 0, sizeof w[k]);
		w[k].a = a;
		w[k].ctx = a->ctx;
		w[k].ctx.route_mark = k ? xcalloc(a->routes && a->routes->n ? a->routes->n : 1,
						  sizeof *w[k].ctx.route_mark)
					: a->ctx.route_mark;
		w[k].order = order;
		w[k].n = n;
		w[k].next = &next;
	}
	for (size_t k = 1; k < nw; k++)
		if (pthread_create(&w[k].th, NULL, work, &w[k]) == 0)
			started++;
		else
			break;
	work(&w[0]);
	for (size_t k = 0; k < nw; k++) {
		if (k && k < started)
			pthread_join(w[k].th, NULL);
		for (int d = 0; d < DROP_N; d++)
			a->dropped[d] += w[k].dropped[d];
		a->episodes += w[k].episodes;
		if (w[k].status && !st)
			st = w[k].status;
		if (k)
			free(w[k].ctx.route_mark);
	}
	a->ctx.stamp = w[0].ctx.stamp;
	return st;
}

/* Minutes in violation: the union of the episodes' spans. */
static double minutes(const struct vres *r)
{
	int64_t total = 0, s = 0, e = -1;

	for (size_t i = 0; i < r->neps; i++) {
		if (r->eps[i].start > e) {
			total += e - s;
			s = r->eps[i].start;
			e = r->eps[i].end;
		} else if (r->eps[i].end > e) {
			e = r->eps[i].end;
		}
	}
	if (r->neps)
		total += e - s;
	return (double)total / 60;
}

struct tally {
	long fixes, n[EP_NKINDS];
	double km, min;
};

static void print_tally(struct gps_audit *a, const char *plate, const char *company,
			const struct tally *t, int total)
{
	char fx[24], km[OUT_DOUBLE_LEN], mi[OUT_DOUBLE_LEN], n[EP_NKINDS][24];
	const char *v[ARRAY_SIZE(sum_cols)];

	snprintf(fx, sizeof fx, "%ld", t->fixes);
	v[0] = plate;
	v[1] = company;
	v[2] = fx;
	v[3] = out_decimals(t->km, 1, km);
	for (int k = 0; k < EP_NKINDS; k++) {
		snprintf(n[k], sizeof n[k], "%ld", t->n[k]);
		v[4 + k] = n[k];
	}
	v[9] = out_decimals(t->min, 1, mi);
	if (!total)
		row(a, v);
	else
		(void)out_total(a->out, v, NULL);
}

static void tally_add(struct tally *to, const struct tally *t)
{
	to->fixes += t->fixes;
	to->km += t->km;
	to->min += t->min;
	for (int k = 0; k < EP_NKINDS; k++)
		to->n[k] += t->n[k];
}

static const struct gps_fleet *sort_fleet;

static int by_plate(const void *x, const void *y)
{
	const struct gps_vehicle *a = sort_fleet->v[*(const size_t *)x];
	const struct gps_vehicle *b = sort_fleet->v[*(const size_t *)y];
	return strcmp(a->plate, b->plate);
}

static int by_company(const void *x, const void *y)
{
	const struct gps_vehicle *a = sort_fleet->v[*(const size_t *)x];
	const struct gps_vehicle *b = sort_fleet->v[*(const size_t *)y];
	int c = strcmp(a->company ? a->company : "", b->company ? b->company : "");
	return c ? c : strcmp(a->plate, b->plate);
}

/* A row per vehicle, by company, and a company's total after its vehicles
 * ("total", 小计 under --lang zh); with --total, the fleet's (合计) last. */
static void print_summary(struct gps_audit *a, size_t *order, size_t n)
{
	const char *sub = out_flags(a->out) & OUT_F_ZH ? "小计" : "total";
	struct tally co, all;
	const char *cur = NULL;

	sort_fleet = a->fleet;
	qsort(order, n, sizeof *order, by_company);
	memset(&co, 0, sizeof co);
	memset(&all, 0, sizeof all);
	for (size_t i = 0; i <= n; i++) {
		const struct gps_vehicle *v = i < n ? a->fleet->v[order[i]] : NULL;
		const char *c = v && v->company ? v->company : "";
		struct tally t;
		const struct vres *r;
		if (i > 0 && (!v || strcmp(c, cur) != 0)) {
			print_tally(a, sub, cur, &co, 0);
			tally_add(&all, &co);
			memset(&co, 0, sizeof co);
		}
		if (!v) {
			if (out_flags(a->out) & OUT_F_WANT_TOTAL)
				print_tally(a, out_total_label(a->out), "", &all, 1);
			break;
		}
		cur = c;
		r = order[i] < a->nvr ? &a->vr[order[i]] : NULL;
		memset(&t, 0, sizeof t);
		if (r) {
			t.fixes = r->fixes;
			t.km = r->km;
			t.min = minutes(r);
			for (size_t k = 0; k < r->neps; k++)
				t.n[r->eps[k].kind]++;
		}
		print_tally(a, v->plate, c, &t, 0);
		tally_add(&co, &t);
	}
}

static int store_all(struct gps_audit *a, struct db *d, const size_t *order, size_t n)
{
	struct batch b;
	int st;

	if ((st = db_begin(d)) != 0)
		return st;
	if (batch_begin(d, &b, prog_name, a->o->source) < 0)
		goto fail;
	b.read = a->read;
	b.rejected = a->bad;
	for (size_t i = 0; i < n; i++) {
		const struct vres *r = &a->vr[order[i]];
		for (size_t k = 0; k < r->neps; k++) {
			int c = store_episode(d, b.id, a->fleet->v[r->vid], &r->eps[k], a->zone_min);
			if (c < 0)
				goto fail;
			if (c == 1)
				b.inserted++;
			else if (c == 2)
				b.updated++;
			else
				b.unchanged++;
		}
	}
	if (batch_end(d, &b) < 0)
		goto fail;
	if (a->o->dry_run)
		st = db_rollback(d);
	else
		st = db_commit(d);
	if (!st)
		msg_info("%lld new episode%s, %lld changed, %lld already in the store%s",
			 b.inserted, b.inserted == 1 ? "" : "s", b.updated, b.unchanged,
			 a->o->dry_run ? " (dry run: nothing stored)" : "");
	return st;
fail:
	st = db_fail(d, "cannot store the violations");
	db_rollback(d);
	return st;
}

static void report_counts(struct gps_audit *a, size_t nveh)
{
	struct buf b = BUF_INIT;
	long unknown = 0;

	for (int k = 0; k < DROP_N; k++)
		if (a->dropped[k])
			buf_addf(&b, "%s%ld %s", b.len ? ", " : "", a->dropped[k], drop_names[k]);
	for (size_t i = 0; i < a->nvr; i++)
		if (a->vr[i].seen && !a->fleet->v[i]->known)
			unknown++;
	msg_info("%ld fixes of %zu vehicle%s; dropped: %s; %ld episode%s", a->read, nveh,
		 nveh == 1 ? "" : "s", b.len ? b.s : "none", a->episodes,
		 a->episodes == 1 ? "" : "s");
	if (unknown && a->fleet->n > (size_t)unknown)
		msg_warn("%ld plate%s not in the vehicles file: audited without routes or hours",
			 unknown, unknown == 1 ? " is" : "s are");
	buf_free(&b);
}

int audit_finish(struct gps_audit *a, struct db *d, struct out *o)
{
	size_t *order = xcalloc(a->fleet->n + 1, sizeof *order), n = 0, nall = 0;
	int st = 0;

	a->out = o;
	for (size_t i = 0; i < a->nvr; i++)
		if (a->vr[i].seen)
			order[n++] = i;
	sort_fleet = a->fleet;
	qsort(order, n, sizeof *order, by_plate);
	if (a->o->report == AUDIT_FIXES)
		out_columns(o, fix_cols, ARRAY_SIZE(fix_cols));
	st = audit_all(a, order, n);
	if (fixbuf_runs(a->fb))
		msg_verb("the fixes were sorted in %zu runs on disk", fixbuf_runs(a->fb));
	if (!st && d)
		st = store_all(a, d, order, n);
	if (!st && a->o->report == AUDIT_EPISODES) {
		out_columns(o, ep_cols, ARRAY_SIZE(ep_cols));
		for (size_t i = 0; i < n; i++)
			audit_print_vehicle(a, &a->vr[order[i]]);
	} else if (!st && a->o->report == AUDIT_SUMMARY) {
		out_columns(o, sum_cols, ARRAY_SIZE(sum_cols));
		for (size_t i = 0; i < a->fleet->n; i++)
			if (a->fleet->v[i]->known || (i < a->nvr && a->vr[i].seen))
				order[nall++] = i;
		print_summary(a, order, nall);
	}
	if (!st)
		report_counts(a, n);
	free(order);
	if (st)
		return st;
	return a->episodes ? EXIT_FOUND : 0;
}

void audit_columns(struct gps_audit *a, struct out *o)
{
	out_columns(o, a->o->report == AUDIT_FIXES ? fix_cols : ep_cols,
		    a->o->report == AUDIT_FIXES ? ARRAY_SIZE(fix_cols) : ARRAY_SIZE(ep_cols));
}

void audit_counts(struct gps_audit *a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->nvr; i++)
		n += a->vr[i].seen != 0;
	report_counts(a, n);
}

int audit_free(struct gps_audit *a)
{
	int st;

	if (!a)
		return 0;
	for (size_t i = 0; i < a->nvr; i++)
		free(a->vr[i].eps);
	free(a->vr);
	fixbuf_free(a->fb);
	grid_free(&a->grid);
	free(a->ctx.route_mark);
	strmap_free(&a->raw);
	free(a->detected);
	rec_close(a->names);
	st = rejects_close(a->rj);
	free(a);
	return st;
}
