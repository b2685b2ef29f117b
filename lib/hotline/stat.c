/*
 * stat.c - the 12345 figures (see stat.h): one aggregate query over the
 * tickets of the period, grouped by a key or not.  The only SQL text chosen
 * at run time comes from the fixed tables below, keyed by the option's
 * word; every value is bound.
 */
#include "common.h"

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "hotline/stat.h"
#include "hotline/words.h"
#include "json.h"
#include "msg.h"
#include "out.h"
#include "timeparse.h"

enum { C_RECEIVED, C_DONE, C_DUE, C_ONTIME, C_DUE_DONE, C_OVERDUE,
       C_REVISITED, C_SATISFIED, C_N };

struct group {
	char *key;
	long long c[C_N];
};

static const struct { const char *word, *expr, *zh; } keys[] = {
	{ "category", "category", "诉求分类" }, { "type", "type", "诉求类型" },
	{ "unit", "unit", "承办单位" }, { "channel", "channel", "受理渠道" },
	{ "status", "status", "办理状态" }, { "month", NULL, "月份" },
};

static const char *const time_cols[] = { "received_at", "done_at", "due_at" };

#define DONE "status IN ('done','revisited')"
#define DUE "due_at IS NOT NULL AND due_at <= ?3"
static const char sql_counts[] =
	", count(*), sum(" DONE "), sum(" DUE "),"
	" sum(" DUE " AND " DONE " AND (done_at IS NULL OR done_at <= due_at)),"
	" sum(" DUE " AND " DONE "),"
	" sum(due_at IS NOT NULL AND ((NOT " DONE " AND due_at < ?3)"
	"  OR (" DONE " AND done_at > due_at))),"
	" sum(satisfaction IS NOT NULL),"
	" sum(CASE satisfaction WHEN 'very_satisfied' THEN ?4 WHEN 'satisfied' THEN ?5"
	"  WHEN 'basically_satisfied' THEN ?6 WHEN 'dissatisfied' THEN ?7 ELSE 0 END)"
	" FROM tickets WHERE ";

static int key_index(const char *key)
{
	for (size_t i = 0; key && i < ARRAY_SIZE(keys); i++)
		if (strcmp(keys[i].word, key) == 0)
			return (int)i;
	return -1;
}

int hotline_stat_key_check(const char *key)
{
	if (key_index(key) >= 0)
		return 0;
	msg_err("unknown key '%s' for 'hotline' (category, type, unit, channel, status or month)",
		key);
	return EXIT_USAGE;
}

static void bound_text(int64_t t, int zone, char out[TIMEPARSE_TEXT_LEN])
{
	if (t == INT64_MIN)
		snprintf(out, TIMEPARSE_TEXT_LEN, "0000-00-00 00:00:00");
	else if (t == INT64_MAX)
		snprintf(out, TIMEPARSE_TEXT_LEN, "9999-99-99 99:99:99");
	else
		timeparse_format(t, zone, out);
}

static void free_groups(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].key);
	free(g);
}

/* The groups of the period, by key (or one, the summary); an exit code. */
static int count(struct db *d, const struct hotline_stat_opts *o, const char *key,
		 struct group **out, size_t *nout)
{
	const char *tc = time_cols[o->by_time];
	int k = key_index(key), zone = db_zone_min(d), rc;
	char from[TIMEPARSE_TEXT_LEN], to[TIMEPARSE_TEXT_LEN], at[TIMEPARSE_TEXT_LEN];
	struct buf sql = BUF_INIT;
	struct group *g = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = NULL;

	buf_adds(&sql, "SELECT ");
	if (k >= 0 && keys[k].expr)
		buf_adds(&sql, keys[k].expr);
	else if (k >= 0)
		buf_addf(&sql, "substr(%s, 1, 7)", tc); /* the month */
	else
		buf_adds(&sql, "NULL");
	buf_adds(&sql, sql_counts);
	buf_addf(&sql, "%s >= ?1 AND %s < ?2", tc, tc);
	if (k >= 0)
		buf_adds(&sql, " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?8");
	rc = sqlite3_prepare_v2(d->h, sql.s, -1, &st, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK)
		return db_fail(d, "hotline");
	bound_text(o->from, zone, from);
	bound_text(o->to, zone, to);
	timeparse_format(o->at, zone, at);
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
	for (int l = 0; l < HOTLINE_NSAT; l++)
		sqlite3_bind_int(st, 4 + l, (o->satisfied >> l) & 1);
	sqlite3_bind_int64(st, 8, o->top > 0 ? o->top : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *kv = sqlite3_column_text(st, 0);
		XGROW(g, n + 1, cap);
		g[n].key = kv ? xstrdup((const char *)kv) : NULL;
		for (int c = 0; c < C_N; c++)
			g[n].c[c] = sqlite3_column_int64(st, 1 + c);
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(d, "hotline");
		sqlite3_finalize(st);
		free_groups(g, n);
		return rc;
	}
	sqlite3_finalize(st);
	*out = g;
	*nout = n;
	return 0;
}

