/*
 * rows.c - a block of new readings, inserted in one statement (see rows.h).
 */
#include "common.h"

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

struct flood_rows {
	struct db *db;
	sqlite3_stmt *ins;      /* its own: finalized before the module goes */
	struct row *v;
	size_t n;
	struct buf quality;
};

/* ---- the virtual table over the block ------------------------------------ */

struct vtab {
	sqlite3_vtab base;
	const struct flood_rows *b;     /* the module's client data */
};

struct cursor {
	sqlite3_vtab_cursor base;
	const struct flood_rows *b;
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
	c->b = ((struct vtab *)t)->b;
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
	return c->i >= c->b->n;
}

static int vt_column(sqlite3_vtab_cursor *vc, sqlite3_context *cx, int col)
{
	const struct cursor *c = (const struct cursor *)vc;
	const struct row *r = &c->b->v[c->i];

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
			sqlite3_result_text(cx, c->b->quality.s + r->qoff, (int)r->qlen,
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

/* ---- the block ------------------------------------------------------------ */

static const char sql_insert[] =
	"INSERT INTO readings(station, at, level_cm, quality, batch_id, bad)"
	" SELECT station, at, level_cm, quality, ?1, bad FROM " MODULE;

struct flood_rows *flood_rows_new(struct db *d)
{
	struct flood_rows *b = xcalloc(1, sizeof *b);

	b->db = d;
	b->v = xreallocarray(NULL, FLOOD_ROWS_MAX, sizeof *b->v);
	if (sqlite3_create_module_v2(d->h, MODULE, &module, b, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, sql_insert, -1, &b->ins, NULL) != SQLITE_OK) {
		flood_rows_free(b);
		return NULL;
	}
	return b;
}

int flood_rows_add(struct flood_rows *b, const char *station, const char *at,
		   double cm, const char *quality, size_t qlen, const char *bad)
{
	struct row *r = &b->v[b->n++];

	r->station = station;
	memcpy(r->at, at, 19);
	r->at[19] = '\0';
	r->cm = cm;
	r->bad = bad;
	r->qoff = b->quality.len;
	r->qlen = quality ? qlen : 0;
	if (r->qlen)
		buf_add(&b->quality, quality, qlen);
	return b->n == FLOOD_ROWS_MAX;
}

size_t flood_rows_count(const struct flood_rows *b)
{
	return b->n;
}

int flood_rows_flush(struct flood_rows *b, sqlite3_int64 batch)
{
	sqlite3_stmt *q = b->ins;
	int rc;

	if (!b->n)
		return 0;
	sqlite3_bind_int64(q, 1, batch);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc == SQLITE_DONE && (size_t)sqlite3_changes(b->db->h) != b->n)
		rc = SQLITE_INTERNAL;
	flood_rows_discard(b);
	return rc == SQLITE_DONE ? 0 : -1;
}

void flood_rows_discard(struct flood_rows *b)
{
	b->n = 0;
	buf_reset(&b->quality);
}

void flood_rows_free(struct flood_rows *b)
{
	if (!b)
		return;
	/* no statement and no module left behind that point at a freed block */
	sqlite3_finalize(b->ins);
	sqlite3_create_module_v2(b->db->h, MODULE, NULL, NULL, NULL);
	buf_free(&b->quality);
	free(b->v);
	free(b);
}
