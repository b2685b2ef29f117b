#include "common.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "calendar.h"
#include "db.h"
#include "encoding.h"
#include "case/facts.h"
#include "json.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "case/stat.h"
#include "timeparse.h"
#include "zio.h"

/* ---- periods -------------------------------------------------------------- */

static int64_t civil(int64_t y, unsigned m, unsigned d, int zone)
{
	return timeparse_days_from_civil(y, m, d) * 86400 - (int64_t)zone * 60;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int stat_period_parse(struct stat_opts *o, const char *what, const char *arg,
		      int zone)
{
	size_t n = strlen(arg);
	int64_t y;
	unsigned m;

	if (strcmp(what, "month") == 0) {
		if (n != 7 || !digits(arg, 4) || arg[4] != '-' || !digits(arg + 5, 2))
			goto bad;
		y = (arg[0] - '0') * 1000 + (arg[1] - '0') * 100 + (arg[2] - '0') * 10 + (arg[3] - '0');
		m = (unsigned)((arg[5] - '0') * 10 + (arg[6] - '0'));
		if (m < 1 || m > 12 || y < 1900)
			goto bad;
		o->period = PERIOD_MONTH;
		o->from = civil(y, m, 1, zone);
		o->to = m == 12 ? civil(y + 1, 1, 1, zone) : civil(y, m + 1, 1, zone);
		return 0;
	}
	if (strcmp(what, "quarter") == 0) {
		if (n != 6 || !digits(arg, 4) || (arg[4] != 'Q' && arg[4] != 'q') ||
		    arg[5] < '1' || arg[5] > '4')
			goto bad;
		y = (arg[0] - '0') * 1000 + (arg[1] - '0') * 100 + (arg[2] - '0') * 10 + (arg[3] - '0');
		m = (unsigned)(arg[5] - '1') * 3 + 1;
		o->period = PERIOD_QUARTER;
		o->from = civil(y, m, 1, zone);
		o->to = m == 10 ? civil(y + 1, 1, 1, zone) : civil(y, m + 3, 1, zone);
		return 0;
	}
	if (strcmp(what, "year") == 0) {
		if (n != 4 || !digits(arg, 4))
			goto bad;
		y = (arg[0] - '0') * 1000 + (arg[1] - '0') * 100 + (arg[2] - '0') * 10 + (arg[3] - '0');
		o->period = PERIOD_YEAR;
		o->from = civil(y, 1, 1, zone);
		o->to = civil(y + 1, 1, 1, zone);
		return 0;
	}
	{
		struct timeparse_opts tpo = { NULL, zone };
		const char *why;
		int64_t t;
		if (timeparse_parse(arg, n, &tpo, &t, &why) < 0) {
			msg_err("--%s '%s': %s", what, arg, why);
			return EXIT_USAGE;
		}
		if (o->period != PERIOD_RANGE) {
			o->from = INT64_MIN;
			o->to = INT64_MAX;
		}
		o->period = PERIOD_RANGE;
		if (strcmp(what, "from") == 0)
			o->from = t;
		else
			o->to = t;
		return 0;
	}
bad:
	msg_err("--%s '%s': expected %s", what, arg,
		strcmp(what, "month") == 0 ? "YYYY-MM" : strcmp(what, "quarter") == 0 ? "YYYYQ1..4" : "YYYY");
	return EXIT_USAGE;
}

/* The period before, or a year before. */
static void shift_period(const struct stat_opts *o, int zone, int64_t *from,
			 int64_t *to)
{
	int64_t y1, y2;
	unsigned m1, d1, m2, d2;
	int64_t l1 = o->from + (int64_t)zone * 60, l2 = o->to + (int64_t)zone * 60;

	timeparse_civil_from_days(l1 / 86400, &y1, &m1, &d1);
	timeparse_civil_from_days(l2 / 86400, &y2, &m2, &d2);
	if (o->compare == COMPARE_YOY) {
		unsigned dd1 = d1, dd2 = d2;
		if (m1 == 2 && dd1 == 29)
			dd1 = 28;
		if (m2 == 2 && dd2 == 29)
			dd2 = 28;
		*from = timeparse_days_from_civil(y1 - 1, m1, dd1) * 86400 + l1 % 86400 - (int64_t)zone * 60;
		*to = timeparse_days_from_civil(y2 - 1, m2, dd2) * 86400 + l2 % 86400 - (int64_t)zone * 60;
		return;
	}
	switch (o->period) {
	case PERIOD_MONTH:
		*to = o->from;
		*from = m1 == 1 ? civil(y1 - 1, 12, 1, zone) : civil(y1, m1 - 1, 1, zone);
		return;
	case PERIOD_QUARTER:
		*to = o->from;
		*from = m1 <= 3 ? civil(y1 - 1, m1 + 9, 1, zone) : civil(y1, m1 - 3, 1, zone);
		return;
	case PERIOD_YEAR:
		*to = o->from;
		*from = civil(y1 - 1, 1, 1, zone);
		return;
	default:
		*to = o->from;
		*from = o->from - (o->to - o->from);
		return;
	}
}

/* ---- keys ------------------------------------------------------------------- */

/* the keys the facts of a month can give (by the time reported) */
enum fact_key { FK_NONE, FK_CATEGORY, FK_MONTH, FK_STATE, FK_DAY, FK_HOUR };

struct key_def {
	const char *name;
	const char *expr[3];  /* by reported, closed, due */
	enum fact_key fact_key;
};

static const struct key_def key_defs[] = {
	{ "category", { "category", "category", "category" }, FK_CATEGORY },
	{ "big_class", { "big_class", "big_class", "big_class" }, FK_NONE },
	{ "class", { "small_class", "small_class", "small_class" }, FK_NONE },
	{ "kind", { "kind", "kind", "kind" }, FK_NONE },
	{ "unit", { "unit", "unit", "unit" }, FK_NONE },
	{ "street", { "street", "street", "street" }, FK_NONE },
	{ "community", { "community", "community", "community" }, FK_NONE },
	{ "source", { "source", "source", "source" }, FK_NONE },
	{ "reporter", { "reporter", "reporter", "reporter" }, FK_NONE },
	{ "state", { "state", "state", "state" }, FK_STATE },
	{ "month", { "reported_month", "substr(closed_at, 1, 7)", "substr(due_at, 1, 7)" }, FK_MONTH },
	{ "week", { "strftime('%Y-W%W', reported_at)", "strftime('%Y-W%W', closed_at)",
		    "strftime('%Y-W%W', due_at)" }, FK_NONE },
	{ "day", { "substr(reported_at, 1, 10)", "substr(closed_at, 1, 10)", "substr(due_at, 1, 10)" },
	  FK_DAY },
	{ "hour", { "substr(reported_at, 12, 2)", "substr(closed_at, 12, 2)", "substr(due_at, 12, 2)" },
	  FK_HOUR },
};

static const struct key_def *key_find(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_defs); i++)
		if (strlen(key_defs[i].name) == n && memcmp(key_defs[i].name, s, n) == 0)
			return &key_defs[i];
	return NULL;
}

