#include "common.h"

#include <limits.h>

#include <sqlite3.h>

#include "case/case.h"
#include "case/facts.h"
#include "msg.h"
#include "timeparse.h"

static int64_t time_of(sqlite3_stmt *st, int col, const struct timeparse_opts *tpo)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	int64_t t;
	if (!s || timeparse_parse(s, (size_t)sqlite3_column_bytes(st, col), tpo, &t, NULL) < 0)
		return FACT_NONE;
	return t;
}

/* a <= b as times in the store's text, where NULL is never before anything */
static int le(const char *a, const char *b)
{
	return a && b && strcmp(a, b) <= 0;
}

void facts_from_row(sqlite3_stmt *st, int zone_min, struct fact *f,
		   const char **category)
{
	struct timeparse_opts tpo = { NULL, zone_min };
	const char *state = (const char *)sqlite3_column_text(st, 0);
	const char *hand = (const char *)sqlite3_column_text(st, 3);
	const char *clo = (const char *)sqlite3_column_text(st, 4);
	const char *due = (const char *)sqlite3_column_text(st, 5);
	const char *done = hand ? hand : clo;
	int known = state ? case_state_parse(state, strlen(state)) : -1;
	uint32_t fl = known < 0 ? CASE_VOID : (uint32_t)known;

	if (sqlite3_column_type(st, 1) != SQLITE_NULL)
		fl |= FACT_REGISTERED_AT;
	if (sqlite3_column_type(st, 2) != SQLITE_NULL)
		fl |= FACT_DISPATCHED_AT;
	if (hand)
		fl |= FACT_HANDLED_AT;
	if (sqlite3_column_int(st, 6) != 0)
		fl |= FACT_SELF;
	if (sqlite3_column_int64(st, 7) > 0)
		fl |= FACT_REWORKED;
	if (sqlite3_column_int64(st, 8) > 0)
		fl |= FACT_POSTPONED;
	if (!due || le(clo, due))
		fl |= FACT_CLOSED_ONTIME;
	if (done && (!due || le(done, due)))
		fl |= FACT_DONE_ONTIME;
	f->flags = fl;
	f->reported = time_of(st, 9, &tpo);
	f->closed = time_of(st, 4, &tpo);
	f->due = time_of(st, 5, &tpo);
	f->cat = FACT_NO_CATEGORY;
	*category = (const char *)sqlite3_column_text(st, 10);
}

/* ---- a month, built ---------------------------------------------------------- */

/* A month's facts; the buffers serve every month of a run, so that a year
 * costs no more allocations (and page faults) than its largest month. */
struct month_buf {
	struct fact_month m;
	struct fact *v;           /* built from cases */
	size_t cap, catcap;
	unsigned char *raw;       /* a blob, read whole */
	size_t rawcap;
};

static void month_clear(struct month_buf *b)
{
	for (size_t i = 0; i < b->m.ncats; i++)
		free(b->m.cats[i]);
	b->m.ncats = 0;
	b->m.n = 0;
	b->m.v = NULL;
}

static void month_free(struct month_buf *b)
{
	month_clear(b);
	free(b->m.cats);
	free(b->v);
	free(b->raw);
}

static uint32_t category_index(struct month_buf *b, const char *name)
{
	if (!name)
		return FACT_NO_CATEGORY;
	/* a county's categories are a handful: the last one found is the
	 * likeliest next */
	for (size_t i = b->m.ncats; i-- > 0;)
		if (strcmp(b->m.cats[i], name) == 0)
			return (uint32_t)i;
	XGROW(b->m.cats, b->m.ncats + 1, b->catcap);
	b->m.cats[b->m.ncats] = xstrdup(name);
	return (uint32_t)b->m.ncats++;
}

static int month_build(struct db *d, const char *month, struct month_buf *b)
{
	/* reported_month = month, as a range of the indexed reported_at:
	 * from the month to the month with its last byte one higher, the
	 * same rows for any text */
	sqlite3_stmt *st = db_stmt(d, "SELECT " FACT_COLUMNS
				   " FROM cases WHERE reported_at >= ?1 AND reported_at < ?2");
	int rc, zone = db_zone_min(d);
	char next[16];

	if (!st)
		return db_fail(d, d->path);
	/* month is ours, "2023-03": its last byte is a digit */
	snprintf(next, sizeof next, "%s", month);
	next[strlen(next) - 1]++;
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, next, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cat;
		XGROW(b->v, b->m.n + 1, b->cap);
		facts_from_row(st, zone, &b->v[b->m.n], &cat);
		b->v[b->m.n].cat = category_index(b, cat);
		b->m.n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, d->path);
	b->m.v = b->v;
	return 0;
}

/* ---- a month, as a blob ------------------------------------------------------- */

/* magic, byte order mark, zone, number of facts, number of categories; then
 * each category as a 32-bit length and its bytes; then zero bytes to a
 * multiple of 8; then the facts */
static const char blob_magic[8] = "CYFACT1";
#define BLOB_BOM 0x01020304u
#define BLOB_HDR 24

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void *blob_of(const struct fact_month *m, int zone, size_t *len)
{
	size_t n = BLOB_HDR, off;
	uint32_t h[4] = { BLOB_BOM, (uint32_t)zone, (uint32_t)m->n, (uint32_t)m->ncats };
	unsigned char *p;

	for (size_t i = 0; i < m->ncats; i++)
		n += 4 + strlen(m->cats[i]);
	off = pad8(n);
	*len = off + m->n * sizeof *m->v;
	p = xcalloc(1, *len);
	memcpy(p, blob_magic, 8);
	memcpy(p + 8, h, sizeof h);
	n = BLOB_HDR;
	for (size_t i = 0; i < m->ncats; i++) {
		uint32_t l = (uint32_t)strlen(m->cats[i]);
		memcpy(p + n, &l, 4);
		memcpy(p + n + 4, m->cats[i], l);
		n += 4 + l;
	}
	memcpy(p + off, m->v, m->n * sizeof *m->v);
	return p;
}