/* ---- figures ------------------------------------------------------------- */

enum { M_RECEIVED, M_DONE, M_HANDLING, M_OVERDUE, M_DUE, M_REVISITED,
       M_SATISFIED, M_ONTIME_RATE, M_DONE_RATE, M_SAT_RATE, M_N };

static const struct { const char *key, *zh; } metrics[M_N] = {
	{ "received", "受理" }, { "done", "办结" }, { "handling", "办理中" },
	{ "overdue", "超期" }, { "due", "应办结" }, { "revisited", "回访" },
	{ "satisfied", "满意" }, { "ontime_rate", "按时办结率" },
	{ "done_rate", "办结率" }, { "satisfaction_rate", "满意率" },
};

/* A figure: a count, or a rate's numerator, denominator and basis. */
static void figure(const struct hotline_stat_opts *o, const struct group *g, int m,
		   long long *num, long long *den, const char **basis)
{
	const long long *c = g->c;

	*den = -1;
	*basis = NULL;
	switch (m) {
	case M_RECEIVED: *num = c[C_RECEIVED]; break;
	case M_DONE: *num = c[C_DONE]; break;
	case M_HANDLING: *num = c[C_RECEIVED] - c[C_DONE]; break;
	case M_OVERDUE: *num = c[C_OVERDUE]; break;
	case M_DUE: *num = c[C_DUE]; break;
	case M_REVISITED: *num = c[C_REVISITED]; break;
	case M_SATISFIED: *num = c[C_SATISFIED]; break;
	case M_ONTIME_RATE:
		*num = c[C_ONTIME];
		*den = c[C_DUE];
		*basis = "due";
		break;
	case M_DONE_RATE:
		*num = o->basis_due ? c[C_DUE_DONE] : c[C_DONE];
		*den = o->basis_due ? c[C_DUE] : c[C_RECEIVED];
		*basis = o->basis_due ? "due" : "received";
		break;
	default:
		*num = c[C_SATISFIED];
		*den = c[C_REVISITED];
		*basis = "revisited";
		break;
	}
}

/* A rate as "97.4%", or as the fraction "0.974" (4 places at most, no
 * trailing zeros) for JSON; NULL over nothing.  Integer arithmetic: no
 * locale, no binary rounding. */
static const char *rate_text(char *buf, size_t n, long long num, long long den, int json)
{
	long long v;

	if (den <= 0)
		return NULL;
	if (json) {
		size_t k;
		v = (num * 20000 + den) / (2 * den);
		snprintf(buf, n, "%lld.%04lld", v / 10000, v % 10000);
		for (k = strlen(buf); buf[k - 1] == '0'; k--)
			buf[k - 1] = '\0';
		if (buf[k - 1] == '.')
			buf[k - 1] = '\0';
	} else {
		v = (num * 2000 + den) / (2 * den);
		snprintf(buf, n, "%lld.%lld%%", v / 10, v % 10);
	}
	return buf;
}

static int is_json(const struct out *out)
{
	return out_fmt(out) == OUT_JSON || out_fmt(out) == OUT_JSONL;
}

static void json_bound(struct buf *b, const char *key, int64_t t, int zone)
{
	char text[TIMEPARSE_TEXT_LEN];

	buf_addf(b, ",\"%s\":", key);
	if (t == INT64_MIN || t == INT64_MAX) {
		buf_adds(b, "null");
		return;
	}
	timeparse_format(t, zone, text);
	json_put_string(b, text, strlen(text));
}