int stat_keys_parse(struct stat_opts *o, const char *arg)
{
	const char *p = arg;
	o->nkeys = 0;
	while (*p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		const struct key_def *k = key_find(p, n);
		if (!k || o->nkeys == 2) {
			if (!k)
				msg_err("unknown key '%.*s' (category big_class class kind unit street"
					" community source reporter month week day hour state)", (int)n, p);
			else
				msg_err("at most two keys: '%s'", arg);
			return EXIT_USAGE;
		}
		o->keys[o->nkeys++] = k->name;
		p = c ? c + 1 : p + n;
	}
	if (o->nkeys == 0) {
		msg_err("'by' needs a key, e.g. 'by category'");
		return EXIT_USAGE;
	}
	return 0;
}

/* ---- selection ---------------------------------------------------------------- */

/* The WHERE clause: fixed text; the bounds are ?1 and ?2, now is ?3. */
static const char *where_for(const struct stat_opts *o)
{
	if (o->ids_from_stdin)
		return "id IN (SELECT id FROM temp.stat_ids)";
	if (o->period == PERIOD_NONE)
		return "1";
	if (o->by_time == BY_CLOSED)
		return "closed_at >= ?1 AND closed_at < ?2";
	if (o->by_time == BY_DUE)
		return "due_at >= ?1 AND due_at < ?2";
	if (o->period != PERIOD_RANGE)
		return "reported_month >= ?4 AND reported_month < ?5";
	return "reported_at >= ?1 AND reported_at < ?2";
}

struct bounds {
	char from[TIMEPARSE_TEXT_LEN], to[TIMEPARSE_TEXT_LEN], at[TIMEPARSE_TEXT_LEN];
	char mfrom[8], mto[8];
};

static void bounds_of(int64_t from, int64_t to, int64_t at, int zone, struct bounds *b)
{
	if (from == INT64_MIN)
		snprintf(b->from, sizeof b->from, "0000-00-00 00:00:00");
	else
		timeparse_format(from, zone, b->from);
	if (to == INT64_MAX)
		snprintf(b->to, sizeof b->to, "9999-99-99 99:99:99");
	else
		timeparse_format(to, zone, b->to);
	timeparse_format(at, zone, b->at);
	memcpy(b->mfrom, b->from, 7);
	b->mfrom[7] = '\0';
	memcpy(b->mto, b->to, 7);
	b->mto[7] = '\0';
}

static void bind_bounds(sqlite3_stmt *st, const struct bounds *b)
{
	int n = sqlite3_bind_parameter_count(st);
	if (n >= 1)
		sqlite3_bind_text(st, 1, b->from, -1, SQLITE_TRANSIENT);
	if (n >= 2)
		sqlite3_bind_text(st, 2, b->to, -1, SQLITE_TRANSIENT);
	if (n >= 3)
		sqlite3_bind_text(st, 3, b->at, -1, SQLITE_TRANSIENT);
	if (n >= 4)
		sqlite3_bind_text(st, 4, b->mfrom, -1, SQLITE_TRANSIENT);
	if (n >= 5)
		sqlite3_bind_text(st, 5, b->mto, -1, SQLITE_TRANSIENT);
}

static int load_ids(struct db *d, const struct stat_opts *o)
{
	struct rec_src *s;
	struct rec r;
	sqlite3_stmt *ins;
	int st, rc;

	if (db_exec(d, "CREATE TEMP TABLE stat_ids(id TEXT PRIMARY KEY)") != SQLITE_OK)
		return db_fail(d, d->path);
	s = rec_open_ids("-", (enum rec_fmt)o->co->input_format, o->co->encoding, &st);
	if (!s)
		return st;
	if (sqlite3_prepare_v2(d->h, "INSERT OR IGNORE INTO temp.stat_ids VALUES (?1)", -1,
			       &ins, NULL) != SQLITE_OK) {
		rec_close(s);
		return db_fail(d, d->path);
	}
	st = 0;
	while ((rc = rec_next(s, &r)) != 0) {
		if (rc < 0) {
			st = rec_status(s);
			break;
		}
		if (rc == 2 || !r.v[0])
			continue;
		sqlite3_bind_text(ins, 1, r.v[0], (int)r.len[0], SQLITE_TRANSIENT);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			st = db_fail(d, d->path);
			break;
		}
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	rec_close(s);
	return st;
}

/* ---- summary -------------------------------------------------------------------- */