/* The month of the blob in b->raw (len bytes), into b->m; -1 when it is not
 * one this build wrote for this store. */
static int blob_parse(struct month_buf *b, size_t len, int zone)
{
	const unsigned char *p = b->raw;
	uint32_t h[4];
	size_t off = BLOB_HDR;

	if (len < BLOB_HDR || memcmp(p, blob_magic, 8) != 0)
		return -1;
	memcpy(h, p + 8, sizeof h);
	if (h[0] != BLOB_BOM || (int32_t)h[1] != zone)
		return -1;
	for (uint32_t i = 0; i < h[3]; i++) {
		uint32_t l;
		if (len - off < 4)
			return -1;
		memcpy(&l, p + off, 4);
		if (len - off - 4 < l)
			return -1;
		XGROW(b->m.cats, b->m.ncats + 1, b->catcap);
		b->m.cats[b->m.ncats++] = xstrndup((const char *)p + off + 4, l);
		off += 4 + l;
	}
	off = pad8(off);
	if (off > len || (len - off) % sizeof(struct fact) != 0 ||
	    (len - off) / sizeof(struct fact) != h[2])
		return -1;
	/* malloc's alignment and the padding to 8 align the facts */
	b->m.v = (const struct fact *)(const void *)(p + off);
	b->m.n = h[2];
	for (size_t i = 0; i < b->m.n; i++)
		if (b->m.v[i].cat != FACT_NO_CATEGORY && b->m.v[i].cat >= b->m.ncats)
			return -1;
	return 0;
}

/* 1 when the store holds the month's facts (now in b), 0 when not, or minus
 * an exit code.  The blob is read straight into b->raw, not through a
 * result column, which would copy it once more. */
static int month_cached(struct db *d, const char *month, struct month_buf *b)
{
	sqlite3_stmt *st = db_stmt(d, "SELECT rowid, length(facts) FROM stat_months"
				   " WHERE month = ?1");
	sqlite3_blob *bl = NULL;
	sqlite3_int64 rowid = 0;
	size_t len = 0;
	int rc;

	if (!st)
		return -db_fail(d, d->path);
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rowid = sqlite3_column_int64(st, 0);
		len = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || len == 0 || len > INT_MAX)
		return 0;
	if (rc != SQLITE_ROW)
		return -db_fail(d, d->path);
	if (len > b->rawcap) {
		free(b->raw);
		b->raw = xmalloc(len);
		b->rawcap = len;
	}
	rc = sqlite3_blob_open(d->h, "main", "stat_months", "facts", rowid, 0, &bl);
	if (rc == SQLITE_OK)
		rc = sqlite3_blob_read(bl, b->raw, (int)len, 0);
	sqlite3_blob_close(bl);
	if (rc != SQLITE_OK)
		return -db_fail(d, d->path);
	if (blob_parse(b, len, db_zone_min(d)) == 0)
		return 1;
	month_clear(b);
	return 0;
}

/* Keep a month built from cases.  0 when kept; else the store is busy with
 * another writer, has changed since this snapshot, or cannot be written:
 * the caller stops trying for this run. */
static int month_keep(struct db *d, const struct fact_month *m)
{
	sqlite3_stmt *st = db_stmt(d, "INSERT OR REPLACE INTO stat_months(month, built_at, facts)"
				   " VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2)");
	size_t len;
	void *blob;
	int rc;

	if (!st)
		return -1;
	blob = blob_of(m, db_zone_min(d), &len);
	sqlite3_bind_text(st, 1, m->month, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 2, blob, len, free);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		msg_verb("month %s not kept: %s", m->month, sqlite3_errstr(rc));
	return rc == SQLITE_DONE ? 0 : -1;
}

/* "YYYY-MM..." -> year * 12 + month - 1; the bounds come from timeparse_format */
static int month_no(const char *s)
{
	int y = 0;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	return y * 12 + (s[5] - '0') * 10 + (s[6] - '0') - 1;
}

int facts_each_month(struct db *d, const char *from, const char *to,
		     fact_month_fn *fn, void *ctx)
{
	int st = 0, keep = 1, tried = 0, kept = 0;
	int last = month_no(to);
	struct month_buf b;

	if (db_exec(d, "BEGIN") != SQLITE_OK)
		return db_fail(d, d->path);
	memset(&b, 0, sizeof b);
	for (int mn = month_no(from); mn < last; mn++) {
		char month[16];
		int found;

		snprintf(month, sizeof month, "%04d-%02d", mn / 12 % 10000, mn % 12 + 1);
		if ((found = month_cached(d, month, &b)) < 0) {
			st = -found;
			break;
		}
		if (!found && (st = month_build(d, month, &b)) != 0)
			break;
		memcpy(b.m.month, month, sizeof b.m.month - 1);
		b.m.monthno = mn;
		fn(ctx, &b.m);
		if (!found && keep && b.m.n) {
			/* never wait for a lock here: a writer at work will
			 * change the months anyway */
			if (!tried++)
				db_busy_wait(d, 0);
			if (month_keep(d, &b.m) == 0)
				kept++;
			else
				keep = 0;
		}
		month_clear(&b);
	}
	month_free(&b);
	if (tried)
		db_busy_wait(d, 1);
	if (st == 0 && kept && db_commit(d) != SQLITE_OK)
		msg_verb("months not kept: %s", sqlite3_errmsg(d->h));
	db_rollback(d);
	return st;
}
