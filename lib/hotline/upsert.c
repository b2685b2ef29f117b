/*
 * upsert.c - tickets in the store: load, merge an export's row, write
 * (see upsert.h).
 */
#include "common.h"

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "hotline/deadline.h"
#include "hotline/ticket.h"
#include "hotline/upsert.h"
#include "hotline/words.h"
#include "strnum.h"
#include "timeparse.h"

#define COLS "received_at, channel, type, category, title, content, address," \
	" caller, phone, urgent, unit, due_at, status, signed_at, done_at, reply," \
	" result, satisfaction, revisited_at, lat, lon"

static const char sql_load[] =
	"SELECT id, " COLS ", due_rule, alert, case_id, first_batch,"
	" last_changed_batch, done_batch, content_hash FROM tickets WHERE rowid = ?1";
static const char sql_insert[] =
	"INSERT INTO tickets(id, " COLS ", due_rule, alert, case_id, done_batch,"
	" first_batch, last_changed_batch, content_hash, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
	" ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?27, ?28, ?29)";
static const char sql_update[] =
	"UPDATE tickets SET received_at = ?2, channel = ?3, type = ?4, category = ?5,"
	" title = ?6, content = ?7, address = ?8, caller = ?9, phone = ?10, urgent = ?11,"
	" unit = ?12, due_at = ?13, status = ?14, signed_at = ?15, done_at = ?16,"
	" reply = ?17, result = ?18, satisfaction = ?19, revisited_at = ?20, lat = ?21,"
	" lon = ?22, due_rule = ?23, alert = ?24, case_id = ?25, done_batch = ?26,"
	" last_changed_batch = ?27, content_hash = ?28, updated_at = ?29 WHERE rowid = ?1";
static const char sql_hash[] = "UPDATE tickets SET content_hash = ?2 WHERE rowid = ?1";
static const char sql_alert[] = "UPDATE tickets SET alert = ?2 WHERE rowid = ?1";
static const char sql_change[] =
	"INSERT INTO ticket_changes(ticket_id, batch_id, field, old, new)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void hotline_stored_init(struct hotline_stored *s)
{
	memset(s, 0, sizeof *s);
}

void hotline_stored_free(struct hotline_stored *s)
{
	for (int c = 0; c < TK_NCOLS; c++)
		free(s->v[c]);
	free(s->due_rule);
	free(s->alert);
	free(s->case_id);
	hotline_stored_init(s);
}

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static char *col_coord(sqlite3_stmt *st, int i)
{
	struct buf b = BUF_INIT;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	hotline_coord_text(&b, sqlite3_column_double(st, i));
	return buf_detach(&b);
}

int hotline_stored_load(struct db *d, sqlite3_int64 rowid, struct hotline_stored *s)
{
	sqlite3_stmt *st = db_stmt(d, sql_load);
	const char *h;
	int rc;

	hotline_stored_free(s);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	for (int c = 0; c < TK_NCOLS; c++)
		s->v[c] = c == TK_LAT || c == TK_LON ? col_coord(st, c) : col_text(st, c);
	s->due_rule = col_text(st, TK_NCOLS);
	s->alert = col_text(st, TK_NCOLS + 1);
	s->case_id = col_text(st, TK_NCOLS + 2);
	s->first_batch = sqlite3_column_int64(st, TK_NCOLS + 3);
	s->last_changed_batch = sqlite3_column_int64(st, TK_NCOLS + 4);
	s->done_batch = sqlite3_column_int64(st, TK_NCOLS + 5);
	h = (const char *)sqlite3_column_text(st, TK_NCOLS + 6);
	s->hash = hotline_hash_parse(h);
	s->rowid = rowid;
	sqlite3_reset(st);
	return 1;
}

/* Are two values of a masked column the same once both are masked?  The
 * same text is, without masking it. */
static int masked_eq(int c, const char *a, const char *b)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	int eq;

	if (strcmp(a, b) == 0)
		return 1;
	hotline_mask_col(&x, c, a, strlen(a));
	hotline_mask_col(&y, c, b, strlen(b));
	eq = x.len == y.len && memcmp(buf_str(&x), buf_str(&y), x.len) == 0;
	buf_free(&x);
	buf_free(&y);
	return eq;
}

int hotline_stored_diff(const struct hotline_stored *a, const struct hotline_stored *b, int c)
{
	return !str_same(a->v[c], b->v[c]);
}

static int status_rank(int st)
{
	static const int rank[HOTLINE_NSTATUS] = { 0, 1, 2, 2, 2, 3, 4 };
	return st >= 0 ? rank[st] : -1;
}

/* How far the ticket's times say it got. */
static int status_from_times(const struct hotline_stored *s)
{
	if (s->v[TK_SATISFACTION] || s->v[TK_REVISITED_AT])
		return HOTLINE_REVISITED;
	if (s->v[TK_DONE_AT])
		return HOTLINE_DONE;
	if (s->v[TK_SIGNED_AT])
		return HOTLINE_SIGNED;
	return HOTLINE_RECEIVED;
}

static void merge_due(struct hotline_stored *out, const struct hotline_stored *old,
		      const struct hotline_ticket *row, const struct hotline_merge_ctx *mc)
{
	struct timeparse_opts tpo = { NULL, mc->zone_min };
	int64_t received, due;
	char rule[64], text[TIMEPARSE_TEXT_LEN];
	const char *r = out->v[TK_RECEIVED_AT];

	if (row->v[TK_DUE_AT] || (old && str_same(old->due_rule, "export") && out->v[TK_DUE_AT])) {
		free(out->due_rule);
		out->due_rule = xstrdup("export");
		return;
	}
	free(out->v[TK_DUE_AT]);
	free(out->due_rule);
	out->v[TK_DUE_AT] = NULL;
	out->due_rule = NULL;
	if (!r || timeparse_parse(r, strlen(r), &tpo, &received, NULL) < 0)
		return;
	if (hotline_due(mc->limits, mc->cal, mc->zone_min, received, out->v[TK_TYPE],
		   str_same(out->v[TK_URGENT], "1"), &due, rule, sizeof rule) != 1)
		return;
	timeparse_format(due, mc->zone_min, text);
	out->v[TK_DUE_AT] = xstrdup(text);
	out->due_rule = xstrdup(rule);
}