enum {
	S_RECEIVED, S_REGISTERED, S_DISPATCHED, S_CLOSED, S_SELF, S_VOID, S_PARKED,
	S_OPEN, S_OVERDUE, S_ONTIME_CLOSED, S_DUE, S_DUE_CLOSED, S_DUE_ONTIME,
	S_DISP, S_DISP_DONE, S_DISP_ONTIME, S_REWORKED, S_POSTPONED, S_N
};

struct summary {
	long long c[S_N];
	double avg_h, med_h, avg_wh, med_wh;
	long long nclosed_timed;
};

/* The k-th smallest of v[0..n) (Hoare's selection, expected O(n)); v is
 * reordered. */
static double select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/* The median without sorting: a million handling times in one pass or two. */
static double median(double *v, size_t n)
{
	double a, b;

	if (n == 0)
		return NAN;
	a = select_kth(v, n, n / 2);
	if (n % 2)
		return a;
	/* the other middle value is the largest of the lower half */
	b = v[0];
	for (size_t i = 1; i < n / 2; i++)
		if (v[i] > b)
			b = v[i];
	return (a + b) / 2;
}

/* The counts of one case, added to c[]: a summary's, or a by row's. */
static void tally(long long *c, const struct fact *f, int64_t at)
{
	unsigned state = f->flags & FACT_STATE;
	int closed = state == FS_CLOSED, isvoid = state == FS_VOID;
	int open = state <= FS_HANDLED;
	int self = (f->flags & FACT_SELF) != 0;
	int disp = (f->flags & FACT_DISPATCHED_AT) != 0;
	int dispatched = disp && !self;
	int ontime = (f->flags & FACT_CLOSED_ONTIME) != 0;
	int isdue = f->due != FACT_NONE && f->due <= at;

	c[S_RECEIVED]++;
	c[S_REGISTERED] += (f->flags & FACT_REGISTERED_AT) || (state != FS_REPORTED && !isvoid);
	c[S_DISPATCHED] += disp;
	c[S_CLOSED] += closed;
	c[S_SELF] += self;
	c[S_VOID] += isvoid;
	c[S_PARKED] += state == FS_PARKED;
	c[S_OPEN] += open;
	c[S_OVERDUE] += open && f->due != FACT_NONE && f->due < at;
	c[S_ONTIME_CLOSED] += closed && ontime;
	c[S_DUE] += isdue;
	c[S_DUE_CLOSED] += isdue && closed;
	c[S_DUE_ONTIME] += isdue && closed && ontime;
	c[S_DISP] += dispatched;
	c[S_DISP_DONE] += dispatched && ((f->flags & FACT_HANDLED_AT) || state == FS_HANDLED || closed);
	c[S_DISP_ONTIME] += dispatched && (f->flags & FACT_DONE_ONTIME);
	c[S_REWORKED] += dispatched && (f->flags & FACT_REWORKED);
	c[S_POSTPONED] += dispatched && (f->flags & FACT_POSTPONED);
}

/* Whether the facts kept per month can answer: a period of whole months by
 * the time reported, and (for a report by keys) keys that a fact holds. */
static int from_facts(const struct stat_opts *o, int by_keys)
{
	if (o->no_cache || o->ids_from_stdin || o->by_time != BY_REPORTED ||
	    o->period == PERIOD_NONE || o->period == PERIOD_RANGE)
		return 0;
	if (by_keys)
		for (size_t i = 0; i < o->nkeys; i++)
			if (!key_find(o->keys[i], strlen(o->keys[i]))->fact_key)
				return 0;
	return 1;
}

/* The summary: the counts, and the handling times of the closed cases for
 * the averages and medians. */
struct summary_acc {
	struct summary *s;
	const struct stat_opts *o;
	int zone;
	double *h, *wh, sh, swh;
	size_t n, cap;
};

static void summary_reserve(struct summary_acc *a, size_t more)
{
	if (a->cap - a->n >= more)
		return;
	a->cap = a->cap * 2 > a->n + more ? a->cap * 2 : a->n + more;
	a->h = xreallocarray(a->h, a->cap, sizeof *a->h);
	a->wh = xreallocarray(a->wh, a->cap, sizeof *a->wh);
}

static void summary_add(struct summary_acc *a, const struct fact *f)
{
	tally(a->s->c, f, a->o->at);
	if ((f->flags & FACT_STATE) != FS_CLOSED || f->closed == FACT_NONE ||
	    f->reported == FACT_NONE || f->closed < f->reported)
		return;
	summary_reserve(a, 1);
	a->h[a->n] = (double)(f->closed - f->reported) / 3600.0;
	a->wh[a->n] = a->o->cal ? (double)cal_working_seconds_between(a->o->cal,
			f->reported + a->zone * 60, f->closed + a->zone * 60) / 3600.0 : 0;
	a->sh += a->h[a->n];
	a->swh += a->wh[a->n];
	a->n++;
}

static void summary_month(void *ctx, const struct fact_month *m)
{
	summary_reserve(ctx, m->n);
	for (size_t i = 0; i < m->n; i++)
		summary_add(ctx, &m->v[i]);
}

static int run_summary(struct db *d, const struct stat_opts *o, const struct bounds *b,
		       struct summary *s)
{
	struct summary_acc a = { s, o, db_zone_min(d), NULL, NULL, 0, 0, 0, 0 };
	int st = 0;

