/*
 * statby.c - case-stat's reports by keys (DESIGN §7.3): the rows, from the
 * month facts or from the cases; the period compared with, row by row;
 * every period of a time key; the order; a pivot.
 */
#include "common.h"

#include <math.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "msg.h"
#include "out.h"
#include "case/case.h"
#include "case/facts.h"
#include "case/stat.h"
#include "case/statint.h"
#include "timeparse.h"

void stat_rows_free(struct stat_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		free(rows->v[i].k[0]);
		free(rows->v[i].k[1]);
	}
	free(rows->v);
	rows->v = NULL;
	rows->n = rows->cap = 0;
}

static struct stat_row *rows_add(struct stat_rows *rows)
{
	struct stat_row *r;

	XGROW(rows->v, rows->n + 1, rows->cap);
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof *r);
	return r;
}

/* ---- rows from the facts of months ---------------------------------------- */

/* Rows found by their two key numbers in an open-addressed table, named at
 * the end. */
struct by_acc {
	const struct stat_opts *o;
	int zone;
	enum stat_fact_key fk[2];
	char **cats;            /* every category seen, numbered */
	size_t ncats, catcap;
	struct stat_rows *rows;
	size_t *slot, nslot;    /* row index + 1, 0 when free */
};

#define KEY_NULL INT64_MIN

static int64_t fact_key_of(const struct by_acc *a, enum stat_fact_key k,
			   const struct fact *f, const struct fact_month *m,
			   const uint32_t *catno)
{
	int64_t local = f->reported + (int64_t)a->zone * 60;

	switch (k) {
	case STAT_FK_CATEGORY:
		return f->cat == FACT_NO_CATEGORY ? KEY_NULL : catno[f->cat];
	case STAT_FK_MONTH:
		return m->monthno;
	case STAT_FK_STATE:
		return f->flags & FACT_STATE;
	case STAT_FK_DAY:
		return f->reported == FACT_NONE ? KEY_NULL
		       : (local - ((local % 86400) + 86400) % 86400) / 86400;
	case STAT_FK_HOUR:
		return f->reported == FACT_NONE ? KEY_NULL
		       : ((local % 86400) + 86400) % 86400 / 3600;
	default:
		return KEY_NULL;
	}
}