static int summary_json(const struct hotline_stat_opts *o, const struct group *g,
			int zone, struct out *out)
{
	static const int shown[] = { M_RECEIVED, M_DONE, M_HANDLING, M_OVERDUE,
				     M_ONTIME_RATE, M_DONE_RATE, M_SAT_RATE };
	struct buf b = BUF_INIT;
	int r;

	buf_addc(&b, '{');
	for (size_t i = 0; i < ARRAY_SIZE(shown); i++) {
		long long num, den;
		const char *basis, *v;
		char rate[32];
		figure(o, g, shown[i], &num, &den, &basis);
		buf_addf(&b, "%s\"%s\":", i ? "," : "", metrics[shown[i]].key);
		if (den < 0) {
			buf_addf(&b, "%lld", num);
			continue;
		}
		v = rate_text(rate, sizeof rate, num, den, 1);
		buf_addf(&b, "{\"value\":%s,\"numerator\":%lld,\"denominator\":%lld,"
			 "\"basis\":\"%s\"}", v ? v : "null", num, den, basis);
	}
	json_bound(&b, "from", o->from, zone);
	json_bound(&b, "to", o->to, zone);
	buf_adds(&b, "}\n");
	r = out_raw(out, b.s, b.len);
	buf_free(&b);
	return r;
}

static int summary_rows(const struct hotline_stat_opts *o, const struct group *g,
			struct out *out)
{
	static const struct out_col cols[] = {
		{ "metric", OUT_STR, "指标代码" }, { "指标", OUT_STR, NULL },
		{ "value", OUT_RATE, "值" }, { "numerator", OUT_NUM, "分子" },
		{ "denominator", OUT_NUM, "分母" }, { "basis", OUT_STR, "口径" },
	};
	static const int shown[] = { M_RECEIVED, M_DONE, M_HANDLING, M_OVERDUE,
				     M_ONTIME_RATE, M_DONE_RATE, M_SAT_RATE };

	out_columns(out, cols, ARRAY_SIZE(cols));
	for (size_t i = 0; i < ARRAY_SIZE(shown); i++) {
		long long num, den;
		const char *basis, *v[6];
		char val[32], nu[32], de[32];
		figure(o, g, shown[i], &num, &den, &basis);
		v[0] = metrics[shown[i]].key;
		v[1] = metrics[shown[i]].zh;
		v[5] = basis;
		if (den < 0) {
			snprintf(val, sizeof val, "%lld", num);
			v[2] = val;
			v[3] = v[4] = NULL;
		} else {
			v[2] = rate_text(val, sizeof val, num, den, 0);
			if (!v[2])
				v[2] = "-";
			snprintf(nu, sizeof nu, "%lld", num);
			snprintf(de, sizeof de, "%lld", den);
			v[3] = nu;
			v[4] = de;
		}
		if (out_row(out, v, NULL) < 0)
			return -1;
	}
	return 0;
}

enum { B_KEY, B_RECEIVED, B_DONE, B_HANDLING, B_OVERDUE, B_DONE_RATE, B_ONTIME,
       B_DUE, B_ONTIME_RATE, B_SATISFIED, B_REVISITED, B_SAT_RATE, B_N };

static int by_rows(const struct hotline_stat_opts *o, const struct group *g, size_t n,
		   struct out *out)
{
	struct out_col cols[B_N] = {
		{ NULL, OUT_STR, NULL }, { "received", OUT_NUM, "受理" },
		{ "done", OUT_NUM, "办结" }, { "handling", OUT_NUM, "办理中" },
		{ "overdue", OUT_NUM, "超期" }, { "done_rate", OUT_RATE, "办结率" },
		{ "ontime", OUT_NUM, "按时办结" }, { "due", OUT_NUM, "应办结" },
		{ "ontime_rate", OUT_RATE, "按时办结率" }, { "satisfied", OUT_NUM, "满意" },
		{ "revisited", OUT_NUM, "回访" }, { "satisfaction_rate", OUT_RATE, "满意率" },
	};
	static const int fig[B_N] = { -1, M_RECEIVED, M_DONE, M_HANDLING, M_OVERDUE,
				      M_DONE_RATE, -1, M_DUE, M_ONTIME_RATE, M_SATISFIED,
				      M_REVISITED, M_SAT_RATE };
	int k = key_index(o->key), json = is_json(out);