	memset(s, 0, sizeof *s);
	if (from_facts(o, 0)) {
		st = facts_each_month(d, b->mfrom, b->mto, summary_month, &a);
	} else {
		struct buf sql = BUF_INIT;
		sqlite3_stmt *q;
		int rc;
		buf_adds(&sql, "SELECT " FACT_COLUMNS " FROM cases WHERE ");
		buf_adds(&sql, where_for(o));
		rc = sqlite3_prepare_v2(d->h, sql.s, -1, &q, NULL);
		buf_free(&sql);
		if (rc != SQLITE_OK)
			return db_fail(d, d->path);
		bind_bounds(q, b);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			struct fact f;
			const char *cat;
			fact_from_row(q, a.zone, &f, &cat);
			summary_add(&a, &f);
		}
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			st = db_fail(d, d->path);
	}
	s->nclosed_timed = (long long)a.n;
	s->avg_h = a.n ? a.sh / (double)a.n : NAN;
	s->avg_wh = a.n ? a.swh / (double)a.n : NAN;
	s->med_h = median(a.h, a.n);
	s->med_wh = median(a.wh, a.n);
	free(a.h);
	free(a.wh);
	return st;
}

struct metric {
	const char *key;
	const char *zh;
	int kind;        /* 0 count, 1 rate, 2 hours */
	int num, den;    /* indices into c[] for rates, or the count's index */
};

/* the rates' numerators and denominators for each basis */
static void metric_nd(const struct stat_opts *o, const struct summary *s,
		      const struct metric *m, long long *num, long long *den)
{
	int n = m->num, dd = m->den;
	if (o->basis == BASIS_DUE) {
		if (n == S_CLOSED && dd == S_RECEIVED) {
			n = S_DUE_CLOSED;
			dd = S_DUE;
		} else if (n == S_ONTIME_CLOSED && dd == S_RECEIVED) {
			n = S_DUE_ONTIME;
			dd = S_DUE;
		}
	}
	*num = s->c[n];
	*den = dd >= 0 ? s->c[dd] : 0;
}

static const struct metric metrics[] = {
	{ "received", "受理", 0, S_RECEIVED, -1 },
	{ "registered", "立案", 0, S_REGISTERED, -1 },
	{ "dispatched", "派遣", 0, S_DISPATCHED, -1 },
	{ "closed", "结案", 0, S_CLOSED, -1 },
	{ "self_disposed", "自行处置", 0, S_SELF, -1 },
	{ "void", "作废", 0, S_VOID, -1 },
	{ "parked", "缓办", 0, S_PARKED, -1 },
	{ "open", "在办", 0, S_OPEN, -1 },
	{ "overdue", "超期", 0, S_OVERDUE, -1 },
	{ "closure_rate", "结案率", 1, S_CLOSED, S_RECEIVED },
	{ "ontime_closure_rate", "按期结案率", 1, S_ONTIME_CLOSED, S_RECEIVED },
	{ "disposal_rate", "处置率", 1, S_DISP_DONE, S_DISP },
	{ "ontime_disposal_rate", "按期处置率", 1, S_DISP_ONTIME, S_DISP },
	{ "rework_rate", "返工率", 1, S_REWORKED, S_DISP },
	{ "postpone_rate", "延期率", 1, S_POSTPONED, S_DISP },
	{ "avg_hours", "平均处置时长(小时)", 2, 0, 0 },
	{ "median_hours", "处置时长中位数(小时)", 2, 1, 0 },
	{ "avg_working_hours", "平均处置时长(工作小时)", 2, 2, 0 },
	{ "median_working_hours", "处置时长中位数(工作小时)", 2, 3, 0 },
};

static double hours_of(const struct summary *s, int which)
{
	return which == 0 ? s->avg_h : which == 1 ? s->med_h : which == 2 ? s->avg_wh : s->med_wh;
}

/* A metric's value as a number (NAN when there is none). */
static double metric_value(const struct stat_opts *o, const struct summary *s,
			   const struct metric *m)
{
	long long num, den;
	if (m->kind == 0)
		return (double)s->c[m->num];
	if (m->kind == 2)
		return hours_of(s, m->num);
	metric_nd(o, s, m, &num, &den);
	return den ? (double)num / (double)den : NAN;
}

static void fmt_metric(char *buf, size_t n, int kind, double v, int json)
{
	if (isnan(v))
		snprintf(buf, n, json ? "null" : "-");
	else if (kind == 0)
		snprintf(buf, n, "%.0f", v);
	else if (kind == 1)
		snprintf(buf, n, json ? "%.4f" : "%.1f%%", json ? v : v * 100);
	else
		snprintf(buf, n, "%.1f", v);
}

static const char *basis_name(const struct stat_opts *o, const struct metric *m)
{
	if (m->kind != 1)
		return NULL;
	if (m->den == S_RECEIVED)
		return o->basis == BASIS_DUE ? "due" : "received";
	return "dispatched";
}

static void json_rate(struct buf *b, const struct stat_opts *o, const struct summary *s,
		      const struct metric *m)
{
	long long num, den;
	char v[32];
	metric_nd(o, s, m, &num, &den);
	fmt_metric(v, sizeof v, 1, den ? (double)num / (double)den : NAN, 1);
	buf_addf(b, "{\"value\":%s,\"numerator\":%lld,\"denominator\":%lld,\"basis\":\"%s\"}",
		 v, num, den, basis_name(o, m));
}

static void json_summary(struct buf *b, const struct stat_opts *o, const struct summary *s,
			 const struct bounds *bd)
{
	buf_addc(b, '{');
	for (size_t i = 0; i < ARRAY_SIZE(metrics); i++) {
		const struct metric *m = &metrics[i];
		char v[32];
		if (i)
			buf_addc(b, ',');
		buf_addf(b, "\"%s\":", m->key);
		if (m->kind == 1) {
			json_rate(b, o, s, m);
		} else {
			fmt_metric(v, sizeof v, m->kind, metric_value(o, s, m), 1);
			buf_adds(b, v);
		}
	}
	if (bd) {
		buf_adds(b, ",\"from\":");
		if (bd->from[0] == '0')
			buf_adds(b, "null");
		else
			json_put_string(b, bd->from, strlen(bd->from));
		buf_adds(b, ",\"to\":");
		if (bd->to[0] == '9')
			buf_adds(b, "null");
		else
			json_put_string(b, bd->to, strlen(bd->to));
	}
	buf_addc(b, '}');
}

