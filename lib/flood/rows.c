/*
 * rows.c - new readings, written a block at a time by a thread of their
 * own (see rows.h).
 */
#include "common.h"

#include <pthread.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "flood/rows.h"

#define MODULE "flood_rows"

struct row {
	const char *station;
	const char *bad;
	double cm;
	size_t qoff, qlen;      /* in quality; qlen 0: NULL */
	char at[20];
};

struct block {
	struct row *v;
	size_t n;
	struct buf quality;
	sqlite3_int64 batch;
};

struct flood_rows {
	struct db *db;
	sqlite3_stmt *ins;      /* its own: finalized before the module goes */
	struct block blk[2];
	struct block *fill;     /* the block being filled */
	const struct block *cur;  /* the block the INSERT reads */
	sqlite3_int64 batch;
	/* the writer: it has the store while todo is set, the caller else */
	pthread_t th;
	int started, stop, failed;
	char why[96];           /* a failure SQLite did not report */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct block *todo;
};

/* ---- the virtual table over the block ------------------------------------ */

struct vtab {
	sqlite3_vtab base;
	const struct flood_rows *b;     /* the module's client data */
};

struct cursor {
	sqlite3_vtab_cursor base;
	const struct block *k;          /* the block being written */
	size_t i;
};

enum { C_STATION, C_AT, C_LEVEL, C_QUALITY, C_BAD };

static int vt_connect(sqlite3 *h, void *aux, int argc, const char *const *argv,
		      sqlite3_vtab **out, char **err)
{
	struct vtab *t;
	int rc;

	(void)argc;
	(void)argv;
	(void)err;
	rc = sqlite3_declare_vtab(h, "CREATE TABLE x(station TEXT, at TEXT, level_cm REAL,"
				  " quality TEXT, bad TEXT)");
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(h, SQLITE_VTAB_DIRECTONLY);
	if (!(t = sqlite3_malloc(sizeof *t)))
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	t->b = aux;
	*out = &t->base;
	return SQLITE_OK;
}

static int vt_best_index(sqlite3_vtab *t, sqlite3_index_info *ii)
{
	(void)t;
	ii->estimatedCost = FLOOD_ROWS_MAX;
	ii->estimatedRows = FLOOD_ROWS_MAX;
	return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct cursor *c = sqlite3_malloc(sizeof *c);

	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	c->k = ((struct vtab *)t)->b->cur;
	*out = &c->base;
	return SQLITE_OK;
}

static int vt_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int vt_filter(sqlite3_vtab_cursor *vc, int idx, const char *idxs, int argc,
		     sqlite3_value **argv)
{
	struct cursor *c = (struct cursor *)vc;

	(void)idx;
	(void)idxs;
	(void)argc;
	(void)argv;
	c->i = 0;
	return SQLITE_OK;
}

static int vt_next(sqlite3_vtab_cursor *vc)
{
	((struct cursor *)vc)->i++;
	return SQLITE_OK;
}

static int vt_eof(sqlite3_vtab_cursor *vc)
{
	const struct cursor *c = (const struct cursor *)vc;
	return c->i >= c->k->n;
}

static int vt_column(sqlite3_vtab_cursor *vc, sqlite3_context *cx, int col)
{
	const struct cursor *c = (const struct cursor *)vc;
	const struct row *r = &c->k->v[c->i];

	switch (col) {
	case C_STATION:
		sqlite3_result_text(cx, r->station, -1, SQLITE_STATIC);
		break;
	case C_AT:
		sqlite3_result_text(cx, r->at, 19, SQLITE_STATIC);
		break;
	case C_LEVEL:
		sqlite3_result_double(cx, r->cm);
		break;
	case C_QUALITY:
		if (r->qlen)
			sqlite3_result_text(cx, c->k->quality.s + r->qoff, (int)r->qlen,
					    SQLITE_STATIC);
		break;
	case C_BAD:
		if (r->bad)
			sqlite3_result_text(cx, r->bad, -1, SQLITE_STATIC);
		break;
	default:
		break;
	}
	return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *id)
{
	*id = (sqlite3_int64)((const struct cursor *)vc)->i;
	return SQLITE_OK;
}

static const sqlite3_module module = {
	.xConnect = vt_connect,
	.xBestIndex = vt_best_index,
	.xDisconnect = vt_disconnect,
	.xOpen = vt_open,
	.xClose = vt_close,
	.xFilter = vt_filter,
	.xNext = vt_next,
	.xEof = vt_eof,
	.xColumn = vt_column,
	.xRowid = vt_rowid,
};

/* ---- writing ------------------------------------------------------------- */

static const char sql_insert[] =
	"INSERT OR IGNORE INTO readings(station, at, level_cm, quality, batch_id, bad)"
	" SELECT station, at, level_cm, quality, ?1, bad FROM " MODULE;