static char *fact_key_name(const struct by_acc *a, enum stat_fact_key k, int64_t id)
{
	char t[16];
	int64_t y;
	unsigned m, dd;

	if (id == KEY_NULL)
		return NULL;
	switch (k) {
	case STAT_FK_CATEGORY:
		return xstrdup(a->cats[id]);
	case STAT_FK_MONTH:
		snprintf(t, sizeof t, "%04d-%02d", (int)(id / 12), (int)(id % 12) + 1);
		break;
	case STAT_FK_STATE:
		return xstrdup(case_states[id].name);
	case STAT_FK_DAY:
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

static struct stat_row *by_row(struct by_acc *a, int64_t k0, int64_t k1)
{
	struct stat_rows *rows = a->rows;
	struct stat_row *r;
	size_t i;

	if ((rows->n + 1) * 2 > a->nslot) {
		size_t ns = a->nslot ? a->nslot * 2 : 64;
		free(a->slot);
		a->slot = xcalloc(ns, sizeof *a->slot);
		a->nslot = ns;
		for (size_t q = 0; q < rows->n; q++) {
			i = by_hash(rows->v[q].id[0], rows->v[q].id[1], ns - 1);
			while (a->slot[i])
				i = (i + 1) & (ns - 1);
			a->slot[i] = q + 1;
		}
	}
	i = by_hash(k0, k1, a->nslot - 1);
	for (; a->slot[i]; i = (i + 1) & (a->nslot - 1)) {
		r = &rows->v[a->slot[i] - 1];
		if (r->id[0] == k0 && r->id[1] == k1)
			return r;
	}
	r = rows_add(rows);
	r->id[0] = k0;
	r->id[1] = k1;
	a->slot[i] = rows->n;
	return r;
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
		struct stat_row *r = by_row(a, fact_key_of(a, a->fk[0], f, m, catno),
					    fact_key_of(a, a->fk[1], f, m, catno));
		stat_tally(r->c, f, a->o->at);
	}
	free(catno);
}

static int rows_from_facts(struct db *d, const struct stat_opts *o,
			   const struct stat_bounds *b, struct stat_rows *rows)
{
	struct by_acc a;
	int st;

	memset(&a, 0, sizeof a);
	a.o = o;
	a.zone = db_zone_min(d);
	a.rows = rows;
	for (size_t i = 0; i < o->nkeys; i++)
		a.fk[i] = stat_key_find(o->keys[i], strlen(o->keys[i]))->fact_key;
	st = facts_each_month(d, b->mfrom, b->mto, by_month, &a);
	for (size_t i = 0; i < rows->n; i++)
		for (size_t k = 0; k < o->nkeys; k++)
			rows->v[i].k[k] = fact_key_name(&a, a.fk[k], rows->v[i].id[k]);
	for (size_t i = 0; i < a.ncats; i++)
		free(a.cats[i]);
	free(a.cats);
	free(a.slot);
	return st;
}

/* ---- rows from the cases ---------------------------------------------------- */

static void by_sql(struct buf *sql, const struct stat_opts *o)
{
	buf_adds(sql, "SELECT ");
	for (size_t i = 0; i < o->nkeys; i++) {
		const struct stat_key *k = stat_key_find(o->keys[i], strlen(o->keys[i]));
		buf_adds(sql, k->expr[o->by_time]);
		buf_adds(sql, ", ");
	}
	if (o->nkeys == 1)
		buf_adds(sql, "NULL, ");
	buf_adds(sql,
		 "count(*), sum(state = 'closed'),"
		 " sum(state = 'closed' AND (due_at IS NULL OR closed_at <= due_at)),"
		 " sum(state IN ('reported','registered','dispatched','handling','handled') AND due_at < ?3),");
	/* the counts over cases due only when they are the denominator */
	buf_adds(sql, o->basis == STAT_BASIS_DUE
		 ? " sum(due_at <= ?3), sum(due_at <= ?3 AND state = 'closed'),"
		   " sum(due_at <= ?3 AND state = 'closed' AND closed_at <= due_at)"
		 : " 0, 0, 0");
}

int stat_by_rows(struct db *d, const struct stat_opts *o, const struct stat_bounds *b,
		 struct stat_rows *rows)
{
	static const int col[] = { STAT_C_RECEIVED, STAT_C_CLOSED, STAT_C_ONTIME_CLOSED,
				   STAT_C_OVERDUE, STAT_C_DUE, STAT_C_DUE_CLOSED,
				   STAT_C_DUE_ONTIME };
	struct buf sql = BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if (stat_from_facts(o, 1))
		return rows_from_facts(d, o, b, rows);
	by_sql(&sql, o);
	if ((rc = stat_prepare(d, o, b, &sql, o->nkeys == 1 ? " GROUP BY 1" : " GROUP BY 1, 2",
			       &st)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct stat_row *r = rows_add(rows);
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

/* ---- time keys: every period --------------------------------------------------- */

/* Periods are named by the day they start on (days since 1970-01-01 in the
 * store's zone), as SQLite's strftime() names them: "2023-11", "2023-W47"
 * (weeks from Monday; the days before a year's first Monday are its week
 * 00), "2023-11-27"; hours are "00" to "23" of any day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t week_no(int64_t day, int64_t y)
{
	int64_t yday = day - timeparse_days_from_civil(y, 1, 1);
	int64_t wd = ((day + 3) % 7 + 7) % 7;  /* Monday 0: 1970-01-01 was a Thursday */

	return (yday + 7 - wd) / 7;
}

static void period_name(enum stat_time_key tk, int64_t day, char t[16])
{
	int64_t y;
	unsigned m, d;

	timeparse_civil_from_days(day, &y, &m, &d);
	if (tk == STAT_TK_MONTH)
		snprintf(t, 16, "%04d-%02u", (int)y, m);
	else if (tk == STAT_TK_WEEK)
		snprintf(t, 16, "%04d-W%02d", (int)y, (int)week_no(day, y));
	else
		snprintf(t, 16, "%04d-%02u-%02u", (int)y, m, d);
}

static unsigned num(const char *s, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

/* The day a period's name starts on; INT64_MIN when it is no such name. */
static int64_t period_start(enum stat_time_key tk, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int64_t y;

	if (n < 7 || strspn(s, "0123456789") != 4)
		return INT64_MIN;
	y = num(s, 4);
	if (tk == STAT_TK_MONTH && n == 7 && strspn(s + 5, "0123456789") == 2)
		return timeparse_days_from_civil(y, num(s + 5, 2), 1);
	if (tk == STAT_TK_DAY && n == 10 && strspn(s + 8, "0123456789") == 2)
		return timeparse_days_from_civil(y, num(s + 5, 2), num(s + 8, 2));
	if (tk == STAT_TK_WEEK && n == 8 && s[5] == 'W' && strspn(s + 6, "0123456789") == 2) {
		int64_t jan1 = timeparse_days_from_civil(y, 1, 1);
		int64_t monday = jan1 + (7 - ((jan1 + 3) % 7 + 7) % 7) % 7;
		unsigned w = num(s + 6, 2);
		return w == 0 ? jan1 : monday + 7 * (int64_t)(w - 1);
	}
	return INT64_MIN;
}

struct names {
	char **v;               /* a NULL is "no value" */
	size_t n, cap;
};

static void names_add(struct names *nm, const char *s)
{
	XGROW(nm->v, nm->n + 1, nm->cap);
	nm->v[nm->n++] = s ? xstrdup(s) : NULL;
}

static void names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
	memset(nm, 0, sizeof *nm);
}

/* Days a report may list one by one (some 270 years). */
#define DAYS_MAX 100000

/* Every period of key tk from the period of day first to that of day last. */
static void periods_between(enum stat_time_key tk, int64_t first, int64_t last,
			    struct names *out)
{
	char t[16], prev[16] = "";

	if (tk == STAT_TK_HOUR) {
		for (int h = 0; h < 24; h++) {
			snprintf(t, sizeof t, "%02d", h);
			names_add(out, t);
		}
		return;
	}
	if (first == INT64_MIN || last < first || last - first > DAYS_MAX)
		return;
	for (int64_t d = first; d <= last; d++) {
		period_name(tk, d, t);
		if (strcmp(t, prev) != 0)
			names_add(out, t);
		memcpy(prev, t, sizeof t);
	}
}

/* The periods of key ki over a report's bounds (Unix seconds); an open end
 * is the first or last period that the rows have. */
static void periods_of(const struct stat_opts *o, size_t ki, const struct stat_rows *rows,
		       int64_t from, int64_t to, int zone, struct names *out)
{
	enum stat_time_key tk = stat_key_find(o->keys[ki], strlen(o->keys[ki]))->time_key;
	int64_t first = INT64_MIN, last = INT64_MIN;

	if (from != INT64_MIN)
		first = floor_div(from + (int64_t)zone * 60, 86400);
	if (to != INT64_MAX)
		last = floor_div(to - 1 + (int64_t)zone * 60, 86400);
	for (size_t i = 0; i < rows->n && tk != STAT_TK_HOUR; i++) {
		int64_t d = period_start(tk, rows->v[i].k[ki]);
		if (d == INT64_MIN)
			continue;
		if (from == INT64_MIN && (first == INT64_MIN || d < first))
			first = d;
		if (to == INT64_MAX && d > last)
			last = d;
	}
	periods_between(tk, first, last, out);
}

static enum stat_time_key time_key(const struct stat_opts *o, size_t i)
{
	return i < o->nkeys ? stat_key_find(o->keys[i], strlen(o->keys[i]))->time_key
			    : STAT_TK_NONE;
}

/* ---- keys in order ------------------------------------------------------------ */

/* Key values compare by their bytes, which is time order for time keys; no
 * value comes first. */
static int key_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int row_key_cmp(const void *x, const void *y)
{
	const struct stat_row *a = x, *b = y;
	int c = key_cmp(a->k[0], b->k[0]);
	return c ? c : key_cmp(a->k[1], b->k[1]);
}

static void rows_sort_by_keys(struct stat_rows *rows)
{
	if (rows->n)
		qsort(rows->v, rows->n, sizeof *rows->v, row_key_cmp);
}

static struct stat_row *rows_find(const struct stat_rows *rows, size_t n, const char *k0,
				  const char *k1)
{
	struct stat_row key;

	memset(&key, 0, sizeof key);
	key.k[0] = (char *)k0;
	key.k[1] = (char *)k1;
	return n ? bsearch(&key, rows->v, n, sizeof *rows->v, row_key_cmp) : NULL;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- the period compared with ------------------------------------------------ */

/* Name each time key of the rows of the period compared with as the period
 * at the same place in this one (prev: 1 October is 1 November's; yoy:
 * 2022-11 is 2023-11's).  Rows with no such period (31 October) are taken
 * out; their cases are added to *unplaced. */
static void prev_rename(const struct stat_opts *o, struct stat_by_input *in,
			long long *unplaced)
{
	struct stat_rows *p = in->prev;

	for (size_t ki = 0; ki < o->nkeys; ki++) {
		struct names now = { NULL, 0, 0 }, before = { NULL, 0, 0 };
		size_t keep = 0;
		if (!time_key(o, ki))
			continue;
		periods_of(o, ki, in->rows, in->from, in->to, in->zone, &now);
		periods_of(o, ki, p, in->pfrom, in->pto, in->zone, &before);
		for (size_t i = 0; i < p->n; i++) {
			struct stat_row *r = &p->v[i];
			char **at = r->k[ki] && before.n ? bsearch(&r->k[ki], before.v, before.n,
								   sizeof *before.v, str_ptr_cmp)
						      : NULL;
			size_t j = at ? (size_t)(at - before.v) : SIZE_MAX;
			if (r->k[ki] && j < now.n) {
				free(r->k[ki]);
				r->k[ki] = xstrdup(now.v[j]);
			} else if (r->k[ki]) {
				*unplaced += r->c[STAT_C_RECEIVED];
				free(r->k[0]);
				free(r->k[1]);
				continue;
			}
			p->v[keep++] = *r;
		}
		p->n = keep;
		names_free(&now);
		names_free(&before);
	}
}

/* Every row gets the received count of the row with its keys in the period
 * compared with; keys only that period has get a row of their own. */
static void prev_merge(const struct stat_opts *o, struct stat_by_input *in,
		       long long *unplaced)
{
	struct stat_rows *rows = in->rows, *p = in->prev;
	size_t n;

	prev_rename(o, in, unplaced);
	rows_sort_by_keys(rows);
	n = rows->n;
	for (size_t i = 0; i < p->n; i++) {
		const struct stat_row *q = &p->v[i];
		struct stat_row *r = rows_find(rows, n, q->k[0], q->k[1]);
		if (!r) {
			r = rows_add(rows);
			r->k[0] = q->k[0] ? xstrdup(q->k[0]) : NULL;
			r->k[1] = q->k[1] ? xstrdup(q->k[1]) : NULL;
		}
		r->prev = q->c[STAT_C_RECEIVED];
	}
}

/* ---- every period: the zero rows ----------------------------------------------- */

/* The values of key ki that the rows have, each once. */
static void values_seen(const struct stat_rows *rows, size_t ki, struct names *out)
{
	char **v = xcalloc(rows->n + 1, sizeof *v);
	size_t n = 0;
	int null = 0;

	for (size_t i = 0; i < rows->n; i++) {
		if (rows->v[i].k[ki])
			v[n++] = rows->v[i].k[ki];
		else
			null = 1;
	}
	if (n)
		qsort(v, n, sizeof *v, str_ptr_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			names_add(out, v[i]);
	if (null)
		names_add(out, NULL);
	free(v);
}

/* Does key ki list every period?  A time key does, unless both keys are
 * times and neither is the hour (month,day: the pairs the cases have). */
static int fills(const struct stat_opts *o, size_t ki)
{
	enum stat_time_key t = time_key(o, ki), u = time_key(o, 1 - ki);

	return t && !(u && t != STAT_TK_HOUR && u != STAT_TK_HOUR);
}

/* A row of zeros for each period of a time key, with each value of the
 * other key that the rows have. */
static void fill_periods(const struct stat_opts *o, struct stat_by_input *in)
{
	struct names v[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct stat_rows *rows = in->rows;
	size_t n;
	int any = 0;

	for (size_t ki = 0; ki < o->nkeys; ki++) {
		if (fills(o, ki)) {
			periods_of(o, ki, rows, in->from, in->to, in->zone, &v[ki]);
			any = 1;
		} else {
			values_seen(rows, ki, &v[ki]);
		}
	}
	if (o->nkeys == 1)
		names_add(&v[1], NULL);
	rows_sort_by_keys(rows);
	n = rows->n;
	for (size_t i = 0; any && i < v[0].n; i++)
		for (size_t j = 0; j < v[1].n; j++) {
			struct stat_row *r;
			if (rows_find(rows, n, v[0].v[i], v[1].v[j]))
				continue;
			r = rows_add(rows);
			r->k[0] = v[0].v[i] ? xstrdup(v[0].v[i]) : NULL;
			r->k[1] = v[1].v[j] ? xstrdup(v[1].v[j]) : NULL;
		}
	names_free(&v[0]);
	names_free(&v[1]);
}

/* ---- order ------------------------------------------------------------------------ */

static int sk_cmp(const void *x, const void *y)
{
	const double *a = x, *b = y;

	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

struct keyref {
	const char *k;
	size_t row;
	long long total;        /* the cases of the key's value */
	double rank;
};

static int keyref_cmp(const void *x, const void *y)
{
	const struct keyref *a = x, *b = y;
	int c = key_cmp(a->k, b->k);
	return c ? c : (a->row > b->row) - (a->row < b->row);
}

static int keyref_total_cmp(const void *x, const void *y)
{
	const struct keyref *a = x, *b = y;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return (a->rank > b->rank) - (a->rank < b->rank);
}

/* Each row's rank of key ki among the key's values: kr by the values
 * themselves (time order for times), gr in the report's order (times by
 * time, other values by their cases, most first). */
static void rank_key(const struct stat_opts *o, struct stat_rows *rows, size_t ki)
{
	struct keyref *kr = xcalloc(rows->n + 1, sizeof *kr);
	struct keyref *g = xcalloc(rows->n + 1, sizeof *g);    /* per value */
	size_t *place = xcalloc(rows->n + 1, sizeof *place);  /* value -> place */
	size_t nd = 0;

	for (size_t i = 0; i < rows->n; i++)
		kr[i] = (struct keyref){ rows->v[i].k[ki], i, 0, 0 };
	qsort(kr, rows->n, sizeof *kr, keyref_cmp);
	for (size_t i = 0; i < rows->n; i++) {
		if (i > 0 && key_cmp(kr[i].k, kr[i - 1].k) != 0)
			nd++;
		rows->v[kr[i].row].kr[ki] = (double)nd;
		g[nd].rank = (double)nd;
		g[nd].total += rows->v[kr[i].row].c[STAT_C_RECEIVED];
	}
	nd += rows->n > 0;
	if (!time_key(o, ki))
		qsort(g, nd, sizeof *g, keyref_total_cmp);
	for (size_t d = 0; d < nd; d++)
		place[(size_t)g[d].rank] = d;
	for (size_t i = 0; i < rows->n; i++)
		rows->v[i].gr[ki] = (double)place[(size_t)rows->v[i].kr[ki]];
	free(kr);
	free(g);
	free(place);
}

/* A rate of a row over the basis --denominator names, or NAN. */
static double row_rate(const struct stat_opts *o, const struct stat_row *r, int ontime)
{
	int due = o->basis == STAT_BASIS_DUE;
	long long num = ontime ? r->c[due ? STAT_C_DUE_ONTIME : STAT_C_ONTIME_CLOSED]
			       : r->c[due ? STAT_C_DUE_CLOSED : STAT_C_CLOSED];
	long long den = r->c[due ? STAT_C_DUE : STAT_C_RECEIVED];

	return den ? (double)num / (double)den : NAN;
}

/* The value of a column of a row, as --sort compares it; NAN: none. */
static double sort_value(const struct stat_opts *o, const struct stat_row *r,
			 const char *col, int no_base)
{
	long long now = r->c[STAT_C_RECEIVED];

	for (size_t i = 0; i < o->nkeys; i++)
		if (strcmp(col, o->keys[i]) == 0)
			return r->kr[i];
	if (strcmp(col, "received") == 0)
		return (double)now;
	if (strcmp(col, "closed") == 0)
		return (double)r->c[STAT_C_CLOSED];
	if (strcmp(col, "overdue") == 0)
		return (double)r->c[STAT_C_OVERDUE];
	if (strcmp(col, "closure_rate") == 0 || strcmp(col, "ontime_closure_rate") == 0)
		return row_rate(o, r, col[0] == 'o');
	if (strcmp(col, "previous_received") == 0)
		return (double)r->prev;
	if (no_base)
		return NAN;
	if (strcmp(col, "change") == 0)
		return (double)(now - r->prev);
	return r->prev ? (double)(now - r->prev) / (double)r->prev : NAN;
}

/* The rows in the report's order: --sort's column (no value last), ties
 * by the keys; else time keys by time with the other key's values by
 * their cases; else most cases first, ties by the keys. */
static void rows_order(const struct stat_opts *o, struct stat_rows *rows, int no_base)
{
	const char *col = o->sort && o->sort[0] == '-' ? o->sort + 1 : o->sort;
	int desc = o->sort && o->sort[0] == '-';
	int timed = time_key(o, 0) || time_key(o, 1);

	for (size_t i = 0; i < rows->n; i++) {
		struct stat_row *r = &rows->v[i];
		if (col) {
			double v = sort_value(o, r, col, no_base);
			r->sk[0] = isnan(v) ? INFINITY : desc ? -v : v;
			r->sk[1] = r->kr[0];
			r->sk[2] = r->kr[1];
		} else if (timed) {
			r->sk[0] = r->gr[0];
			r->sk[1] = r->gr[1];
			r->sk[2] = 0;
		} else {
			r->sk[0] = -(double)r->c[STAT_C_RECEIVED];
			r->sk[1] = r->kr[0];
			r->sk[2] = r->kr[1];
		}
	}
	if (rows->n)
		qsort(rows->v, rows->n, sizeof *rows->v, sk_cmp);
}

/* --top N: only the N rows with the most cases; 1 when rows were left out. */
static int rows_top(const struct stat_opts *o, struct stat_rows *rows)
{
	if (o->top <= 0 || (size_t)o->top >= rows->n)
		return 0;
	for (size_t i = 0; i < rows->n; i++) {
		struct stat_row *r = &rows->v[i];
		r->sk[0] = -(double)r->c[STAT_C_RECEIVED];
		r->sk[1] = r->kr[0];
		r->sk[2] = r->kr[1];
	}
	qsort(rows->v, rows->n, sizeof *rows->v, sk_cmp);
	for (size_t i = (size_t)o->top; i < rows->n; i++) {
		free(rows->v[i].k[0]);
		free(rows->v[i].k[1]);
	}
	rows->n = (size_t)o->top;
	return 1;
}

/* ---- a report by keys ------------------------------------------------------------- */

/* The columns of a report by keys. */
static size_t by_columns(const struct stat_opts *o, int compare, struct out_col *cols)
{
	static const struct out_col counts[] = {
		{ "received", OUT_NUM, "受理" }, { "closed", OUT_NUM, "结案" },
		{ "closure_rate", OUT_RATE, "结案率" },
		{ "ontime_closure_rate", OUT_RATE, "按期结案率" },
		{ "overdue", OUT_NUM, "超期" },
	};
	static const struct out_col changes[] = {
		{ "previous_received", OUT_NUM, "上期受理" }, { "change", OUT_NUM, "增减" },
		{ "change_pct", OUT_RATE, "增减率" },
	};
	size_t nc = 0;

	for (size_t i = 0; i < o->nkeys; i++) {
		const struct stat_key *k = stat_key_find(o->keys[i], strlen(o->keys[i]));
		cols[nc++] = (struct out_col){ k->name, OUT_STR, k->zh };
	}
	for (size_t i = 0; i < ARRAY_SIZE(counts); i++)
		cols[nc++] = counts[i];
	for (size_t i = 0; compare && i < ARRAY_SIZE(changes); i++)
		cols[nc++] = changes[i];
	return nc;
}

/* The text of a report-by row's figures, into rc[]; their pointers into v. */
struct by_cells {
	char rc[8][32];
	const char *v[10];
	size_t k;
};

static void by_counts(struct by_cells *c, const struct stat_opts *o,
		      const struct stat_row *r, int json)
{
	double rate = row_rate(o, r, 0), ontime = row_rate(o, r, 1);

	snprintf(c->rc[0], 32, "%lld", r->c[STAT_C_RECEIVED]);
	snprintf(c->rc[1], 32, "%lld", r->c[STAT_C_CLOSED]);
	stat_fmt_metric(c->rc[2], 32, 1, rate, json);
	stat_fmt_metric(c->rc[3], 32, 1, ontime, json);
	snprintf(c->rc[4], 32, "%lld", r->c[STAT_C_OVERDUE]);
	c->v[c->k++] = c->rc[0];
	c->v[c->k++] = c->rc[1];
	c->v[c->k++] = json && isnan(rate) ? NULL : c->rc[2];
	c->v[c->k++] = json && isnan(ontime) ? NULL : c->rc[3];
	c->v[c->k++] = c->rc[4];
}

/* previous_received, change and change_pct; no change when the period
 * compared with has no case at all (no_base). */
static void by_change(struct by_cells *c, long long now, long long p, int no_base, int json)
{
	int pct = !no_base && p;

	snprintf(c->rc[5], 32, "%lld", p);
	if (no_base)
		snprintf(c->rc[6], 32, "-");
	else
		snprintf(c->rc[6], 32, json ? "%lld" : "%+lld", now - p);
	if (pct && json)
		out_fixed((double)(now - p) / (double)p, 4, c->rc[7]);
	else if (pct)
		snprintf(c->rc[7], 32, "%+.1f%%", (double)(now - p) / (double)p * 100);
	else
		snprintf(c->rc[7], 32, "-");
	c->v[c->k++] = c->rc[5];
	c->v[c->k++] = json && no_base ? NULL : c->rc[6];
	c->v[c->k++] = json && !pct ? NULL : c->rc[7];
}

/* A key's value as --lang says: under zh, a state, a kind or a basis in
 * Chinese (已结案, 部件); the names of categories, units, streets are
 * Chinese already. */
static const char *key_label(const struct out *out, const char *key, const char *v)
{
	int st;

	if (!v || !(out_flags(out) & OUT_F_ZH))
		return v;
	if (strcmp(key, "state") == 0 && (st = case_state_parse(v, strlen(v))) >= 0)
		return case_states[st].zh;
	if (strcmp(key, "kind") == 0)
		return strcmp(v, "component") == 0 ? "部件" : strcmp(v, "event") == 0 ? "事件" : v;
	return v;
}

/* The total row's label: 合计 under zh, else both. */
/* The rows, then (table, md) their total, whose previous_received is
 * ptotal; 0 (a write error is the caller's out_close() to report). */
static int by_write(struct out *out, const struct stat_opts *o, const struct stat_rows *rows,
		    int compare, long long ptotal, int no_base)
{
	enum out_format f = out_fmt(out);
	int json = f == OUT_JSON || f == OUT_JSONL;
	int with_total = f == OUT_TABLE || f == OUT_MD || (out_flags(out) & OUT_F_WANT_TOTAL);
	struct out_col cols[10];
	struct stat_row total;

	out_columns(out, cols, by_columns(o, compare, cols));
	memset(&total, 0, sizeof total);
	total.k[0] = (char *)out_total_label(out);
	total.prev = ptotal;
	for (size_t i = 0; i < rows->n + with_total; i++) {
		const struct stat_row *r = i < rows->n ? &rows->v[i] : &total;
		struct by_cells c;
		c.k = 0;
		for (size_t j = 0; j < o->nkeys; j++)
			c.v[c.k++] = i == rows->n && j > 0 ? NULL
				     : i == rows->n ? r->k[j] : key_label(out, o->keys[j], r->k[j]);
		for (size_t q = 0; i < rows->n && q < STAT_C_N; q++)
			total.c[q] += r->c[q];
		by_counts(&c, o, r, json);
		if (compare)
			by_change(&c, r->c[STAT_C_RECEIVED], r->prev, no_base, json);
		if ((i < rows->n ? out_row(out, c.v, NULL) : out_total(out, c.v, NULL)) < 0)
			break;
	}
	return 0;
}

/* ---- pivot -------------------------------------------------------------------------- */

/* Key 0's values down, key 1's across, the cases received in each cell. */
struct pivot {
	size_t nr, nc;
	long long *cell;        /* nr x nc, by the values' ranks kr */
	const char **rname, **cname;
	double *rgr;            /* each row value's place in the report's order */
	size_t *corder;         /* the columns in the report's order */
};

struct pivot_row {
	double sk[3];
	size_t r;
	long long total;
};

static void pivot_build(const struct stat_rows *rows, struct pivot *pv)
{
	double *cgr;
	struct keyref *co;

	memset(pv, 0, sizeof *pv);
	for (size_t i = 0; i < rows->n; i++) {
		if ((size_t)rows->v[i].kr[0] + 1 > pv->nr)
			pv->nr = (size_t)rows->v[i].kr[0] + 1;
		if ((size_t)rows->v[i].kr[1] + 1 > pv->nc)
			pv->nc = (size_t)rows->v[i].kr[1] + 1;
	}
	pv->cell = xcalloc(pv->nr * pv->nc + 1, sizeof *pv->cell);
	pv->rname = xcalloc(pv->nr + 1, sizeof *pv->rname);
	pv->cname = xcalloc(pv->nc + 1, sizeof *pv->cname);
	pv->rgr = xcalloc(pv->nr + 1, sizeof *pv->rgr);
	pv->corder = xcalloc(pv->nc + 1, sizeof *pv->corder);
	cgr = xcalloc(pv->nc + 1, sizeof *cgr);
	for (size_t i = 0; i < rows->n; i++) {
		const struct stat_row *r = &rows->v[i];
		size_t a = (size_t)r->kr[0], b = (size_t)r->kr[1];
		pv->cell[a * pv->nc + b] += r->c[STAT_C_RECEIVED];
		pv->rname[a] = r->k[0];
		pv->cname[b] = r->k[1];
		pv->rgr[a] = r->gr[0];
		cgr[b] = r->gr[1];
	}
	co = xcalloc(pv->nc + 1, sizeof *co);
	for (size_t j = 0; j < pv->nc; j++)
		co[j] = (struct keyref){ NULL, j, 0, cgr[j] };
	qsort(co, pv->nc, sizeof *co, keyref_total_cmp);  /* totals all 0: by rank */
	for (size_t j = 0; j < pv->nc; j++)
		pv->corder[j] = co[j].row;
	free(co);
	free(cgr);
}

static void pivot_free(struct pivot *pv)
{
	free(pv->cell);
	free(pv->rname);
	free(pv->cname);
	free(pv->rgr);
	free(pv->corder);
}

static const char *pivot_col_name(const struct pivot *pv, size_t j)
{
	return pv->cname[j] ? pv->cname[j] : "(none)";
}

/* The rows in order (--top, --sort); *n of them.  NULL with 64 after a
 * message when --sort names no column. */
static struct pivot_row *pivot_order(const struct stat_opts *o, const struct pivot *pv,
				     size_t *n, int *status)
{
	const char *col = o->sort && o->sort[0] == '-' ? o->sort + 1 : o->sort;
	struct pivot_row *pr = xcalloc(pv->nr + 1, sizeof *pr);
	size_t cj = SIZE_MAX;

	if (col && strcmp(col, o->keys[0]) != 0 && strcmp(col, "total") != 0) {
		for (size_t j = 0; j < pv->nc && cj == SIZE_MAX; j++)
			if (strcmp(col, pivot_col_name(pv, j)) == 0)
				cj = j;
		if (cj == SIZE_MAX) {
			msg_err("--sort '%s': no such column (%s, total, or a %s that has cases)",
				o->sort, o->keys[0], o->keys[1]);
			free(pr);
			*status = msg_usage_hint();
			return NULL;
		}
	}
	*n = pv->nr;
	for (size_t r = 0; r < pv->nr; r++) {
		pr[r].r = r;
		for (size_t j = 0; j < pv->nc; j++)
			pr[r].total += pv->cell[r * pv->nc + j];
		pr[r].sk[0] = -(double)pr[r].total;
		pr[r].sk[1] = (double)r;
	}
	if (o->top > 0 && (size_t)o->top < *n) {
		qsort(pr, *n, sizeof *pr, sk_cmp);
		*n = (size_t)o->top;
	}
	for (size_t i = 0; i < *n; i++) {
		double v = !col ? pv->rgr[pr[i].r] : cj != SIZE_MAX
			   ? (double)pv->cell[pr[i].r * pv->nc + cj]
			   : strcmp(col, "total") == 0 ? (double)pr[i].total : (double)pr[i].r;
		pr[i].sk[0] = o->sort && o->sort[0] == '-' ? -v : v;
		pr[i].sk[1] = (double)pr[i].r;
	}
	qsort(pr, *n, sizeof *pr, sk_cmp);
	return pr;
}

static void pivot_columns(struct out *out, const struct stat_opts *o, const struct pivot *pv)
{
	const struct stat_key *k = stat_key_find(o->keys[0], strlen(o->keys[0]));
	struct out_col *cols = xcalloc(pv->nc + 2, sizeof *cols);

	cols[0] = (struct out_col){ k->name, OUT_STR, k->zh };
	for (size_t j = 0; j < pv->nc; j++) {
		const char *name = pivot_col_name(pv, pv->corder[j]);
		cols[1 + j] = (struct out_col){ name, OUT_NUM, key_label(out, o->keys[1], name) };
	}
	cols[pv->nc + 1] = (struct out_col){ "total", OUT_NUM, "合计" };
	out_columns(out, cols, pv->nc + 2);
	free(cols);
}

/* The cross-tab, then (table, md) its total row. */
static int print_pivot(struct out *out, const struct stat_opts *o, const struct stat_rows *rows)
{
	enum out_format f = out_fmt(out);
	int with_total = f == OUT_TABLE || f == OUT_MD || (out_flags(out) & OUT_F_WANT_TOTAL);
	int st = 0;
	struct pivot pv;
	struct pivot_row *pr;
	size_t n, nc;
	const char **v;
	char (*t)[24];
	long long *sum;

	pivot_build(rows, &pv);
	if (!(pr = pivot_order(o, &pv, &n, &st)))
		goto out;
	pivot_columns(out, o, &pv);
	nc = pv.nc + 2;
	v = xcalloc(nc, sizeof *v);
	t = xcalloc(nc, sizeof *t);
	sum = xcalloc(nc, sizeof *sum);
	for (size_t i = 0; i < n + with_total; i++) {
		for (size_t j = 1; j < nc; j++) {
			long long x = i == n ? sum[j] : j == nc - 1 ? pr[i].total
				      : pv.cell[pr[i].r * pv.nc + pv.corder[j - 1]];
			sum[j] += i < n ? x : 0;
			snprintf(t[j], sizeof t[j], "%lld", x);
			v[j] = t[j];
		}
		v[0] = i < n ? key_label(out, o->keys[0], pv.rname[pr[i].r]) : out_total_label(out);
		if ((i < n ? out_row(out, v, NULL) : out_total(out, v, NULL)) < 0)
			break;
	}
	free(v);
	free(t);
	free(sum);
	free(pr);
out:
	pivot_free(&pv);
	return st;
}

/* ---- the report ------------------------------------------------------------------- */

int stat_by_print(struct out *out, const struct stat_opts *o, struct stat_by_input *in)
{
	long long unplaced = 0, ptotal = 0;
	int no_base = 0;

	if (in->prev) {
		for (size_t i = 0; i < in->prev->n; i++)
			ptotal += in->prev->v[i].c[STAT_C_RECEIVED];
		if ((no_base = ptotal == 0) != 0)
			msg_warn("no cases from %s to compare with: no change shown", in->prev_name);
		prev_merge(o, in, &unplaced);
	}
	fill_periods(o, in);
	for (size_t ki = 0; ki < o->nkeys; ki++)
		rank_key(o, in->rows, ki);
	if (o->pivot)
		return print_pivot(out, o, in->rows);
	if (rows_top(o, in->rows)) {
		ptotal = 0;
		for (size_t i = 0; i < in->rows->n; i++)
			ptotal += in->rows->v[i].prev;
	}
	rows_order(o, in->rows, no_base);
	return by_write(out, o, in->rows, in->prev != NULL, ptotal, no_base);
}