static int print_summary(const struct stat_opts *o, const struct summary *s,
			 const struct summary *prev, const struct bounds *b,
			 const struct bounds *pb)
{
	int st = 0, failed = 0;
	struct zout *z = zout_open_output(o->co->output, &st);
	enum out_format f = o->out_format;

	if (!z)
		return st;
	if (f == OUT_JSON || f == OUT_JSONL) {
		struct buf j = BUF_INIT;
		json_summary(&j, o, s, b);
		if (prev) {
			j.len--; /* reopen the object */
			buf_adds(&j, ",\"previous\":");
			json_summary(&j, o, prev, pb);
			buf_addc(&j, '}');
		}
		buf_addc(&j, '\n');
		failed = zout_write(z, j.s, j.len) < 0;
		buf_free(&j);
	} else {
		static const struct out_col cols[] = {
			{ "metric", OUT_STR, "指标代码" }, { "指标", OUT_STR, NULL }, { "value", OUT_NUM, "值" },
			{ "numerator", OUT_NUM, "分子" }, { "denominator", OUT_NUM, "分母" }, { "basis", OUT_STR, "口径" },
			{ "previous", OUT_NUM, "上期" }, { "change", OUT_NUM, "增减" }, { "change_pct", OUT_NUM, "增减率" },
		};
		struct out *out = out_new(z, f, cols, prev ? 9 : 6, o->co->bom ? OUT_F_BOM : 0);
		for (size_t i = 0; i < ARRAY_SIZE(metrics) && !failed; i++) {
			const struct metric *m = &metrics[i];
			char v[32], nu[32] = "", de[32] = "", pv[32] = "", ch[32] = "", cp[32] = "";
			const char *vals[9];
			double x = metric_value(o, s, m);
			fmt_metric(v, sizeof v, m->kind, x, 0);
			if (m->kind == 1) {
				long long num, den;
				metric_nd(o, s, m, &num, &den);
				snprintf(nu, sizeof nu, "%lld", num);
				snprintf(de, sizeof de, "%lld", den);
			}
			if (prev) {
				double y = metric_value(o, prev, m);
				fmt_metric(pv, sizeof pv, m->kind, y, 0);
				if (isnan(x) || isnan(y)) {
					snprintf(ch, sizeof ch, "-");
					snprintf(cp, sizeof cp, "-");
				} else if (m->kind == 1) {
					/* a rate changes in percentage points */
					snprintf(ch, sizeof ch, "%+.1fpp", (x - y) * 100);
					snprintf(cp, sizeof cp, "%s", y != 0 ? "" : "-");
					if (y != 0)
						snprintf(cp, sizeof cp, "%+.1f%%", (x - y) / y * 100);
				} else {
					snprintf(ch, sizeof ch, m->kind == 0 ? "%+.0f" : "%+.1f", x - y);
					if (y != 0)
						snprintf(cp, sizeof cp, "%+.1f%%", (x - y) / y * 100);
					else
						snprintf(cp, sizeof cp, "-");
				}
			}
			vals[0] = m->key;
			vals[1] = m->zh;
			vals[2] = v;
			vals[3] = nu[0] ? nu : NULL;
			vals[4] = de[0] ? de : NULL;
			vals[5] = basis_name(o, m);
			vals[6] = pv;
			vals[7] = ch;
			vals[8] = cp;
			failed = out_row(out, vals, NULL) < 0;
		}
		failed |= out_finish(out) < 0;
		out_free(out);
	}
	return zout_finish(z, failed);
}

/* ---- by keys ------------------------------------------------------------------- */

struct byrow {
	char *k[2];
	int64_t id[2];      /* the keys as numbers, while rows come from facts */
	long long c[S_N];
};

/* By keys from the facts of months: rows found by their two key numbers in
 * an open-addressed table, named at the end. */
struct by_acc {
	const struct stat_opts *o;
	int zone;
	enum fact_key fk[2];
	char **cats;            /* every category seen, numbered */
	size_t ncats, catcap;
	struct byrow *rows;
	size_t n, cap;
	size_t *slot, nslot;    /* row index + 1, 0 when free */
};

#define KEY_NULL INT64_MIN

static int64_t fact_key_of(struct by_acc *a, enum fact_key k, const struct fact *f,
			   const struct fact_month *m, const uint32_t *catno)
{
	int64_t local = f->reported + (int64_t)a->zone * 60;

	switch (k) {
	case FK_CATEGORY:
		return f->cat == FACT_NO_CATEGORY ? KEY_NULL : catno[f->cat];
	case FK_MONTH:
		return m->monthno;
	case FK_STATE:
		return f->flags & FACT_STATE;
	case FK_DAY:
		return f->reported == FACT_NONE ? KEY_NULL
		       : (local - ((local % 86400) + 86400) % 86400) / 86400;
	case FK_HOUR:
		return f->reported == FACT_NONE ? KEY_NULL
		       : ((local % 86400) + 86400) % 86400 / 3600;
	default:
		return KEY_NULL;
	}
}