	cols[B_KEY].name = keys[k].word;
	cols[B_KEY].zh = keys[k].zh;
	out_columns(out, cols, B_N);
	for (size_t r = 0; r < n; r++) {
		char text[B_N][32];
		const char *v[B_N];
		v[B_KEY] = g[r].key;
		for (int b = 1; b < B_N; b++) {
			long long num, den;
			const char *basis;
			if (b == B_ONTIME) {
				snprintf(text[b], sizeof text[b], "%lld", g[r].c[C_ONTIME]);
				v[b] = text[b];
				continue;
			}
			figure(o, &g[r], fig[b], &num, &den, &basis);
			if (den < 0) {
				snprintf(text[b], sizeof text[b], "%lld", num);
				v[b] = text[b];
			} else {
				v[b] = rate_text(text[b], sizeof text[b], num, den, json);
				if (!v[b] && !json)
					v[b] = "-";
			}
		}
		if (out_row(out, v, NULL) < 0)
			return -1;
	}
	return 0;
}

int hotline_stat_run(struct db *d, const struct hotline_stat_opts *o, struct out *out)
{
	struct group *g = NULL;
	size_t n = 0;
	int st, r;

	if ((st = count(d, o, o->key, &g, &n)) != 0)
		return st;
	if (o->key)
		r = by_rows(o, g, n, out);
	else if (is_json(out))
		r = summary_json(o, &g[0], db_zone_min(d), out);
	else
		r = summary_rows(o, &g[0], out);
	free_groups(g, n);
	(void)r; /* a write error is out_close()'s to report */
	return 0;
}

/* ---- templates ------------------------------------------------------------ */

struct hotline_stat_fill {
	struct db *db;
	struct hotline_stat_opts o;
	struct group *sum;             /* NULL until asked for */
	size_t nsum;
	struct group *by[ARRAY_SIZE(keys)];
	size_t nby[ARRAY_SIZE(keys)];
	int done[ARRAY_SIZE(keys)];
};

struct hotline_stat_fill *hotline_stat_fill_new(struct db *d, const struct hotline_stat_opts *o)
{
	struct hotline_stat_fill *f = xcalloc(1, sizeof *f);

	f->db = d;
	f->o = *o;
	f->o.key = NULL;
	f->o.top = 0;
	return f;
}

void hotline_stat_fill_free(struct hotline_stat_fill *f)
{
	if (!f)
		return;
	free_groups(f->sum, f->nsum);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		free_groups(f->by[i], f->nby[i]);
	free(f);
}

static int name_is(const char *name, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(name, lit, n) == 0;
}

/* {{hotline.category.X}}: the tickets received of X; -1 not such a name. */
static int fill_group(struct hotline_stat_fill *f, const char *name, size_t n,
		      struct buf *out)
{
	for (size_t k = 0; k < 4; k++) {
		size_t w = strlen(keys[k].word);
		long long cnt = 0;
		int st;
		if (n <= w + 1 || memcmp(name, keys[k].word, w) != 0 || name[w] != '.')
			continue;
		if (!f->done[k] && (st = count(f->db, &f->o, keys[k].word, &f->by[k],
					       &f->nby[k])) != 0)
			return st;
		f->done[k] = 1;
		for (size_t i = 0; i < f->nby[k]; i++)
			if (f->by[k][i].key && name_is(name + w + 1, n - w - 1, f->by[k][i].key))
				cnt += f->by[k][i].c[C_RECEIVED];
		buf_addf(out, "%lld", cnt);
		return 0;
	}
	return -1;
}

int hotline_stat_placeholder(void *ctx, const struct tmpl_place *p, struct buf *out)
{
	struct hotline_stat_fill *f = ctx;
	const char *name = p->name;
	size_t n = p->n;
	int st;

	if (n < 8 || memcmp(name, "hotline.", 8) != 0)
		return 0;
	name += 8;
	n -= 8;
	if (!f->sum && count(f->db, &f->o, NULL, &f->sum, &f->nsum) != 0)
		return -1;
	for (int m = 0; m < M_N; m++) {
		long long num, den;
		const char *basis, *v;
		char text[32];
		if (!name_is(name, n, metrics[m].key))
			continue;
		figure(&f->o, &f->sum[0], m, &num, &den, &basis);
		if (den < 0) {
			buf_addf(out, "%lld", num);
		} else {
			v = rate_text(text, sizeof text, num, den, 0);
			buf_adds(out, v ? v : "-");
		}
		return 1;
	}
	st = fill_group(f, name, n, out);
	return st < 0 ? 0 : st == 0 ? 1 : -1;
}