/* One block into the store, and empty it: 0, or -1 (sqlite3_errmsg says). */
static int write_block(struct flood_rows *b, struct block *k)
{
	sqlite3_stmt *q = b->ins;
	int rc = SQLITE_DONE;

	if (k->n) {
		b->cur = k;
		sqlite3_bind_int64(q, 1, k->batch);
		rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc == SQLITE_DONE && (size_t)sqlite3_changes(b->db->h) != k->n) {
			snprintf(b->why, sizeof b->why, "%zu of %zu new readings not stored "
				 "(already there, or a trigger skipped them)", k->n - (size_t)sqlite3_changes(b->db->h),
				 k->n);
			rc = SQLITE_INTERNAL;
		}
	}
	k->n = 0;
	buf_reset(&k->quality);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void *writer_main(void *arg)
{
	struct flood_rows *b = arg;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		struct block *k;
		int rc;
		while (!b->todo && !b->stop)
			pthread_cond_wait(&b->cv, &b->mu);
		if (!b->todo)
			break;
		k = b->todo;
		pthread_mutex_unlock(&b->mu);
		rc = write_block(b, k);
		pthread_mutex_lock(&b->mu);
		if (rc < 0)
			b->failed = 1;
		b->todo = NULL;
		pthread_cond_broadcast(&b->cv);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int flood_rows_sync(struct flood_rows *b)
{
	int failed;

	if (!b->started)
		return b->failed ? -1 : 0;
	pthread_mutex_lock(&b->mu);
	while (b->todo)
		pthread_cond_wait(&b->cv, &b->mu);
	failed = b->failed;
	pthread_mutex_unlock(&b->mu);
	return failed ? -1 : 0;
}

/* The full block to the writer (started on the first one), the other to
 * fill; without a thread, written here. */
static int hand_over(struct flood_rows *b)
{
	struct block *k = b->fill;

	if (flood_rows_sync(b) < 0)
		return -1;
	if (!b->started && pthread_create(&b->th, NULL, writer_main, b) == 0)
		b->started = 1;
	b->fill = k == &b->blk[0] ? &b->blk[1] : &b->blk[0];
	if (!b->started) {
		b->failed = write_block(b, k) < 0;
		return b->failed ? -1 : 0;
	}
	pthread_mutex_lock(&b->mu);
	b->todo = k;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return 0;
}

/* ---- the API ---------------------------------------------------------------- */

struct flood_rows *flood_rows_new(struct db *d)
{
	struct flood_rows *b = xcalloc(1, sizeof *b);

	b->db = d;
	for (int i = 0; i < 2; i++)
		b->blk[i].v = xreallocarray(NULL, FLOOD_ROWS_MAX, sizeof *b->blk[i].v);
	b->fill = &b->blk[0];
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	if (sqlite3_create_module_v2(d->h, MODULE, &module, b, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, sql_insert, -1, &b->ins, NULL) != SQLITE_OK) {
		flood_rows_free(b);
		return NULL;
	}
	return b;
}

void flood_rows_start(struct flood_rows *b, sqlite3_int64 batch)
{
	b->batch = batch;
}

int flood_rows_add(struct flood_rows *b, const char *station, const char *at,
		   double cm, const char *quality, size_t qlen, const char *bad)
{
	struct block *k = b->fill;
	struct row *r = &k->v[k->n++];

	r->station = station;
	memcpy(r->at, at, 19);
	r->at[19] = '\0';
	r->cm = cm;
	r->bad = bad;
	r->qoff = k->quality.len;
	r->qlen = quality ? qlen : 0;
	if (r->qlen)
		buf_add(&k->quality, quality, qlen);
	k->batch = b->batch;
	return k->n == FLOOD_ROWS_MAX ? hand_over(b) : 0;
}

int flood_rows_flush(struct flood_rows *b)
{
	struct block *k = b->fill;

	if (flood_rows_sync(b) < 0)
		return -1;
	if (write_block(b, k) < 0) {
		b->failed = 1;
		return -1;
	}
	return 0;
}

void flood_rows_discard(struct flood_rows *b)
{
	flood_rows_sync(b);
	for (int i = 0; i < 2; i++) {
		b->blk[i].n = 0;
		buf_reset(&b->blk[i].quality);
	}
	b->failed = 0;
	b->why[0] = '\0';
}

const char *flood_rows_why(const struct flood_rows *b)
{
	return b->why[0] ? b->why : NULL;
}

void flood_rows_free(struct flood_rows *b)
{
	if (!b)
		return;
	if (b->started) {
		pthread_mutex_lock(&b->mu);
		while (b->todo)
			pthread_cond_wait(&b->cv, &b->mu);
		b->stop = 1;
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->mu);
		pthread_join(b->th, NULL);
	}
	/* no statement and no module left behind that point at a freed block */
	sqlite3_finalize(b->ins);
	sqlite3_create_module_v2(b->db->h, MODULE, NULL, NULL, NULL);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	for (int i = 0; i < 2; i++) {
		buf_free(&b->blk[i].quality);
		free(b->blk[i].v);
	}
	free(b);
}