static char *fact_key_name(const struct by_acc *a, enum fact_key k, int64_t id)
{
	char t[16];
	int64_t y;
	unsigned m, dd;

	if (id == KEY_NULL)
		return NULL;
	switch (k) {
	case FK_CATEGORY:
		return xstrdup(a->cats[id]);
	case FK_MONTH:
		snprintf(t, sizeof t, "%04d-%02d", (int)(id / 12), (int)(id % 12) + 1);
		break;
	case FK_STATE:
		return xstrdup(fact_state_names[id]);
	case FK_DAY:
		timeparse_civil_from_days(id, &y, &m, &dd);
		snprintf(t, sizeof t, "%04d-%02u-%02u", (int)y, m, dd);
		break;
	default:
		snprintf(t, sizeof t, "%02d", (int)id);
		break;
	}
	return xstrdup(t);
}

static size_t by_hash(int64_t a, int64_t b, size_t mask)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15u ^ ((uint64_t)b + 0x632BE59BD9B4E019u);
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9u;
	return (size_t)(h ^ (h >> 32)) & mask;
}

static struct byrow *by_row(struct by_acc *a, int64_t k0, int64_t k1)
{
	size_t i;

	if ((a->n + 1) * 2 > a->nslot) {
		size_t ns = a->nslot ? a->nslot * 2 : 64;
		free(a->slot);
		a->slot = xcalloc(ns, sizeof *a->slot);
		a->nslot = ns;
		for (size_t r = 0; r < a->n; r++) {
			i = by_hash(a->rows[r].id[0], a->rows[r].id[1], ns - 1);
			while (a->slot[i])
				i = (i + 1) & (ns - 1);
			a->slot[i] = r + 1;
		}
	}
	i = by_hash(k0, k1, a->nslot - 1);
	for (; a->slot[i]; i = (i + 1) & (a->nslot - 1)) {
		struct byrow *r = &a->rows[a->slot[i] - 1];
		if (r->id[0] == k0 && r->id[1] == k1)
			return r;
	}
	XGROW(a->rows, a->n + 1, a->cap);
	memset(&a->rows[a->n], 0, sizeof a->rows[a->n]);
	a->rows[a->n].id[0] = k0;
	a->rows[a->n].id[1] = k1;
	a->slot[i] = ++a->n;
	return &a->rows[a->n - 1];
}

static void by_month(void *ctx, const struct fact_month *m)
{
	struct by_acc *a = ctx;
	uint32_t *catno = xreallocarray(NULL, m->ncats + 1, sizeof *catno);

	/* the month's categories in the numbering of the whole period */
	for (size_t i = 0; i < m->ncats; i++) {
		size_t j = 0;
		while (j < a->ncats && strcmp(a->cats[j], m->cats[i]) != 0)
			j++;
		if (j == a->ncats) {
			XGROW(a->cats, a->ncats + 1, a->catcap);
			a->cats[a->ncats++] = xstrdup(m->cats[i]);
		}
		catno[i] = (uint32_t)j;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct fact *f = &m->v[i];
		struct byrow *r = by_row(a, fact_key_of(a, a->fk[0], f, m, catno),
					 fact_key_of(a, a->fk[1], f, m, catno));
		tally(r->c, f, a->o->at);
	}
	free(catno);
}

static int run_by_facts(struct db *d, const struct stat_opts *o, const struct bounds *b,
			struct byrow **rows, size_t *nrows)
{
	struct by_acc a;
	int st;

	memset(&a, 0, sizeof a);
	a.o = o;
	a.zone = db_zone_min(d);
	for (size_t i = 0; i < o->nkeys; i++)
		a.fk[i] = key_find(o->keys[i], strlen(o->keys[i]))->fact_key;
	st = facts_each_month(d, b->mfrom, b->mto, by_month, &a);
	for (size_t i = 0; i < a.n; i++)
		for (size_t k = 0; k < o->nkeys; k++)
			a.rows[i].k[k] = fact_key_name(&a, a.fk[k], a.rows[i].id[k]);
	for (size_t i = 0; i < a.ncats; i++)
		free(a.cats[i]);
	free(a.cats);
	free(a.slot);
	*rows = a.rows;
	*nrows = a.n;
	return st;
}

static int run_by(struct db *d, const struct stat_opts *o, const struct bounds *b,
		  struct byrow **rows, size_t *nrows)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (from_facts(o, 1))
		return run_by_facts(d, o, b, rows, nrows);
	*rows = NULL;
	*nrows = 0;
	buf_adds(&sql, "SELECT ");
	for (size_t i = 0; i < o->nkeys; i++) {
		const struct key_def *k = key_find(o->keys[i], strlen(o->keys[i]));
		buf_adds(&sql, k->expr[o->by_time]);
		buf_adds(&sql, ", ");
	}
	if (o->nkeys == 1)
		buf_adds(&sql, "NULL, ");
	buf_adds(&sql,
		 "count(*), sum(state = 'closed'),"
		 " sum(state = 'closed' AND (due_at IS NULL OR closed_at <= due_at)),"
		 " sum(state IN ('reported','registered','dispatched','handling','handled') AND due_at < ?3),");
	/* the counts over cases due only when they are the denominator */
	buf_adds(&sql, o->basis == BASIS_DUE
		 ? " sum(due_at <= ?3), sum(due_at <= ?3 AND state = 'closed'),"
		   " sum(due_at <= ?3 AND state = 'closed' AND closed_at <= due_at)"
		 : " 0, 0, 0");
	buf_adds(&sql, " FROM cases WHERE ");
	buf_adds(&sql, where_for(o));
	buf_adds(&sql, o->nkeys == 1 ? " GROUP BY 1" : " GROUP BY 1, 2");
	if (sqlite3_prepare_v2(d->h, sql.s, -1, &st, NULL) != SQLITE_OK) {
		buf_free(&sql);
		return db_fail(d, d->path);
	}
	buf_free(&sql);
	bind_bounds(st, b);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		static const int col[] = { S_RECEIVED, S_CLOSED, S_ONTIME_CLOSED, S_OVERDUE,
					   S_DUE, S_DUE_CLOSED, S_DUE_ONTIME };
		struct byrow *r;
		XGROW(*rows, *nrows + 1, cap);
		r = &(*rows)[(*nrows)++];
		memset(r, 0, sizeof *r);
		for (int i = 0; i < 2; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			r->k[i] = t ? xstrdup((const char *)t) : NULL;
		}
		for (size_t i = 0; i < ARRAY_SIZE(col); i++)
			r->c[col[i]] = sqlite3_column_int64(st, 2 + (int)i);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(d, d->path);
}

