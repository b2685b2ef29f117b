#include "common.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "calendar.h"
#include "db.h"
#include "encoding.h"
#include "case/case.h"
#include "case/facts.h"
#include "json.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "case/stat.h"
#include "case/statint.h"
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
		o->period = STAT_PERIOD_MONTH;
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
		o->period = STAT_PERIOD_QUARTER;
		o->from = civil(y, m, 1, zone);
		o->to = m == 10 ? civil(y + 1, 1, 1, zone) : civil(y, m + 3, 1, zone);
		return 0;
	}
	if (strcmp(what, "year") == 0) {
		if (n != 4 || !digits(arg, 4))
			goto bad;
		y = (arg[0] - '0') * 1000 + (arg[1] - '0') * 100 + (arg[2] - '0') * 10 + (arg[3] - '0');
		o->period = STAT_PERIOD_YEAR;
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
		if (o->period != STAT_PERIOD_RANGE) {
			o->from = INT64_MIN;
			o->to = INT64_MAX;
		}
		o->period = STAT_PERIOD_RANGE;
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
	if (o->compare == STAT_COMPARE_YOY) {
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
	case STAT_PERIOD_MONTH:
		*to = o->from;
		*from = m1 == 1 ? civil(y1 - 1, 12, 1, zone) : civil(y1, m1 - 1, 1, zone);
		return;
	case STAT_PERIOD_QUARTER:
		*to = o->from;
		*from = m1 <= 3 ? civil(y1 - 1, m1 + 9, 1, zone) : civil(y1, m1 - 3, 1, zone);
		return;
	case STAT_PERIOD_YEAR:
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

static const struct stat_key keys[] = {
	{ "category", "类别", { "category", "category", "category" }, STAT_FK_CATEGORY,
	  STAT_TK_NONE },
	{ "big_class", "大类", { "big_class", "big_class", "big_class" }, STAT_FK_NONE,
	  STAT_TK_NONE },
	{ "class", "小类", { "small_class", "small_class", "small_class" }, STAT_FK_NONE,
	  STAT_TK_NONE },
	{ "kind", "问题类型", { "kind", "kind", "kind" }, STAT_FK_NONE, STAT_TK_NONE },
	{ "unit", "处置单位", { "unit", "unit", "unit" }, STAT_FK_NONE, STAT_TK_NONE },
	{ "street", "街道", { "street", "street", "street" }, STAT_FK_NONE, STAT_TK_NONE },
	{ "community", "社区", { "community", "community", "community" }, STAT_FK_NONE,
	  STAT_TK_NONE },
	{ "source", "来源", { "source", "source", "source" }, STAT_FK_NONE, STAT_TK_NONE },
	{ "reporter", "上报人", { "reporter", "reporter", "reporter" }, STAT_FK_NONE,
	  STAT_TK_NONE },
	{ "state", "状态", { "state", "state", "state" }, STAT_FK_STATE, STAT_TK_NONE },
	{ "month", "月份", { "reported_month", "substr(closed_at, 1, 7)", "substr(due_at, 1, 7)" },
	  STAT_FK_MONTH, STAT_TK_MONTH },
	{ "week", "周", { "strftime('%Y-W%W', reported_at)", "strftime('%Y-W%W', closed_at)",
		    "strftime('%Y-W%W', due_at)" }, STAT_FK_NONE, STAT_TK_WEEK },
	{ "day", "日期", { "substr(reported_at, 1, 10)", "substr(closed_at, 1, 10)",
		   "substr(due_at, 1, 10)" }, STAT_FK_DAY, STAT_TK_DAY },
	{ "hour", "小时", { "substr(reported_at, 12, 2)", "substr(closed_at, 12, 2)",
		    "substr(due_at, 12, 2)" }, STAT_FK_HOUR, STAT_TK_HOUR },
};

const struct stat_key *stat_key_find(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strlen(keys[i].name) == n && memcmp(keys[i].name, s, n) == 0)
			return &keys[i];
	return NULL;
}

int stat_keys_parse(struct stat_opts *o, const char *arg)
{
	const char *p = arg;
	o->nkeys = 0;
	while (*p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		const struct stat_key *k = stat_key_find(p, n);
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

/* The columns --sort may name in a report by keys (not a pivot's). */
static int sort_column_known(const struct stat_opts *o, const char *c)
{
	static const char *const counts[] = {
		"received", "closed", "closure_rate", "ontime_closure_rate", "overdue",
	};
	static const char *const changes[] = { "previous_received", "change", "change_pct" };

	for (size_t i = 0; i < o->nkeys; i++)
		if (strcmp(c, o->keys[i]) == 0)
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(counts); i++)
		if (strcmp(c, counts[i]) == 0)
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(changes); i++)
		if (strcmp(c, changes[i]) == 0)
			return o->compare != STAT_COMPARE_NONE ? 1 : -1;
	return 0;
}

int stat_opts_check(const struct stat_opts *o)
{
	const char *c = o->sort && o->sort[0] == '-' ? o->sort + 1 : o->sort;
	int known;

	if (o->pivot && (o->report != STAT_BY || o->nkeys != 2)) {
		msg_err("--pivot needs two keys: by ROWS,COLUMNS (e.g. by month,category)");
		return EXIT_USAGE;
	}
	if (o->pivot && o->compare != STAT_COMPARE_NONE) {
		msg_err("--pivot counts the cases received in one period: not with --compare");
		return EXIT_USAGE;
	}
	if (!c || o->template_path)
		return 0;
	if (o->report != STAT_BY) {
		msg_err("--sort orders the rows of a 'by' report");
		return EXIT_USAGE;
	}
	if (o->pivot)
		return 0; /* the columns are the values of the second key */
	if ((known = sort_column_known(o, c)) > 0)
		return 0;
	if (known < 0)
		msg_err("--sort '%s': that column comes with --compare", o->sort);
	else
		msg_err("--sort '%s': no such column (a key, received, closed, closure_rate,"
			" ontime_closure_rate, overdue%s)", o->sort,
			o->compare != STAT_COMPARE_NONE ? ", previous_received, change, change_pct" : "");
	return EXIT_USAGE;
}

/* ---- selection ---------------------------------------------------------------- */

/* The WHERE clause: fixed text; the bounds are ?1 and ?2, now is ?3. */
static const char *where_for(const struct stat_opts *o)
{
	if (o->ids)
		return "id IN (SELECT id FROM temp.stat_ids)";
	if (o->period == STAT_PERIOD_NONE)
		return "1";
	if (o->by_time == STAT_BY_CLOSED)
		return "closed_at >= ?1 AND closed_at < ?2";
	if (o->by_time == STAT_BY_DUE)
		return "due_at >= ?1 AND due_at < ?2";
	/* reported_month's range as reported_at's, which is indexed: the
	 * same rows for any text (the bounds are 7 characters) */
	if (o->period != STAT_PERIOD_RANGE)
		return "reported_at >= ?4 AND reported_at < ?5";
	return "reported_at >= ?1 AND reported_at < ?2";
}

static void bounds_of(int64_t from, int64_t to, int64_t at, int zone, struct stat_bounds *b)
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

static void bind_bounds(sqlite3_stmt *st, const struct stat_bounds *b)
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

int stat_prepare(struct db *d, const struct stat_opts *o, const struct stat_bounds *b,
		 struct buf *sql, const char *tail, sqlite3_stmt **st)
{
	int rc;

	buf_adds(sql, " FROM cases WHERE ");
	buf_adds(sql, where_for(o));
	buf_adds(sql, tail);
	rc = sqlite3_prepare_v2(d->h, sql->s, -1, st, NULL);
	buf_free(sql);
	if (rc != SQLITE_OK)
		return db_fail(d, d->path);
	bind_bounds(*st, b);
	return 0;
}

/* The ids asked for, in a temporary table that where_for() names. */
static int load_ids(struct db *d, const struct stat_opts *o)
{
	sqlite3_stmt *ins;
	int st = 0;

	if (db_exec(d, "CREATE TEMP TABLE stat_ids(id TEXT PRIMARY KEY)") != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "INSERT OR IGNORE INTO temp.stat_ids VALUES (?1)", -1,
			       &ins, NULL) != SQLITE_OK)
		return db_fail(d, d->path);
	for (size_t i = 0; i < o->ids->n && !st; i++) {
		sqlite3_bind_text(ins, 1, o->ids->v[i], -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			st = db_fail(d, d->path);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	return st;
}

/* ---- summary -------------------------------------------------------------------- */

struct summary {
	long long c[STAT_C_N];
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
void stat_tally(long long *c, const struct fact *f, int64_t at)
{
	unsigned state = f->flags & FACT_STATE;
	int closed = state == CASE_CLOSED, isvoid = state == CASE_VOID;
	int open = state <= CASE_HANDLED;
	int self = (f->flags & FACT_SELF) != 0;
	int disp = (f->flags & FACT_DISPATCHED_AT) != 0;
	int dispatched = disp && !self;
	int ontime = (f->flags & FACT_CLOSED_ONTIME) != 0;
	int isdue = f->due != FACT_NONE && f->due <= at;

	c[STAT_C_RECEIVED]++;
	c[STAT_C_REGISTERED] += (f->flags & FACT_REGISTERED_AT) || (state != CASE_REPORTED && !isvoid);
	c[STAT_C_DISPATCHED] += disp;
	c[STAT_C_CLOSED] += closed;
	c[STAT_C_SELF] += self;
	c[STAT_C_VOID] += isvoid;
	c[STAT_C_PARKED] += state == CASE_PARKED;
	c[STAT_C_OPEN] += open;
	c[STAT_C_OVERDUE] += open && f->due != FACT_NONE && f->due < at;
	c[STAT_C_ONTIME_CLOSED] += closed && ontime;
	c[STAT_C_DUE] += isdue;
	c[STAT_C_DUE_CLOSED] += isdue && closed;
	c[STAT_C_DUE_ONTIME] += isdue && closed && ontime;
	c[STAT_C_DISP] += dispatched;
	c[STAT_C_DISP_DONE] += dispatched && ((f->flags & FACT_HANDLED_AT) || state == CASE_HANDLED || closed);
	c[STAT_C_DISP_ONTIME] += dispatched && (f->flags & FACT_DONE_ONTIME);
	c[STAT_C_REWORKED] += dispatched && (f->flags & FACT_REWORKED);
	c[STAT_C_POSTPONED] += dispatched && (f->flags & FACT_POSTPONED);
}

/* Whether the facts kept per month can answer: a period of whole months by
 * the time reported, and (for a report by keys) keys that a fact holds. */
int stat_from_facts(const struct stat_opts *o, int by_keys)
{
	if (o->no_cache || o->ids || o->by_time != STAT_BY_REPORTED ||
	    o->period == STAT_PERIOD_NONE || o->period == STAT_PERIOD_RANGE)
		return 0;
	if (by_keys)
		for (size_t i = 0; i < o->nkeys; i++)
			if (!stat_key_find(o->keys[i], strlen(o->keys[i]))->fact_key)
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
	stat_tally(a->s->c, f, a->o->at);
	if ((f->flags & FACT_STATE) != CASE_CLOSED || f->closed == FACT_NONE ||
	    f->reported == FACT_NONE || f->closed < f->reported)
		return;
	summary_reserve(a, 1);
	a->h[a->n] = (double)(f->closed - f->reported) / 3600.0;
	a->wh[a->n] = a->o->cal ? (double)calendar_working_seconds_between(a->o->cal,
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

static int run_summary(struct db *d, const struct stat_opts *o, const struct stat_bounds *b,
		       struct summary *s)
{
	struct summary_acc a = { s, o, db_zone_min(d), NULL, NULL, 0, 0, 0, 0 };
	int st = 0;

	memset(s, 0, sizeof *s);
	if (stat_from_facts(o, 0)) {
		st = facts_each_month(d, b->mfrom, b->mto, summary_month, &a);
	} else {
		struct buf sql = BUF_INIT;
		sqlite3_stmt *q;
		int rc;
		buf_adds(&sql, "SELECT " FACT_COLUMNS);
		if ((st = stat_prepare(d, o, b, &sql, "", &q)) != 0)
			return st;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			struct fact f;
			const char *cat;
			facts_from_row(q, a.zone, &f, &cat);
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
	if (o->basis == STAT_BASIS_DUE) {
		if (n == STAT_C_CLOSED && dd == STAT_C_RECEIVED) {
			n = STAT_C_DUE_CLOSED;
			dd = STAT_C_DUE;
		} else if (n == STAT_C_ONTIME_CLOSED && dd == STAT_C_RECEIVED) {
			n = STAT_C_DUE_ONTIME;
			dd = STAT_C_DUE;
		}
	}
	*num = s->c[n];
	*den = dd >= 0 ? s->c[dd] : 0;
}

static const struct metric metrics[] = {
	{ "received", "受理", 0, STAT_C_RECEIVED, -1 },
	{ "registered", "立案", 0, STAT_C_REGISTERED, -1 },
	{ "dispatched", "派遣", 0, STAT_C_DISPATCHED, -1 },
	{ "closed", "结案", 0, STAT_C_CLOSED, -1 },
	{ "self_disposed", "自行处置", 0, STAT_C_SELF, -1 },
	{ "void", "作废", 0, STAT_C_VOID, -1 },
	{ "parked", "缓办", 0, STAT_C_PARKED, -1 },
	{ "open", "在办", 0, STAT_C_OPEN, -1 },
	{ "overdue", "超期", 0, STAT_C_OVERDUE, -1 },
	{ "closure_rate", "结案率", 1, STAT_C_CLOSED, STAT_C_RECEIVED },
	{ "ontime_closure_rate", "按期结案率", 1, STAT_C_ONTIME_CLOSED, STAT_C_RECEIVED },
	{ "disposal_rate", "处置率", 1, STAT_C_DISP_DONE, STAT_C_DISP },
	{ "ontime_disposal_rate", "按期处置率", 1, STAT_C_DISP_ONTIME, STAT_C_DISP },
	{ "rework_rate", "返工率", 1, STAT_C_REWORKED, STAT_C_DISP },
	{ "postpone_rate", "延期率", 1, STAT_C_POSTPONED, STAT_C_DISP },
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

void stat_fmt_metric(char *buf, size_t n, int kind, double v, int json)
{
	if (isnan(v))
		snprintf(buf, n, json ? "null" : "-");
	else if (kind == 0)
		snprintf(buf, n, "%.0f", v);
	else if (kind == 1 && json)
		out_fixed(v, 4, buf);   /* n is OUT_DOUBLE_LEN or more */
	else if (kind == 1)
		snprintf(buf, n, "%.1f%%", v * 100);
	else
		snprintf(buf, n, "%.1f", v);
}

/* A basis as --lang says: 受理, 到期, 派遣 under zh. */
static const char *basis_label(const struct out *out, const char *b)
{
	if (!b || !(out_flags(out) & OUT_F_ZH))
		return b;
	return strcmp(b, "received") == 0 ? "受理" : strcmp(b, "due") == 0 ? "到期"
	       : strcmp(b, "dispatched") == 0 ? "派遣" : b;
}

static const char *basis_name(const struct stat_opts *o, const struct metric *m)
{
	if (m->kind != 1)
		return NULL;
	if (m->den == STAT_C_RECEIVED)
		return o->basis == STAT_BASIS_DUE ? "due" : "received";
	return "dispatched";
}

static void json_rate(struct buf *b, const struct stat_opts *o, const struct summary *s,
		      const struct metric *m)
{
	long long num, den;
	char v[32];
	metric_nd(o, s, m, &num, &den);
	stat_fmt_metric(v, sizeof v, 1, den ? (double)num / (double)den : NAN, 1);
	buf_addf(b, "{\"value\":%s,\"numerator\":%lld,\"denominator\":%lld,\"basis\":\"%s\"}",
		 v, num, den, basis_name(o, m));
}

static void json_summary(struct buf *b, const struct stat_opts *o, const struct summary *s,
			 const struct stat_bounds *bd)
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
			stat_fmt_metric(v, sizeof v, m->kind, metric_value(o, s, m), 1);
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

/* The change of a figure from y to x: in points for a rate, else in the
 * figure's unit; and in percent of y. */
static void fmt_change(char *ch, char *cp, size_t n, int kind, double x, double y)
{
	if (isnan(x) || isnan(y)) {
		snprintf(ch, n, "-");
		snprintf(cp, n, "-");
		return;
	}
	if (kind == 1)
		snprintf(ch, n, "%+.1fpp", (x - y) * 100);
	else
		snprintf(ch, n, kind == 0 ? "%+.0f" : "%+.1f", x - y);
	if (y != 0)
		snprintf(cp, n, "%+.1f%%", (x - y) / y * 100);
	else
		snprintf(cp, n, "-");
}

static const struct out_col summary_cols[] = {
	{ "metric", OUT_STR, "指标代码" }, { "指标", OUT_STR, "指标" },
	{ "value", OUT_NUM, "值" }, { "numerator", OUT_NUM, "分子" },
	{ "denominator", OUT_NUM, "分母" }, { "basis", OUT_STR, "口径" },
	{ "previous", OUT_NUM, "上期" }, { "change", OUT_NUM, "增减" },
	{ "change_pct", OUT_NUM, "增减率" },
};

/* One metric of the summary as a row. */
static int summary_row(struct out *out, const struct stat_opts *o, const struct metric *m,
		       const struct summary *s, const struct summary *prev)
{
	char v[32], nu[32] = "", de[32] = "", pv[32] = "", ch[32] = "", cp[32] = "";
	const char *vals[9];
	double x = metric_value(o, s, m);

	stat_fmt_metric(v, sizeof v, m->kind, x, 0);
	if (m->kind == 1) {
		long long num, den;
		metric_nd(o, s, m, &num, &den);
		snprintf(nu, sizeof nu, "%lld", num);
		snprintf(de, sizeof de, "%lld", den);
	}
	if (prev) {
		double y = metric_value(o, prev, m);
		stat_fmt_metric(pv, sizeof pv, m->kind, y, 0);
		/* a period with no case at all is no base to compare with */
		fmt_change(ch, cp, sizeof ch, m->kind, x, prev->c[STAT_C_RECEIVED] ? y : NAN);
	}
	vals[0] = m->key;
	vals[1] = m->zh;
	vals[2] = v;
	vals[3] = nu[0] ? nu : NULL;
	vals[4] = de[0] ? de : NULL;
	vals[5] = basis_label(out, basis_name(o, m));
	vals[6] = pv;
	vals[7] = ch;
	vals[8] = cp;
	return out_row(out, vals, NULL);
}

static int print_summary(struct out *out, const struct stat_opts *o, const struct summary *s,
			 const struct summary *prev, const struct stat_bounds *b,
			 const struct stat_bounds *pb)
{
	enum out_format f = out_fmt(out);
	int failed = 0;

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
		out_raw(out, j.s, j.len);
		buf_free(&j);
		return 0; /* a write error is the caller's out_close() to report */
	}
	out_columns(out, summary_cols, prev ? 9 : 6);
	for (size_t i = 0; i < ARRAY_SIZE(metrics) && !failed; i++)
		failed = summary_row(out, o, &metrics[i], s, prev) < 0;
	return 0; /* a write error is the caller's out_close() to report */
}

/* ---- templates -------------------------------------------------------------------- */

/* What a template's placeholders can name: the summary's figures and the
 * received count of a category, in the period and, with --compare, in the
 * period compared with. */
struct stat_figures {
	struct db *d;
	const struct stat_opts *o;
	const struct summary *s, *ps;     /* ps: NULL without --compare */
	struct stat_rows cats, pcats;     /* by category */
	struct stat_rows known;           /* every category of the store, once asked */
	int known_read;
};

enum figure_part { FIG_NOW, FIG_PREV, FIG_CHANGE, FIG_CHANGE_PCT };

/* The part a name asks for ("received.change"), and the length of the
 * figure's own name. */
static enum figure_part figure_part(const char *name, size_t n, size_t *base)
{
	static const struct {
		const char *suffix;
		enum figure_part part;
	} parts[] = {
		{ ".prev", FIG_PREV }, { ".change", FIG_CHANGE }, { ".change_pct", FIG_CHANGE_PCT },
	};

	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		size_t k = strlen(parts[i].suffix);
		if (n > k && memcmp(name + n - k, parts[i].suffix, k) == 0) {
			*base = n - k;
			return parts[i].part;
		}
	}
	*base = n;
	return FIG_NOW;
}

/* A figure (kind as stat_fmt_metric's) now x, before y, as the part asks. */
static void figure_text(struct buf *out, const struct stat_figures *fg, int kind,
			enum figure_part part, double x, double y)
{
	char a[32], b[32];

	if (part == FIG_NOW || part == FIG_PREV) {
		stat_fmt_metric(a, sizeof a, kind, part == FIG_NOW ? x : y, 0);
		buf_adds(out, a);
		return;
	}
	fmt_change(a, b, sizeof a, kind, x, fg->ps->c[STAT_C_RECEIVED] ? y : NAN);
	buf_adds(out, part == FIG_CHANGE ? a : b);
}

/* The cases received in category c (a trailing 类 ignored); -1 when no
 * row names it. */
static long long category_count(const struct stat_rows *rows, const char *c, size_t n)
{
	size_t cn = case_class_stem(c, n);
	long long cnt = -1;

	for (size_t i = 0; i < rows->n; i++) {
		const char *rk = rows->v[i].k[0] ? rows->v[i].k[0] : "";
		if (case_class_stem(rk, strlen(rk)) == cn && memcmp(rk, c, cn) == 0)
			cnt = (cnt < 0 ? 0 : cnt) + rows->v[i].c[STAT_C_RECEIVED];
	}
	return cnt;
}

/* Does the store know category c, in any period?  0 after a message that
 * names the categories it knows; -1 when the store failed. */
static int category_known(struct stat_figures *fg, const struct tmpl_place *p,
			  const char *c, size_t n)
{
	struct buf names = BUF_INIT;

	if (!fg->known_read) {
		struct stat_opts all = *fg->o;
		struct stat_bounds none;
		memset(&none, 0, sizeof none);
		all.ids = NULL;
		all.keys[0] = "category";
		all.nkeys = 1;
		all.period = STAT_PERIOD_NONE;
		all.no_cache = 1;
		if (stat_by_rows(fg->d, &all, &none, &fg->known) != 0)
			return -1;
		fg->known_read = 1;
	}
	if (category_count(&fg->known, c, n) >= 0)
		return 1;
	for (size_t i = 0; i < fg->known.n; i++)
		if (fg->known.v[i].k[0])
			buf_addf(&names, "%s%s", names.len ? ", " : "", fg->known.v[i].k[0]);
	msg_errat(p->file, p->line, "unknown category '%.*s' in '{{%.*s}}' (%s%s)", (int)n, c,
		  (int)p->n, p->name, names.len ? "known: " : "the store has no category",
		  buf_str(&names));
	buf_free(&names);
	return 0;
}

static int category_placeholder(struct stat_figures *fg, const struct tmpl_place *p,
				enum figure_part part, size_t n, struct buf *out)
{
	const char *c = p->name + 9;
	long long x = category_count(&fg->cats, c, n - 9);
	long long y = fg->ps ? category_count(&fg->pcats, c, n - 9) : -1;

	if (x < 0 && y < 0 && category_known(fg, p, c, n - 9) <= 0)
		return -1;
	figure_text(out, fg, 0, part, (double)(x < 0 ? 0 : x), (double)(y < 0 ? 0 : y));
	return 1;
}

static int stat_placeholder(void *ctx, const struct tmpl_place *p, struct buf *out)
{
	struct stat_figures *fg = ctx;
	size_t n;
	enum figure_part part = figure_part(p->name, p->n, &n);
	const struct metric *m = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(metrics) && !m; i++)
		if (strlen(metrics[i].key) == n && memcmp(p->name, metrics[i].key, n) == 0)
			m = &metrics[i];
	if (!m && !(n > 9 && memcmp(p->name, "category.", 9) == 0))
		return 0;
	if (part != FIG_NOW && !fg->ps) {
		msg_errat(p->file, p->line, "'{{%.*s}}' needs --compare (prev or yoy)",
			  (int)p->n, p->name);
		return -1;
	}
	if (!m)
		return category_placeholder(fg, p, part, n, out);
	figure_text(out, fg, m->kind, part, metric_value(fg->o, fg->s, m),
		    fg->ps ? metric_value(fg->o, fg->ps, m) : NAN);
	return 1;
}

static int fill_template(struct out *out, struct db *d, const struct stat_opts *o,
			 const struct summary *s, const struct summary *ps,
			 const struct stat_bounds *b, const struct stat_bounds *pb)
{
	struct stat_opts bo = *o;
	struct tmpl_source *srcs = xcalloc(o->nmore + 1, sizeof *srcs);
	struct buf text = BUF_INIT;
	struct stat_figures fg;
	int st;

	memset(&fg, 0, sizeof fg);
	fg.d = d;
	fg.o = o;
	fg.s = s;
	fg.ps = ps;
	bo.keys[0] = "category";
	bo.nkeys = 1;
	if ((st = stat_by_rows(d, &bo, b, &fg.cats)) != 0 ||
	    (ps && (st = stat_by_rows(d, &bo, pb, &fg.pcats)) != 0))
		goto out;
	srcs[0] = (struct tmpl_source){ stat_placeholder, &fg };
	for (size_t i = 0; i < o->nmore; i++)
		srcs[i + 1] = o->more_placeholders[i];
	if ((st = tmpl_fill(o->template_path, srcs, o->nmore + 1, &text)) == 0)
		out_raw(out, buf_str(&text), text.len);
out:
	free(srcs);
	stat_rows_free(&fg.cats);
	stat_rows_free(&fg.pcats);
	stat_rows_free(&fg.known);
	buf_free(&text);
	return st;
}

/* ---- the run ----------------------------------------------------------------------- */

/* The summary of the period and, with --compare, of the one compared with
 * (a warning when that one has no case); a template filled with them, or
 * the summary written. */
static int run_summaries(struct db *d, const struct stat_opts *o, struct out *out,
			 const struct stat_bounds *b, const struct stat_bounds *pb)
{
	struct summary s, ps;
	int compare = o->compare != STAT_COMPARE_NONE, st;

	if ((st = run_summary(d, o, b, &s)) != 0 ||
	    (compare && (st = run_summary(d, o, pb, &ps)) != 0))
		return st;
	if (compare && ps.c[STAT_C_RECEIVED] == 0)
		msg_warn("no cases from %s to %s to compare with: no change shown",
			 pb->from, pb->to);
	if (o->template_path)
		return fill_template(out, d, o, &s, compare ? &ps : NULL, b, pb);
	return print_summary(out, o, &s, compare ? &ps : NULL, b, pb);
}

int stat_run(struct db *d, const struct stat_opts *o, struct out *out)
{
	struct stat_bounds b, pb;
	struct stat_rows rows = { NULL, 0, 0 }, prows = { NULL, 0, 0 };
	struct stat_by_input in;
	int zone = db_zone_min(d), st;
	int64_t pf = 0, pt = 0;
	char pname[2 * TIMEPARSE_TEXT_LEN + 8];

	if (o->ids && (st = load_ids(d, o)) != 0)
		return st;
	bounds_of(o->from, o->to, o->at, zone, &b);
	if (o->compare != STAT_COMPARE_NONE) {
		shift_period(o, zone, &pf, &pt);
		bounds_of(pf, pt, o->at, zone, &pb);
	}
	if (o->template_path || o->report == STAT_SUMMARY)
		return run_summaries(d, o, out, &b, &pb);
	pname[0] = '\0';
	if (o->compare != STAT_COMPARE_NONE)
		snprintf(pname, sizeof pname, "%s to %s", pb.from, pb.to);
	in = (struct stat_by_input){ &rows, o->compare != STAT_COMPARE_NONE ? &prows : NULL,
				     o->from, o->to, pf, pt, zone, pname };
	if ((st = stat_by_rows(d, o, &b, &rows)) == 0 &&
	    (!in.prev || (st = stat_by_rows(d, o, &pb, &prows)) == 0))
		st = stat_by_print(out, o, &in);
	stat_rows_free(&rows);
	stat_rows_free(&prows);
	return st;
}
