/*
 * report.c - --status and --summary (see report.h).
 */
#include "common.h"

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "flood/check.h"
#include "flood/eval.h"
#include "flood/input.h"
#include "flood/message.h"
#include "flood/report.h"
#include "flood/station.h"
#include "msg.h"
#include "out.h"
#include "timeparse.h"

static const struct out_col status_cols[] = {
	{ "station", OUT_STR, "站点" }, { "name", OUT_STR, "名称" },
	{ "level", OUT_STR, "预警等级" }, { "level_cm", OUT_NUM, "积水cm" },
	{ "trend", OUT_STR, "趋势" }, { "rate_cm_per_h", OUT_NUM, "涨速cm每小时" },
	{ "at", OUT_TIME, "最后读数时间" }, { "age_min", OUT_NUM, "距今分钟" },
	{ "alerts", OUT_STR, "未解除预警" },
};

static void alerts_text(struct buf *b, const struct flood_state *s, int stale)
{
	buf_reset(b);
	if (s->level)
		buf_adds(b, flood_level_name(s->level));
	if (s->rising)
		buf_addf(b, "%srising", b->len ? " " : "");
	if (stale)
		buf_addf(b, "%sstale", b->len ? " " : "");
	if (s->bad)
		buf_addf(b, "%sbad", b->len ? " " : "");
	buf_addc(b, '\0');
}

static void status_row(struct out *out, const struct station *st,
		       const struct flood_state *s, int64_t at, int zone, struct buf *al)
{
	char cm[32], rate[32], tm[TIMEPARSE_TEXT_LEN], age[32];
	const char *v[9];
	int stale = s->stale || (s->last_at != FLOOD_NONE &&
				 at - s->last_at >= (int64_t)st->stale_min * 60);

	v[0] = st->id;
	v[1] = st->name;
	v[2] = s->level ? flood_level_name(s->level) : NULL;
	v[3] = v[4] = v[5] = v[6] = v[7] = NULL;
	if (s->good_at != FLOOD_NONE) {
		out_decimals(s->good_cm, 1, cm);
		v[3] = cm;
	}
	if (s->has_rate && !stale) {
		out_decimals(s->rate, 1, rate);
		v[4] = s->rate >= 2 ? "涨" : s->rate <= -2 ? "落" : "平";
		v[5] = rate;
	}
	if (s->last_at != FLOOD_NONE) {
		timeparse_format(s->last_at, zone, tm);
		v[6] = tm;
		snprintf(age, sizeof age, "%lld", (long long)((at - s->last_at) / 60));
		v[7] = age;
	}
	alerts_text(al, s, stale);
	v[8] = al->s;
	out_row(out, v, NULL);
}

int flood_status(struct db *d, const struct stations *ss, int64_t at, struct out *out,
		 int fail_on, int *found)
{
	struct buf al = BUF_INIT;
	struct flood_state *s = xmalloc(sizeof *s);
	int64_t ids[4];
	int st = 0;

	*found = 0;
	out_columns(out, status_cols, ARRAY_SIZE(status_cols));
	for (size_t i = 0; i < ss->n; i++) {
		if (flood_state_load(d, &ss->v[i], s, ids) < 0) {
			st = db_fail(d, "flood_state");
			break;
		}
		status_row(out, &ss->v[i], s, at, db_zone_min(d), &al);
		if (fail_on && s->level >= fail_on)
			*found = 1;
	}
	buf_free(&al);
	free(s);
	return st;
}

/* ---- the duty log --------------------------------------------------------- */

static const struct out_col summary_cols[] = {
	{ "station", OUT_STR, "站点" }, { "name", OUT_STR, "名称" },
	{ "readings", OUT_NUM, "读数" }, { "bad", OUT_NUM, "异常读数" },
	{ "max_cm", OUT_NUM, "最大积水cm" }, { "max_at", OUT_TIME, "最大积水时间" },
	{ "blue_min", OUT_NUM, "蓝色以上分钟" }, { "yellow_min", OUT_NUM, "黄色以上分钟" },
	{ "orange_min", OUT_NUM, "橙色以上分钟" }, { "red_min", OUT_NUM, "红色以上分钟" },
	{ "alerts", OUT_NUM, "预警次数" }, { "top_level", OUT_STR, "最高预警" },
};

struct duty {
	long long n, bad;
	double max;
	int64_t max_at, prev_t;
	double prev_v;
	double secs[FLOOD_NLEVELS + 1];
	long long alerts;
	int top;
};

static void duty_add(struct duty *du, const struct station *st, int64_t t, double v,
		     int has)
{
	if (du->prev_t != FLOOD_NONE) {
		int64_t dt = t - du->prev_t, cap = (int64_t)st->stale_min * 60;
		if (dt > cap)
			dt = cap;
		for (int l = 1; l <= FLOOD_NLEVELS; l++)
			if (du->prev_v >= st->thr[l])
				du->secs[l] += (double)dt;
	}
	if (!has)
		return;
	if (!du->n++ || v > du->max) {
		du->max = v;
		du->max_at = t;
	}
	du->prev_t = t;
	du->prev_v = v;
}

/* The readings of [from, to), all stations in one pass in time order (the
 * order of the primary key), each into its station's duty log. */