static int keystr_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int cmp_byrow(const void *x, const void *y)
{
	const struct byrow *a = x, *b = y;
	int c;
	if (a->c[S_RECEIVED] != b->c[S_RECEIVED])
		return a->c[S_RECEIVED] > b->c[S_RECEIVED] ? -1 : 1;
	if ((c = keystr_cmp(a->k[0], b->k[0])) != 0)
		return c;
	return keystr_cmp(a->k[1], b->k[1]);
}

static void free_rows(struct byrow *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].k[0]);
		free(rows[i].k[1]);
	}
	free(rows);
}

static void rate_text(char *buf, size_t n, long long num, long long den, int json)
{
	fmt_metric(buf, n, 1, den ? (double)num / (double)den : NAN, json);
}

static int print_by(const struct stat_opts *o, struct byrow *rows, size_t n,
		    int compare, struct byrow *prev, size_t np)
{
	long long total_prev = 0;
	int st = 0, failed = 0;
	struct zout *z = zout_open_output(o->co->output, &st);
	enum out_format f = o->out_format;
	int json = f == OUT_JSON || f == OUT_JSONL;
	struct out_col cols[10];
	size_t nc = 0;
	struct out *out;
	struct byrow total;
	size_t shown = o->top > 0 && (size_t)o->top < n ? (size_t)o->top : n;

	if (!z)
		return st;
	for (size_t i = 0; i < o->nkeys; i++)
		cols[nc++] = (struct out_col){ o->keys[i], OUT_STR, NULL };
	cols[nc++] = (struct out_col){ "received", OUT_NUM, "受理" };
	cols[nc++] = (struct out_col){ "closed", OUT_NUM, "结案" };
	cols[nc++] = (struct out_col){ "closure_rate", OUT_NUM, "结案率" };
	cols[nc++] = (struct out_col){ "ontime_closure_rate", OUT_NUM, "按期结案率" };
	cols[nc++] = (struct out_col){ "overdue", OUT_NUM, "超期" };
	if (compare) {
		cols[nc++] = (struct out_col){ "previous_received", OUT_NUM, "上期受理" };
		cols[nc++] = (struct out_col){ "change", OUT_NUM, "增减" };
		cols[nc++] = (struct out_col){ "change_pct", OUT_NUM, "增减率" };
	}
	out = out_new(z, f, cols, nc, (o->co->bom ? OUT_F_BOM : 0) |
		      ((f == OUT_TABLE || f == OUT_MD) ? OUT_F_TOTAL : 0));
	memset(&total, 0, sizeof total);
	for (size_t i = 0; i <= shown && !failed; i++) {
		const struct byrow *r;
		char rc[8][32];
		const char *v[10];
		size_t k = 0;
		long long num, den, onum;
		if (i == shown) {
			if (f != OUT_TABLE && f != OUT_MD)
				break;
			total.k[0] = (char *)"合计 total";
			r = &total;
		} else {
			r = &rows[i];
			for (size_t c = 0; c < S_N; c++)
				total.c[c] += r->c[c];
		}
		for (size_t j = 0; j < o->nkeys; j++)
			v[k++] = i == shown && j > 0 ? NULL : r->k[j];
		num = r->c[o->basis == BASIS_DUE ? S_DUE_CLOSED : S_CLOSED];
		onum = r->c[o->basis == BASIS_DUE ? S_DUE_ONTIME : S_ONTIME_CLOSED];
		den = r->c[o->basis == BASIS_DUE ? S_DUE : S_RECEIVED];
		snprintf(rc[0], 32, "%lld", r->c[S_RECEIVED]);
		snprintf(rc[1], 32, "%lld", r->c[S_CLOSED]);
		rate_text(rc[2], 32, num, den, json);
		rate_text(rc[3], 32, onum, den, json);
		snprintf(rc[4], 32, "%lld", r->c[S_OVERDUE]);
		v[k++] = rc[0];
		v[k++] = rc[1];
		v[k++] = json && !den ? NULL : rc[2];
		v[k++] = json && !den ? NULL : rc[3];
		v[k++] = rc[4];
		if (compare) {
			long long p = 0;
			int found = 0;
			if (i == shown) {
				/* the rows shown, as the total of this period is */
				p = total_prev;
				found = 1;
			} else {
				for (size_t q = 0; q < np; q++)
					if (keystr_cmp(prev[q].k[0], r->k[0]) == 0 &&
					    keystr_cmp(prev[q].k[1], r->k[1]) == 0) {
						p = prev[q].c[S_RECEIVED];
						found = 1;
						break;
					}
			}
			if (i != shown)
				total_prev += p;
			snprintf(rc[5], 32, "%lld", p);
			snprintf(rc[6], 32, json ? "%lld" : "%+lld", r->c[S_RECEIVED] - p);
			if (found && p)
				snprintf(rc[7], 32, json ? "%.4f" : "%+.1f%%",
					 json ? (double)(r->c[S_RECEIVED] - p) / (double)p
					      : (double)(r->c[S_RECEIVED] - p) / (double)p * 100);
			else
				snprintf(rc[7], 32, "-");
			v[k++] = rc[5];
			v[k++] = rc[6];
			v[k++] = json && !(found && p) ? NULL : rc[7];
		}
		failed = out_row(out, v, NULL) < 0;
	}
	failed |= out_finish(out) < 0;
	out_free(out);
	return zout_finish(z, failed);
}