void hotline_merge(struct hotline_stored *out, const struct hotline_stored *old,
	      const struct hotline_ticket *row, const struct hotline_merge_ctx *mc)
{
	hotline_stored_free(out);
	for (int c = 0; c < TK_NCOLS; c++) {
		const char *nv = row->v[c], *ov = old ? old->v[c] : NULL;
		if (nv && ov && hotline_col_masked(c) && masked_eq(c, ov, nv))
			nv = ov; /* the same person or text: keep what is stored */
		out->v[c] = dup_or_null(nv ? nv : ov);
	}
	if (old) {
		out->due_rule = dup_or_null(old->due_rule);
		out->alert = dup_or_null(old->alert);
		out->case_id = dup_or_null(old->case_id);
		out->rowid = old->rowid;
		out->first_batch = old->first_batch;
		out->last_changed_batch = old->last_changed_batch;
		out->done_batch = old->done_batch;
	}
	if (!row->v[TK_STATUS]) {
		int was = old ? hotline_status_by_name(old->v[TK_STATUS]) : -1;
		int now = status_from_times(out);
		if (status_rank(now) > status_rank(was)) {
			free(out->v[TK_STATUS]);
			out->v[TK_STATUS] = xstrdup(hotline_status_name(now));
		}
	}
	merge_due(out, old, row, mc);
	if (old && !str_same(old->v[TK_DUE_AT], out->v[TK_DUE_AT])) {
		free(out->alert); /* a new deadline is alerted afresh */
		out->alert = NULL;
	}
	out->hash = row->hash;
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* ?2..?29 of the insert and the update: the columns and what follows. */
static void bind_ticket(sqlite3_stmt *st, const struct hotline_stored *s,
			sqlite3_int64 batch, const char *now, char hex[17])
{
	for (int c = TK_RECEIVED_AT; c < TK_NCOLS; c++) {
		const char *v = s->v[c];
		double x;
		if (c == TK_URGENT) {
			sqlite3_bind_int(st, c + 1, str_same(v, "1"));
		} else if ((c == TK_LAT || c == TK_LON) && v) {
			if (strnum_double(v, strlen(v), &x) == 0)
				sqlite3_bind_double(st, c + 1, x);
			else
				sqlite3_bind_null(st, c + 1);
		} else {
			bind_opt_text(st, c + 1, v);
		}
	}
	bind_opt_text(st, 23, s->due_rule);
	bind_opt_text(st, 24, s->alert);
	bind_opt_text(st, 25, s->case_id);
	if (s->done_batch)
		sqlite3_bind_int64(st, 26, s->done_batch);
	else
		sqlite3_bind_null(st, 26);
	sqlite3_bind_int64(st, 27, batch);
	hotline_hash_text(s->hash, hex);
	sqlite3_bind_text(st, 28, hex, 16, SQLITE_STATIC);
	sqlite3_bind_text(st, 29, now, -1, SQLITE_STATIC);
}

/* The insert (?1 the id) or the update (?1 the rowid) of a ticket. */
static int write_ticket(struct db *d, const char *sql, const struct hotline_stored *s,
			sqlite3_int64 batch, const char *now)
{
	sqlite3_stmt *st = db_stmt(d, sql);
	char hex[17];

	if (!st)
		return -1;
	if (sql == sql_insert)
		sqlite3_bind_text(st, 1, s->v[TK_ID], -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, s->rowid);
	bind_ticket(st, s, batch, now, hex);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int hotline_stored_insert(struct db *d, const struct hotline_stored *s, sqlite3_int64 batch,
		     const char *now)
{
	return write_ticket(d, sql_insert, s, batch, now);
}

int hotline_stored_update(struct db *d, const struct hotline_stored *s, sqlite3_int64 batch,
		     const char *now)
{
	return write_ticket(d, sql_update, s, batch, now);
}

int hotline_stored_set_hash(struct db *d, sqlite3_int64 rowid, uint64_t hash)
{
	sqlite3_stmt *st = db_stmt(d, sql_hash);
	char hex[17];

	if (!st)
		return -1;
	hotline_hash_text(hash, hex);
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, hex, 16, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int hotline_stored_set_alert(struct db *d, sqlite3_int64 rowid, const char *alert)
{
	sqlite3_stmt *st = db_stmt(d, sql_alert);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	bind_opt_text(st, 2, alert);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int hotline_change(struct db *d, const char *id, sqlite3_int64 batch,
	      const char *field, const char *old, const char *new_)
{
	sqlite3_stmt *st = db_stmt(d, sql_change);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, batch);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	bind_opt_text(st, 4, old);
	bind_opt_text(st, 5, new_);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

void hotline_hash_text(uint64_t h, char hex[17])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--, h >>= 4)
		hex[i] = digits[h & 15];
	hex[16] = '\0';
}

uint64_t hotline_hash_parse(const char *s)
{
	uint64_t h = 0;

	for (int i = 0; s && i < 16; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			h = h << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			h = h << 4 | (uint64_t)(c - 'a' + 10);
		else
			return 0; /* not one of ours: never equal to a record's */
	}
	return h;
}