static int duty_read(struct db *d, const struct stations *ss, const char *a,
		     const char *b, int64_t to, struct duty *du)
{
	sqlite3_stmt *q = db_stmt(d, "SELECT station, at, level_cm, bad FROM readings"
				  " WHERE at >= ?1 AND at < ?2 ORDER BY at, station");
	int zone = db_zone_min(d), rc;

	if (!q)
		return -1;
	for (size_t i = 0; i < ss->n; i++) {
		memset(&du[i], 0, sizeof du[i]);
		du[i].prev_t = du[i].max_at = FLOOD_NONE;
	}
	sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		const char *at = (const char *)sqlite3_column_text(q, 1);
		const struct station *st = stations_find(ss, id, strlen(id));
		int64_t t;
		if (!st || timeparse_canonical(at, strlen(at), zone, &t) < 0)
			continue;
		if (sqlite3_column_type(q, 3) != SQLITE_NULL) {
			du[st->index].bad++;
			continue;
		}
		duty_add(&du[st->index], st, t, sqlite3_column_double(q, 2), 1);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return -1;
	for (size_t i = 0; i < ss->n; i++)
		if (du[i].prev_t != FLOOD_NONE)
			duty_add(&du[i], &ss->v[i], to, 0, 0);
	return 0;
}

/* the level alerts of the period and the highest level they reached */
static int duty_alerts(struct db *d, const struct station *st, const char *a,
		       const char *b, struct duty *du)
{
	static const char *const sql[] = {
		"SELECT max(CASE level WHEN 'blue' THEN 1 WHEN 'yellow' THEN 2 WHEN"
		" 'orange' THEN 3 WHEN 'red' THEN 4 END) FROM flood_events WHERE"
		" station = ?1 AND at >= ?2 AND at < ?3 AND event IN ('opened', 'escalated')",
		"SELECT count(*) FROM flood_alerts WHERE station = ?1 AND kind = 'level'"
		" AND opened_at >= ?2 AND opened_at < ?3",
	};
	for (size_t i = 0; i < ARRAY_SIZE(sql); i++) {
		sqlite3_stmt *q = db_stmt(d, sql[i]);
		int rc;
		if (!q)
			return -1;
		sqlite3_bind_text(q, 1, st->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, a, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, b, -1, SQLITE_STATIC);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW && i == 0)
			du->top = sqlite3_column_int(q, 0);
		else if (rc == SQLITE_ROW)
			du->alerts = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		if (rc != SQLITE_ROW)
			return -1;
	}
	return 0;
}

/* One row of the duty log: a station's, or (total) the stations' together. */
static int summary_row(struct out *out, const char *id, const char *name,
		       const struct duty *du, int zone, int total)
{
	char num[8][32], tm[TIMEPARSE_TEXT_LEN];
	const char *v[12];

	v[0] = id;
	v[1] = name;
	snprintf(num[0], sizeof num[0], "%lld", du->n);
	snprintf(num[1], sizeof num[1], "%lld", du->bad);
	v[2] = num[0];
	v[3] = num[1];
	v[4] = v[5] = NULL;
	if (du->n) {
		out_decimals(du->max, 1, num[2]);
		timeparse_format(du->max_at, zone, tm);
		v[4] = num[2];
		v[5] = tm;
	}
	for (int l = 1; l <= FLOOD_NLEVELS; l++) {
		out_decimals(du->secs[l] / 60, 0, num[2 + l]);
		v[5 + l] = num[2 + l];
	}
	snprintf(num[7], sizeof num[7], "%lld", du->alerts);
	v[10] = num[7];
	v[11] = du->top ? flood_level_name(du->top) : NULL;
	return total ? out_total(out, v, NULL) : out_row(out, v, NULL);
}

/* The stations' duty logs together: counts and minutes added, the highest
 * level of all with its time, the highest alert. */
static void duty_sum(struct duty *sum, const struct duty *du)
{
	if (du->n && (!sum->n || du->max > sum->max)) {
		sum->max = du->max;
		sum->max_at = du->max_at;
	}
	sum->n += du->n;
	sum->bad += du->bad;
	for (int l = 0; l <= FLOOD_NLEVELS; l++)
		sum->secs[l] += du->secs[l];
	sum->alerts += du->alerts;
	if (du->top > sum->top)
		sum->top = du->top;
}

int flood_summary(struct db *d, const struct stations *ss, int64_t from, int64_t to,
		  struct out *out)
{
	char a[TIMEPARSE_TEXT_LEN], b[TIMEPARSE_TEXT_LEN];
	struct duty *all = xcalloc(ss->n ? ss->n : 1, sizeof *all), sum;
	int st = 0;

	timeparse_format(from, db_zone_min(d), a);
	timeparse_format(to, db_zone_min(d), b);
	if (duty_read(d, ss, a, b, to, all) < 0) {
		free(all);
		return db_fail(d, "readings");
	}
	memset(&sum, 0, sizeof sum);
	out_columns(out, summary_cols, ARRAY_SIZE(summary_cols));
	for (size_t i = 0; i < ss->n; i++) {
		struct duty du = all[i];
		if (duty_alerts(d, &ss->v[i], a, b, &du) < 0) {
			st = db_fail(d, "flood_events");
			break;
		}
		summary_row(out, ss->v[i].id, ss->v[i].name, &du, db_zone_min(d), 0);
		duty_sum(&sum, &du);
	}
	if (!st && (out_flags(out) & OUT_F_WANT_TOTAL))
		summary_row(out, out_total_label(out), NULL, &sum, db_zone_min(d), 1);
	free(all);
	return st;
}