/* ---- templates -------------------------------------------------------------------- */

static size_t strip_lei(const char *s, size_t n)
{
	if (n > 3 && memcmp(s + n - 3, "类", 3) == 0)
		n -= 3;
	return n;
}

static int fill_template(struct db *d, const struct stat_opts *o, const struct summary *s,
			 const struct bounds *b)
{
	struct encoding_in *t = encoding_open(o->template_path, ENCODING_AUTO);
	struct buf text = BUF_INIT, outb = BUF_INIT;
	char chunk[65536];
	ssize_t k;
	struct stat_opts bo = *o;
	struct byrow *rows = NULL;
	size_t nrows = 0;
	const char *p, *end;
	long line = 1;
	int st = 0;

	if (!t) {
		msg_err("cannot open '%s': %s", o->template_path, strerror(errno));
		return EXIT_NO_INPUT;
	}
	while ((k = encoding_read(t, chunk, sizeof chunk)) > 0)
		buf_add(&text, chunk, (size_t)k);
	if (k < 0) {
		msg_errat(o->template_path, encoding_error_line(t), "%s", encoding_error(t));
		encoding_close(t);
		buf_free(&text);
		return EXIT_DATA_ERR;
	}
	encoding_close(t);
	bo.keys[0] = "category";
	bo.nkeys = 1;
	if ((st = run_by(d, &bo, b, &rows, &nrows)) != 0)
		goto out;
	p = buf_str(&text);
	end = p + text.len;
	while (p < end) {
		const char *open = strstr(p, "{{"), *close;
		if (!open) {
			buf_add(&outb, p, (size_t)(end - p));
			break;
		}
		buf_add(&outb, p, (size_t)(open - p));
		for (const char *q = p; q < open; q++)
			line += *q == '\n';
		close = strstr(open + 2, "}}");
		if (!close) {
			msg_errat(o->template_path, line, "'{{' without '}}'");
			st = EXIT_DATA_ERR;
			goto out;
		}
		{
			const char *name = open + 2;
			size_t n = (size_t)(close - name);
			char v[64];
			int found = 0;
			while (n && *name == ' ') {
				name++;
				n--;
			}
			while (n && name[n - 1] == ' ')
				n--;
			for (size_t i = 0; i < ARRAY_SIZE(metrics) && !found; i++)
				if (strlen(metrics[i].key) == n && memcmp(metrics[i].key, name, n) == 0) {
					fmt_metric(v, sizeof v, metrics[i].kind,
						   metric_value(o, s, &metrics[i]), 0);
					buf_adds(&outb, v);
					found = 1;
				}
			if (!found && n > 9 && memcmp(name, "category.", 9) == 0) {
				const char *c = name + 9;
				size_t cn = strip_lei(c, n - 9);
				long long cnt = 0;
				for (size_t i = 0; i < nrows; i++) {
					const char *rk = rows[i].k[0] ? rows[i].k[0] : "";
					if (strip_lei(rk, strlen(rk)) == cn && memcmp(rk, c, cn) == 0)
						cnt += rows[i].c[S_RECEIVED];
				}
				buf_addf(&outb, "%lld", cnt);
				found = 1;
			}
			if (!found) {
				msg_errat(o->template_path, line, "unknown placeholder '{{%.*s}}'",
					  (int)n, name);
				st = EXIT_DATA_ERR;
				goto out;
			}
		}
		for (const char *q = open; q < close; q++)
			line += *q == '\n';
		p = close + 2;
	}
	{
		struct zout *z = zout_open_output(o->co->output, &st);
		if (!z)
			goto out;
		st = zout_finish(z, zout_write(z, buf_str(&outb), outb.len) < 0);
	}
out:
	free_rows(rows, nrows);
	buf_free(&text);
	buf_free(&outb);
	return st;
}

/* ---- the run ----------------------------------------------------------------------- */

int stat_run(struct db *d, const struct stat_opts *o)
{
	struct bounds b, pb;
	struct summary s, ps;
	int zone = db_zone_min(d), st;
	int64_t pf = 0, pt = 0;

	if (o->ids_from_stdin && (st = load_ids(d, o)) != 0)
		return st;
	bounds_of(o->from, o->to, o->at, zone, &b);
	if (o->compare != COMPARE_NONE) {
		shift_period(o, zone, &pf, &pt);
		bounds_of(pf, pt, o->at, zone, &pb);
	}
	if (o->template_path) {
		if ((st = run_summary(d, o, &b, &s)) != 0)
			return st;
		return fill_template(d, o, &s, &b);
	}
	if (o->report == STAT_SUMMARY) {
		if ((st = run_summary(d, o, &b, &s)) != 0)
			return st;
		if (o->compare != COMPARE_NONE && (st = run_summary(d, o, &pb, &ps)) != 0)
			return st;
		return print_summary(o, &s, o->compare != COMPARE_NONE ? &ps : NULL, &b, &pb);
	}
	{
		struct byrow *rows, *prows = NULL;
		size_t n, np = 0;
		if ((st = run_by(d, o, &b, &rows, &n)) != 0)
			return st;
		if (o->compare != COMPARE_NONE && (st = run_by(d, o, &pb, &prows, &np)) != 0) {
			free_rows(rows, n);
			return st;
		}
		if (n)
			qsort(rows, n, sizeof *rows, cmp_byrow);
		st = print_by(o, rows, n, o->compare != COMPARE_NONE, prows, np);
		free_rows(rows, n);
		free_rows(prows, np);
		return st;
	}
}
